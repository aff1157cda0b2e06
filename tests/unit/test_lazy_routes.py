"""Lazy routes: a page whose module is imported on its first visit, its fallback shown while the
loader fetches it; later visits render it at once; a failed import shows the error boundary.

The pages are real modules written to a temporary folder on sys.path; the loader is a fake
that takes a virtual second and records what it was asked for (the browser's one fetches).
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework import Component, MemoryDom, MemoryLocation, Router, Suspense, lazy, mount
from framework.lazy_routes import LazyImportError, set_module_loader
from framework.router import page
from framework.testing import Screen, settle

PAGES = {
    "settings.py": """
        from framework import Component

        IMPORTS = __import__("lazy_probe").IMPORTS
        IMPORTS.append(__name__)


        class Settings(Component):
            tab: str = "general"

            def render(self):
                return t"<h1>Settings: {self.tab}</h1>"
    """,
    "two.py": """
        from framework import Component


        class First(Component):
            def render(self):
                return t"<h1>first</h1>"


        class Second(Component):
            def render(self):
                return t"<h1>second</h1>"
    """,
    "broken.py": """
        raise RuntimeError("the page's module fails at import")
    """,
    "profile.py": """
        from framework import Component, aio, resource


        async def load_name(user_id):
            await aio.sleep(2)
            return f"user {user_id}"


        class Profile(Component):
            id: int

            def setup(self):
                self.name = resource(load_name, source=lambda: self.id)

            def render(self):
                return t"<h1>{self.name.value}</h1>"
    """,
}


class Loader:
    """A module loader that takes a virtual second, recording each module asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, module: str) -> None:
        self.asked.append(module)
        await asyncio.sleep(1)


@pytest.fixture
def loader(tmp_path: Path) -> Iterator[Loader]:
    """The pages as the package `lazypages` (fresh for each test), and the fake loader."""
    package = tmp_path / "lazypages"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in PAGES.items():
        (package / name).write_text(textwrap.dedent(source))
    (tmp_path / "lazy_probe.py").write_text("IMPORTS = []\n")
    sys.path.insert(0, str(tmp_path))
    fake = Loader()
    previous = set_module_loader(fake)
    yield fake
    set_module_loader(previous)
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith(("lazypages", "lazy_probe"))]:
        del sys.modules[name]


class Home(Component):
    def render(self):
        return t"<h1>Home</h1>"


def mounted(routes: dict[str, object], at: str = "/") -> tuple[Router, MemoryDom]:
    router = Router({"/": Home, **routes}, location=MemoryLocation(at)).start()

    class Shell(Component):
        def render(self):
            return t"<main>{router.view()}</main>"

    dom = MemoryDom()
    mount(Shell(), "#app", backend=dom)
    return router, dom


def heading(dom: MemoryDom) -> str:
    return Screen(dom).get_by_role("heading").text_content


def visit(router: Router, dom: MemoryDom, path: str) -> None:
    router.navigate(path)
    settle(dom)


# -- first visit, later visits -----------------------------------------------------------------


def test_the_fallback_shows_while_the_module_loads_then_the_page(loader: Loader) -> None:
    settings = lazy("lazypages.settings", fallback=t"<p>Loading settings…</p>")
    router, dom = mounted({"/settings": settings})
    assert loader.asked == [] and "lazypages.settings" not in sys.modules  # not at start
    visit(router, dom, "/settings")
    assert Screen(dom).get_by_text("Loading settings…") is not None
    settle(dom, advance=1)
    assert heading(dom) == "Settings: general"
    assert loader.asked == ["lazypages.settings"]


def test_a_second_visit_renders_at_once_without_loading_or_importing_again(
    loader: Loader,
) -> None:
    router, dom = mounted({"/settings": lazy("lazypages.settings", "Settings")})
    visit(router, dom, "/settings")
    settle(dom, advance=1)
    visit(router, dom, "/")
    assert heading(dom) == "Home"
    visit(router, dom, "/settings")
    assert heading(dom) == "Settings: general"  # no fallback in between: no settle needed
    assert loader.asked == ["lazypages.settings"]
    assert sys.modules["lazy_probe"].IMPORTS == ["lazypages.settings"]


