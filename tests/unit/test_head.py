"""head(): the page's title and meta tags from the mounted components, against the memory
document's head (`dom.head`): set, restored on unmount, innermost wins, reactive."""

from __future__ import annotations

from typing import Any

import pytest

from framework import Component, MemoryDom, MemoryLocation, Router, Signal, computed, head, mount


class Titled(Component):
    """Claims the head with whatever it is given; shows its children."""

    title: Any = None
    meta: dict[str, Any] = {}  # noqa: RUF012 - a prop default, never mutated

    def setup(self):
        head(title=self.title, meta=self.meta)

    def render(self):
        return t"<div>{self.children}</div>"


class Toggle(Component):
    """Shows `inner` while `shown` is true, inside an outer Titled."""

    shown: Signal[bool]
    outer: Any = None
    inner: Any = None

    def render(self):
        inner = [Titled(title=self.inner)] if self.shown.value else []
        return t"<main>{Titled(*inner, title=self.outer)}</main>"


class Page:
    """A document with a title of its own, and the app mounted in it."""

    def __init__(self, root: Any, title: str = "Library") -> None:
        self.dom = MemoryDom()
        self.dom.head.title = title
        self.app = mount(root, "#app", backend=self.dom)

    @property
    def title(self) -> str:
        self.app.flush()
        return self.dom.head.title

    @property
    def meta(self) -> dict[str, str]:
        self.app.flush()
        return self.dom.head.meta


@pytest.mark.parametrize(
    ("outer", "inner", "shown", "hidden"),
    [
        ("Outer", "Inner", "Inner", "Outer"),
        (None, "Inner", "Inner", "Library"),
        ("Outer", None, "Outer", "Outer"),
        (None, None, "Library", "Library"),
    ],
    ids=["inner-wins", "inner-only", "inner-gives-way", "no-claims"],
)
def test_the_innermost_title_wins_and_leaving_restores_the_one_before(
    outer: str | None, inner: str | None, shown: str, hidden: str
) -> None:
    visible = Signal(True)
    page = Page(Toggle(shown=visible, outer=outer, inner=inner))
    assert page.title == shown
    visible.value = False
    assert page.title == hidden
    visible.value = True
    assert page.title == shown


def test_unmounting_the_app_restores_the_documents_own_title() -> None:
    page = Page(Titled(title="Book"))
    assert page.title == "Book"
    page.app.unmount()
    assert page.dom.head.title == "Library"


@pytest.mark.parametrize("kind", ["signal", "computed", "function"])
def test_a_reactive_title_follows_its_signal(kind: str) -> None:
    count = Signal(1)
    values = {
        "signal": count,
        "computed": computed(lambda: f"{count.value} books"),
        "function": lambda: f"{count.value} books",
    }
    page = Page(Titled(title=values[kind]))
    count.value = 2
    assert page.title == ("2" if kind == "signal" else "2 books")


class Book(Component):
    id: int

    def setup(self):
        head(title=lambda: f"Book {self.id}")

    def render(self):
        return t"<h1>Book {self.id}</h1>"


class Home(Component):
    def render(self):
        return t"<h1>Home</h1>"


class Shell(Component):
    router: Router

    def setup(self):
        head(title="Library", meta={"description": "A reading list"})

    def render(self):
        return t"<main>{self.router.view()}</main>"


def test_a_routed_page_sets_the_title_and_leaving_it_restores_the_shells() -> None:
    location = MemoryLocation("/book/7")
    router = Router({"/": Home, "/book/{id:int}": Book}, location=location).start()
    page = Page(Shell(router=router), title="")
    assert page.title == "Book 7"
    location.visit("/book/8")  # the same page with another id: its title follows the prop
    assert page.title == "Book 8"
    router.navigate("/")
    assert page.title == "Library"
    router.back()
    assert page.title == "Book 8"


@pytest.mark.parametrize(
    ("before", "inner", "shown", "after"),
    [
        ({}, {"description": "Inner"}, {"description": "Inner"}, {}),
        ({"description": "Own"}, {"description": "Inner"}, {"description": "Inner"}, None),
        ({}, {"og:title": "Book"}, {"og:title": "Book"}, {}),
        ({}, {"description": None}, {}, {}),
    ],
    ids=["added-then-removed", "own-restored", "property-name", "none-gives-way"],
)
def test_meta_tags_are_set_and_restored(
    before: dict[str, str],
    inner: dict[str, Any],
    shown: dict[str, str],
    after: dict[str, str] | None,
) -> None:
    visible = Signal(True)

    class Holder(Component):
        def render(self):
            return t"<p>{Titled(meta=inner) if visible.value else None}</p>"

    dom = MemoryDom()
    dom.head.meta.update(before)
    app = mount(Holder(), "#app", backend=dom)
    assert dom.head.meta == shown
    visible.value = False
    app.flush()
    assert dom.head.meta == (before if after is None else after)


def test_an_outer_meta_tag_stays_while_the_inner_claim_gives_another() -> None:
    class Inner(Component):
        def setup(self):
            head(meta={"og:title": "Book"})

        def render(self):
            return t"<p>inner</p>"

    class Outer(Component):
        def setup(self):
            head(meta={"description": "Outer"})

        def render(self):
            return t"<div>{Inner()}</div>"

    page = Page(Outer())
    assert page.meta == {"description": "Outer", "og:title": "Book"}


def test_release_ends_a_claim_before_unmount() -> None:
    class Early(Component):
        def setup(self):
            self.release = head(title="Early")

        def render(self):
            return t"<button onclick={self.release}>done</button>"

    page = Page(Early())
    assert page.title == "Early"
    page.dom.dispatch(page.dom.container("#app").find("button")[0], "click")
    assert page.title == "Library"
