"""A build's page starts Python from the memory snapshot shipped beside it, and starts it the
usual way (never a broken page) when the snapshot is missing or made by another Pyodide."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import APPS, AppPage, StaticServe, build_app

pytestmark = pytest.mark.e2e

APP = APPS / "snapshot_random"
NOTE = "framework: starting Python without its snapshot"
Variant = Callable[[str, Callable[[Path], None] | None], str]


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory, static_server: StaticServe) -> Variant:
    """A copy of one build, changed by `alter` (given the snapshot file), served: its URL."""
    built = tmp_path_factory.mktemp("snapshot") / "dist"
    build_app(APP, built)

    def make(name: str, alter: Callable[[Path], None] | None) -> str:
        folder = built.parent / name
        shutil.copytree(built, folder)
        (snapshot,) = (folder / "_framework" / "snapshot").glob("*.bin")
        if alter is not None:
            alter(snapshot)
        return static_server(folder).url

    return make


# The interpreter module's own account of the start (the same module instance PyScript loaded).
STARTED = """async () => {
  const module = await import(new URL("_framework/pyodide_boot.mjs", document.baseURI));
  return module.started;
}"""


def boot(browser: Browser, url: str) -> tuple[AppPage, str | None]:
    """A fresh context's visit: the page once settled, and how Python started."""
    page = browser.new_context().new_page()
    app_page = AppPage(page)
    page.on("console", lambda message: app_page.console.append(message.text))
    app_page.open(url)
    assert app_page.error is None, app_page.diagnostics()
    assert app_page.text("#app").startswith("draw 0.")
    return app_page, page.get_attribute("html", "data-snapshot")


def test_python_starts_from_the_snapshot_and_random_is_reseeded(
    browser: Browser, variant: Variant
) -> None:
    url = variant("as-built", None)
    first, how_first = boot(browser, url)
    second, how_second = boot(browser, url)
    assert (how_first, how_second) == ("restored", "restored")
    assert first.text("#app") != second.text("#app")
    assert not [line for line in first.console if NOTE in line]


def test_a_restored_python_calls_builtins_through_the_wasm_trampoline(
    browser: Browser, variant: Variant
) -> None:
    """The snapshot, made under Node, holds "no wasm trampoline": restored as it is, every call
    of a builtin would go out to JS and back. The page puts the browser's trampoline back."""
    app_page, how = boot(browser, variant("for-calls", None))
    assert how == "restored"
    assert app_page.page.evaluate(STARTED) == {"snapshot": "restored", "calls": "wasm"}


def mismatch_build_id(snapshot: Path) -> None:
    """The same size, another Pyodide build's id in the header (bytes 16-48)."""
    data = bytearray(snapshot.read_bytes())
    data[16:48] = b"0" * 32
    snapshot.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("name", "alter", "why"),
    [
        ("missing", Path.unlink, "answered HTTP 404"),
        ("mismatched", mismatch_build_id, "did not restore (Snapshot build id mismatch"),
    ],
)
def test_a_missing_or_mismatched_snapshot_starts_python_as_usual(
    browser: Browser, variant: Variant, name: str, alter: Callable[[Path], None], why: str
) -> None:
    app_page, how = boot(browser, variant(name, alter))
    assert how == "unused"
    assert app_page.page.evaluate(STARTED) == {"snapshot": "unused", "calls": "wasm"}
    notes = [line for line in app_page.console if NOTE in line]
    assert len(notes) == 1 and why in notes[0], app_page.diagnostics()