def test_route_props_reach_the_lazy_page(loader: Loader) -> None:
    settings = page(lazy("lazypages.settings"), props=lambda match: {"tab": match.params["tab"]})
    router, dom = mounted({"/settings/{tab}": settings}, at="/settings/privacy")
    settle(dom, advance=1)
    assert heading(dom) == "Settings: privacy"
    visit(router, dom, "/settings/sound")  # the same page, new props: no new load
    assert heading(dom) == "Settings: sound"
    assert loader.asked == ["lazypages.settings"]


def test_two_lazy_routes_each_load_their_own_module(loader: Loader) -> None:
    router, dom = mounted({
        "/settings": lazy("lazypages.settings"),
        "/second": lazy("lazypages.two", "Second"),
    })  # fmt: skip
    visit(router, dom, "/settings")
    settle(dom, advance=1)
    visit(router, dom, "/second")
    settle(dom, advance=1)
    assert heading(dom) == "second"
    assert loader.asked == ["lazypages.settings", "lazypages.two"]


def test_under_a_suspense_the_page_appears_with_its_own_data(loader: Loader) -> None:
    router = Router(
        {"/": Home, "/users/{id:int}": lazy("lazypages.profile")},
        location=MemoryLocation("/users/7"),
    ).start()

    class Shell(Component):
        def render(self):
            return t"<main>{Suspense(router.view(), fallback=t'<p>Loading page…</p>')}</main>"

    dom = MemoryDom()
    mount(Shell(), "#app", backend=dom)
    settle(dom, advance=1)  # the module is there, its page's data is not: still the fallback
    assert Screen(dom).get_by_text("Loading page…") is not None
    settle(dom, advance=2)
    assert heading(dom) == "user 7"
    assert Screen(dom).query_by_text("Loading page…") is None


# -- failures ----------------------------------------------------------------------------------

FAILURES = {
    "missing module": (lazy("lazypages.nowhere"), "ModuleNotFoundError"),
    "module raises": (lazy("lazypages.broken"), "RuntimeError"),
    "no such component": (lazy("lazypages.settings", "Setings"), "LazyImportError"),
    "several components": (lazy("lazypages.two"), "LazyImportError"),
}


@pytest.mark.parametrize(("target", "kind"), FAILURES.values(), ids=FAILURES.keys())
def test_a_failed_import_shows_the_error_boundary_and_reports_the_error(
    loader: Loader, errors: list[BaseException], target: object, kind: str
) -> None:
    router, dom = mounted({"/page": target})
    visit(router, dom, "/page")
    settle(dom, advance=1)
    alert = Screen(dom).get_by_role("alert")
    module = target.module  # type: ignore[attr-defined]
    assert alert.text_content == f"page {module!r} failed to render: {kind}"
    assert [type(error).__name__ for error in errors] == [kind]


def test_a_missing_component_names_the_ones_the_module_has(loader: Loader) -> None:
    loading = asyncio.ensure_future(lazy("lazypages.settings", "Setings").load())
    settle(advance=1)
    with pytest.raises(LazyImportError, match=r"no component 'Setings' \(its components: Settings"):
        loading.result()


def test_a_loader_that_fails_shows_the_error_boundary(errors: list[BaseException]) -> None:
    async def offline(module: str) -> None:
        raise ImportError(f"{module}: the network is down")

    previous = set_module_loader(offline)
    try:
        router, dom = mounted({"/away": lazy("lazypages.away")})
        visit(router, dom, "/away")
        settle(dom)
    finally:
        set_module_loader(previous)
    assert Screen(dom).get_by_role("alert").text_content.endswith("ImportError")
    assert "the network is down" in str(errors[0])


@pytest.mark.parametrize("module", ["pages/settings.py", "", "pages..x", 3])
def test_lazy_takes_a_dotted_module_path(module: object) -> None:
    with pytest.raises(TypeError, match="dotted path"):
        lazy(module)  # type: ignore[arg-type]
