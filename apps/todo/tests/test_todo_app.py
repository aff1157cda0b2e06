"""The app's components on the in-memory DOM, with an in-memory store and location.

Most tests act as the user (framework.testing's Screen and User: the field by its placeholder,
the checkbox of the item named "a", a double click, typed keys); the rest read the markup.
"""

import pytest
from app import TodoApp
from model import Todo

from framework import MemoryDom, MemoryLocation, MemoryStorage, Router, Store, mount, redirect
from framework.dom.memory import Element
from framework.sync.client import SyncClient
from framework.testing import Screen, User

ROUTES = {"/": "all", "/active": "active", "/completed": "completed"}


class Page:
    def __init__(self, *titles: str, path: str = "/") -> None:
        self.store = Store("todos-test", list[Todo], default=list, area="memory", layout="plain")
        self.location = MemoryLocation(path)
        self.router = Router(ROUTES, fallback=redirect("/"), location=self.location).start()
        self.dom = MemoryDom()
        self.app = mount(TodoApp(store=self.store, router=self.router), "#app", backend=self.dom)
        self.screen, self.user = Screen(self.dom), User(self.dom)
        for title in titles:
            self.add(title)

    def one(self, selector_tag: str, cls: str, index: int = 0) -> Element:
        found = [
            e
            for e in self.dom.container("#app").find(selector_tag)
            if cls in e.attrs.get("class", "").split()
        ]
        return found[index]

    def items(self) -> list[Element]:
        return [
            e
            for e in self.dom.container("#app").find("li")
            if e.parent is self.one("ul", "todo-list")
        ]

    def titles(self) -> list[str]:
        return [" ".join(li.find("label")[0].text_content.split()) for li in self.items()]

    def new_todo(self) -> Element:
        return self.screen.get_by_role("textbox", name="What needs to be done?")

    def add(self, title: str) -> None:
        self.user.type(self.new_todo(), title + "{Enter}")

    def item(self, title: str) -> Screen:
        """The queries inside the todo named `title` (a list item is named by its text)."""
        return self.screen.within(self.screen.get_by_role("listitem", name=title))

    def counter(self) -> str:
        return " ".join(self.one("span", "todo-count").text_content.split())


def test_enter_adds_a_todo_and_clears_the_input() -> None:
    page = Page("buy milk", "  walk the dog  ")
    assert page.titles() == ["buy milk", "walk the dog"]
    assert page.new_todo().value == ""
    assert [t.title for t in page.store.peek()] == ["buy milk", "walk the dog"]


def test_main_and_footer_are_hidden_not_removed_when_empty() -> None:
    page = Page()
    assert "hidden" in page.one("section", "main").attrs
    assert "hidden" in page.one("footer", "footer").attrs
    page.add("x")
    assert "hidden" not in page.one("section", "main").attrs
    assert "hidden" not in page.one("footer", "footer").attrs


@pytest.mark.parametrize(
    ("count", "words"), [(0, "0 items left"), (1, "1 item left"), (2, "2 items left")]
)
def test_counter_wording(count: int, words: str) -> None:
    page = Page(*[f"t{n}" for n in range(count)])
    if count:
        assert page.counter() == words


def test_toggle_marks_the_item_completed_with_the_exact_class() -> None:
    page = Page("a", "b")
    assert page.screen.query_by_role("button", name="Clear completed") is None  # hidden
    page.user.click(page.item("a").get_by_role("checkbox"))
    assert [li.attrs.get("class") for li in page.items()] == ["completed", None]
    assert page.counter() == "1 item left"
    assert page.screen.get_by_role("button", name="Clear completed")


def test_toggle_all_follows_its_checkbox_and_clear_completed_unchecks_it() -> None:
    page = Page("a", "b")
    toggle_all = page.screen.get_by_role("checkbox", name="Mark all as complete")
    page.user.click(toggle_all)
    assert [t.completed for t in page.store.peek()] == [True, True]
    assert toggle_all.checked is True
    page.user.click(page.screen.get_by_role("button", name="Clear completed"))
    assert page.store.peek() == []
    assert toggle_all.checked is False


