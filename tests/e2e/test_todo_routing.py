"""TodoMVC routing in real Chromium: `#/`, `#/active`, `#/completed` filter the list, the
`selected` class follows the route, back/forward walk the filters, and a reload keeps the route.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AppPage, ServeApp, Server
from tests.e2e.todo_pages import (
    TODO_APP,
    SharedTodos,
    Todos,
    expect_hidden_in_dom,
    expect_no_class,
    reload,
    share_todos,
    stored_list,
)

pytestmark = pytest.mark.e2e

# "one" and "three" to do, "two" done: every filter shows something different.
SEEDED = (("one", False), ("two", True), ("three", False))
SHOWN = {
    "All": ["one", "two", "three"],
    "Active": ["one", "three"],
    "Completed": ["two"],
}
HASHES = {"All": "#/", "Active": "#/active", "Completed": "#/completed"}


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(TODO_APP)


@pytest.fixture(scope="module")
def shared(server: Server, module_page: AppPage) -> SharedTodos:
    return share_todos(module_page, server.url)


@pytest.fixture
def todos(shared: SharedTodos) -> Todos:
    """The app at `#/` showing SEEDED (stored as another tab would)."""
    todos = shared.fresh()
    shared.seed(stored_list(*SEEDED))
    expect(todos.items).to_have_text(SHOWN["All"])
    return todos


def filter_of(hash_: str) -> str:
    return next((name for name, known in HASHES.items() if known == hash_), "All")


def expect_filter(todos: Todos, name: str) -> None:
    """`name` is the route: its link alone is selected (class exactly "selected"), the list
    shows its todos, and the URL ends with its hash."""
    expect(todos.items).to_have_text(SHOWN[name])
    ending = r"/(#/)?$" if name == "All" else re.escape(HASHES[name]) + "$"  # no hash is All too
    expect(todos.page).to_have_url(re.compile(ending))
    expect(todos.page.locator("ul.filters a.selected")).to_have_count(1)
    for other in HASHES:
        link = todos.filter(other)
        if other == name:
            expect(link).to_have_class("selected")
        else:
            expect_no_class(link)


def test_the_filter_links_are_all_active_completed_in_order(todos: Todos) -> None:
    expect(todos.filters).to_have_text(["All", "Active", "Completed"])
    hrefs = [todos.filters.nth(index).get_attribute("href") for index in range(3)]
    assert hrefs == ["#/", "#/active", "#/completed"]


def test_with_no_hash_all_is_selected(shared: SharedTodos) -> None:
    todos = shared.boot(stored=stored_list(*SEEDED))  # a fresh visit to the bare URL
    assert "#" not in todos.page.url or todos.page.url.endswith("#/")
    expect(todos.items).to_have_text(SHOWN["All"])
    expect(todos.filter("All")).to_have_class("selected")
    expect_no_class(todos.filter("Active"))
    expect_no_class(todos.filter("Completed"))


@pytest.mark.parametrize("name", ["Active", "Completed", "All"])
def test_a_filter_link_shows_its_todos_and_is_selected(todos: Todos, name: str) -> None:
    if name == "All":
        todos.filter("Completed").click()
        expect_filter(todos, "Completed")
    todos.filter(name).click()
    expect_filter(todos, name)


def test_filtering_changes_nothing_stored(todos: Todos) -> None:
    todos.filter("Completed").click()
    expect_filter(todos, "Completed")
    todos.expect_stored(*SEEDED)
    expect(todos.count).to_have_text("2 items left")  # counts every active todo, not the shown


def test_back_and_forward_walk_the_filters(todos: Todos) -> None:
    todos.filter("Active").click()
    expect_filter(todos, "Active")
    todos.filter("Completed").click()
    expect_filter(todos, "Completed")
    todos.page.go_back()
    expect_filter(todos, "Active")
    todos.page.go_back()
    expect_filter(todos, "All")
    todos.page.go_forward()
    expect_filter(todos, "Active")
    todos.page.go_forward()
    expect_filter(todos, "Completed")


@pytest.mark.parametrize("name", ["Active", "Completed"])
def test_the_route_survives_a_reload(todos: Todos, name: str) -> None:
    todos.filter(name).click()
    expect_filter(todos, name)
    reload(todos)
    expect_filter(todos, name)


@pytest.mark.parametrize("name", ["Active", "Completed"])
def test_opening_a_route_directly_filters(shared: SharedTodos, name: str) -> None:
    todos = shared.boot(stored=stored_list(*SEEDED), hash_=HASHES[name])
    expect_filter(todos, name)


def test_an_unknown_route_goes_to_all(shared: SharedTodos) -> None:
    todos = shared.boot(stored=stored_list(*SEEDED), hash_="#/nowhere")
    expect_filter(todos, "All")
    expect(todos.page).to_have_url(re.compile(r"#/$"))


def test_checking_a_todo_in_active_hides_it(todos: Todos) -> None:
    todos.filter("Active").click()
    expect_filter(todos, "Active")
    todos.item(0).locator(".toggle").click()  # not check(): the item leaves, check() would retry
    expect(todos.items).to_have_text(["three"])
    todos.expect_stored(("one", True), ("two", True), ("three", False))


def test_unchecking_a_todo_in_completed_hides_it(todos: Todos) -> None:
    todos.filter("Completed").click()
    expect_filter(todos, "Completed")
    todos.item(0).locator(".toggle").click()
    expect(todos.items).to_have_count(0)
    todos.expect_stored(("one", False), ("two", False), ("three", False))


def test_an_empty_filter_keeps_main_and_footer(todos: Todos) -> None:
    todos.filter("Completed").click()
    todos.clear_completed.click()
    expect(todos.items).to_have_count(0)
    expect(todos.main).to_be_visible()  # hidden only when there are no todos at all
    expect(todos.footer).to_be_visible()
    expect_hidden_in_dom(todos.clear_completed)


def test_a_new_todo_in_completed_is_stored_but_not_shown(todos: Todos) -> None:
    todos.filter("Completed").click()
    expect_filter(todos, "Completed")
    todos.add("four")
    expect(todos.items).to_have_text(["two"])
    expect(todos.count).to_have_text("3 items left")
    todos.expect_stored(*SEEDED, ("four", False))


def test_mark_all_in_active_completes_every_todo(todos: Todos) -> None:
    todos.filter("Active").click()
    expect_filter(todos, "Active")
    todos.toggle_all.check()
    expect(todos.items).to_have_count(0)
    todos.filter("Completed").click()
    expect(todos.items).to_have_text(["one", "two", "three"])
    todos.expect_stored(("one", True), ("two", True), ("three", True))


def test_editing_in_a_filtered_view_saves(todos: Todos) -> None:
    todos.filter("Active").click()
    expect_filter(todos, "Active")
    edit = todos.start_editing(1)
    edit.fill("three, edited")
    edit.press("Enter")
    expect(todos.items).to_have_text(["one", "three, edited"])
    todos.expect_stored(("one", False), ("two", True), ("three, edited", False))