def start_editing(page: Page, title: str) -> Element:
    """Double-click the todo's title: its edit field, which holds the title."""
    page.user.dblclick(page.screen.get_by_text(title))
    return page.item(title).get_by_role("textbox")


def test_enter_saves_the_trimmed_edit_once() -> None:
    page = Page("a")
    edit = start_editing(page, "a")
    assert page.items()[0].attrs.get("class") == "editing"
    assert edit.value == "a"
    page.user.clear(edit)
    page.user.type(edit, "  renamed  {Enter}")
    page.user.click(page.screen.get_by_role("heading", name="todos"))  # the field loses focus
    assert page.titles() == ["renamed"]
    assert [t.title for t in page.store.peek()] == ["renamed"]  # saved once, not twice
    assert page.items()[0].attrs.get("class") is None


def test_escape_discards_and_the_following_blur_does_not_save() -> None:
    page = Page("a")
    edit = start_editing(page, "a")
    page.user.clear(edit)
    page.user.type(edit, "changed{Escape}")
    page.user.click(page.screen.get_by_role("heading", name="todos"))  # blur
    assert page.titles() == ["a"]
    assert start_editing(page, "a").value == "a"  # the discarded text is gone


def test_blank_edit_destroys_the_todo() -> None:
    page = Page("a", "b")
    edit = start_editing(page, "a")
    page.user.clear(edit)
    page.user.type(edit, "   {Tab}")  # Tab moves the focus on: blur saves the blank title
    assert page.titles() == ["b"]


@pytest.mark.parametrize(
    ("path", "titles", "selected"),
    [("/", ["a", "b"], "All"), ("/active", ["b"], "Active"), ("/completed", ["a"], "Completed")],
)
def test_filters_follow_the_route(path: str, titles: list[str], selected: str) -> None:
    page = Page("a", "b")
    page.dom.dispatch(page.one("input", "toggle"), "change")
    page.location.visit(path)
    page.app.flush()
    assert page.titles() == titles
    links = page.one("ul", "filters").find("a")
    assert [a.text_content for a in links if a.attrs.get("class") == "selected"] == [selected]


def test_an_item_toggled_in_a_filtered_view_leaves_it() -> None:
    page = Page("a", "b", path="/active")
    page.user.click(page.item("a").get_by_role("checkbox"))
    assert page.titles() == ["b"]


def test_a_title_with_markup_is_text() -> None:
    page = Page("<img src=x onerror=alert(1)>")
    label = page.items()[0].find("label")[0]
    assert label.text_content == "<img src=x onerror=alert(1)>"
    assert label.find("img") == []


def test_an_unreadable_stored_list_shows_the_store_notice() -> None:
    storage = MemoryStorage({"todos-test": "not json"})
    store = Store("todos-test", list[Todo], default=list, layout="plain", backend=storage)
    router = Router(ROUTES, fallback=redirect("/"), location=MemoryLocation("/")).start()
    dom = MemoryDom()
    mount(TodoApp(store=store, router=router), "#app", backend=dom)
    notices = [
        e for e in dom.container("#app").find("div") if "store-error" in e.attrs.get("class", "")
    ]
    assert len(notices) == 1
    assert "could not be loaded" in notices[0].text_content


def sync_lines(page: Page) -> list[str]:
    found = page.dom.container("#app").find("p")
    return [e.text_content for e in found if "sync-status" in e.attrs.get("class", "")]


def test_a_list_that_does_not_sync_shows_no_sync_status() -> None:
    assert sync_lines(Page("milk")) == []


def test_a_synced_list_says_where_it_stands_in_the_footer() -> None:
    page = Page()
    page.app.unmount()  # the same page, with a synced store: one app in #app, not two
    page.store = Store(
        "todos-synced",
        list[Todo],
        default=list,
        area="memory",
        layout="plain",
        server="todos",
        sync_client=SyncClient(transport=None),  # no network: offline, and working locally
    )
    page.app = mount(TodoApp(store=page.store, router=page.router), "#app", backend=page.dom)
    page.add("milk")
    assert page.titles() == ["milk"]
    assert sync_lines(page) == ["Sync: offline"]
