"""The TO-DO app against the TodoMVC spec in real Chromium: start-up, new todo, mark all as
complete, item, editing, counter, clear completed and persistence (routing, data tools and the
extras are in test_todo_routing.py and test_todo_data.py).

One `framework serve apps/todo` per module and one booted page shared by its tests
(todo_pages.SharedTodos): each test starts from an empty list at `#/`; the tests about booting
and reloading boot for real. A few tests find what they check as a user does, with the testing
kit (framework.cli.e2e: `screen` and `user`, docs/testing.md), as examples of its use.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Playwright, expect

from framework.cli.e2e import Screen, User, install
from tests.e2e.conftest import AppPage, ServeApp, Server
from tests.e2e.todo_pages import (
    REPO_ROOT,
    STORAGE_KEY,
    TODO_APP,
    SharedTodos,
    Todos,
    expect_hidden_in_dom,
    expect_no_class,
    open_todos,
    reload,
    share_todos,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(TODO_APP)


@pytest.fixture(scope="module")
def shared(server: Server, module_page: AppPage, playwright: Playwright) -> SharedTodos:
    install(playwright)  # the testing kit's queries, in the page about to open
    return share_todos(module_page, server.url)


@pytest.fixture
def todos(shared: SharedTodos) -> Todos:
    return shared.fresh()


@pytest.fixture
def screen(todos: Todos) -> Screen:
    return Screen(todos.page)


@pytest.fixture
def user(todos: Todos) -> User:
    return User(todos.page)


# -- start-up, served both ways -------------------------------------------------------------------


@pytest.mark.parametrize("how", ["framework serve (repo root)", "framework serve apps/todo"])
def test_the_app_boots_ready_with_the_new_todo_input_focused(
    how: str, served_app: ServeApp, server: Server, app_page: AppPage
) -> None:
    if how == "framework serve (repo root)":
        server = served_app(None, cwd=REPO_ROOT)  # the root pyscript.toml names apps/todo
    todos = open_todos(app_page, server.url)
    page = todos.page
    expect(page.locator("html")).to_have_attribute("data-ready", "1")
    expect(page).to_have_title("framework • TodoMVC")
    expect(page.locator(".todoapp h1")).to_have_text("todos")
    expect(todos.new_todo).to_have_attribute("placeholder", "What needs to be done?")
    expect(todos.new_todo).to_be_focused()
    assert app_page.foreign_requests() == []
    todos.page.keyboard.type("typed at once")  # no click first: the focus is real
    todos.page.keyboard.press("Enter")
    expect(todos.items).to_have_text(["typed at once"])


def test_the_stylesheet_hides_what_the_template_hides(todos: Todos, screen: Screen) -> None:
    todos.add("one")
    one = screen.within(screen.get_by_role("listitem", name="one"))
    # In the page but hidden: the remove button until hovered, the edit field until editing.
    for role in ("button", "textbox"):
        assert one.query_by_role(role) is None and one.get_by_role(role, hidden=True)
    expect(screen.get_by_label_text("Mark all as complete")).to_have_class("toggle-all")


# -- no todos -------------------------------------------------------------------------------------


def test_with_no_todos_main_and_footer_are_hidden_but_present(todos: Todos) -> None:
    expect_hidden_in_dom(todos.main)
    expect_hidden_in_dom(todos.footer)
    expect(todos.items).to_have_count(0)


def test_main_and_footer_hide_again_when_the_last_todo_goes(todos: Todos) -> None:
    todos.add("only one")
    expect(todos.main).to_be_visible()
    expect(todos.footer).to_be_visible()
    todos.item(0).hover()
    todos.item(0).locator(".destroy").click()
    expect_hidden_in_dom(todos.main)
    expect_hidden_in_dom(todos.footer)


# -- new todo -------------------------------------------------------------------------------------


def test_enter_adds_todos_at_the_bottom_and_clears_the_input(todos: Todos) -> None:
    todos.add("buy some cheese")
    expect(todos.items).to_have_text(["buy some cheese"])
    expect(todos.new_todo).to_have_value("")
    todos.add("feed the cat", "book a doctors appointment")
    expect(todos.items).to_have_text(
        ["buy some cheese", "feed the cat", "book a doctors appointment"]
    )
    todos.expect_stored(
        ("buy some cheese", False), ("feed the cat", False), ("book a doctors appointment", False)
    )


def test_new_todos_show_main_and_footer(todos: Todos) -> None:
    todos.add("one")
    expect(todos.main).to_be_visible()
    expect(todos.footer).to_be_visible()


def test_the_title_is_trimmed(todos: Todos) -> None:
    todos.add("    buy some cheese    ")
    expect(todos.item(0)).to_have_text("buy some cheese")
    expect(todos.new_todo).to_have_value("")
    assert todos.titles() == ["buy some cheese"]
    todos.expect_stored(("buy some cheese", False))


@pytest.mark.parametrize("blank", ["", " ", "   \t  "])
def test_a_blank_title_adds_nothing(todos: Todos, blank: str) -> None:
    todos.add("first")
    todos.new_todo.fill(blank)
    todos.new_todo.press("Enter")
    todos.add("second")  # handled after the blank one: the blank one had its chance
    expect(todos.items).to_have_text(["first", "second"])
    todos.expect_stored(("first", False), ("second", False))


# -- mark all as complete -------------------------------------------------------------------------


def test_mark_all_completes_every_todo(todos: Todos) -> None:
    todos.add("one", "two", "three")
    todos.item(1).locator(".toggle").check()  # already done: stays done
    todos.toggle_all.check()
    for index in range(3):
        expect(todos.item(index)).to_have_class("completed")
    expect(todos.count).to_have_text("0 items left")
    todos.expect_stored(("one", True), ("two", True), ("three", True))


def test_mark_all_again_clears_every_todo(todos: Todos) -> None:
    todos.add("one", "two", "three")
    todos.toggle_all.check()
    expect(todos.item(2)).to_have_class("completed")
    todos.toggle_all.uncheck()
    for index in range(3):
        expect_no_class(todos.item(index))
    expect(todos.count).to_have_text("3 items left")
    todos.expect_stored(("one", False), ("two", False), ("three", False))


def test_mark_all_follows_the_items(todos: Todos) -> None:
    todos.add("one", "two")
    expect(todos.toggle_all).not_to_be_checked()
    todos.item(0).locator(".toggle").check()
    expect(todos.toggle_all).not_to_be_checked()
    todos.item(1).locator(".toggle").check()
    expect(todos.toggle_all).to_be_checked()  # every item done
    todos.item(0).locator(".toggle").uncheck()
    expect(todos.toggle_all).not_to_be_checked()
    todos.add("three")
    todos.item(0).locator(".toggle").check()
    expect(todos.toggle_all).not_to_be_checked()  # "three" is still to do


def test_mark_all_is_cleared_by_clear_completed(todos: Todos) -> None:
    todos.add("one", "two")
    todos.toggle_all.check()
    todos.clear_completed.click()
    expect(todos.items).to_have_count(0)
    expect(todos.toggle_all).not_to_be_checked()
    todos.add("three")
    expect(todos.toggle_all).not_to_be_checked()


# -- item -----------------------------------------------------------------------------------------


def test_the_checkbox_completes_and_reopens_a_todo(todos: Todos) -> None:
    todos.add("one", "two")
    todos.item(0).locator(".toggle").check()
    expect(todos.item(0)).to_have_class("completed")
    expect_no_class(todos.item(1))
    todos.item(1).locator(".toggle").check()
    expect(todos.item(1)).to_have_class("completed")
    todos.expect_stored(("one", True), ("two", True))
    todos.item(0).locator(".toggle").uncheck()
    expect_no_class(todos.item(0))
    expect(todos.item(1)).to_have_class("completed")
    todos.expect_stored(("one", False), ("two", True))


def test_a_new_item_has_no_class_and_its_text_is_only_the_title(todos: Todos) -> None:
    todos.add("walk the dog")
    item = todos.item(0)
    expect_no_class(item)
    expect(item).to_have_text("walk the dog")
    expect(item.locator(".destroy")).to_have_text("")
    expect(item.locator(".toggle")).not_to_be_checked()


def test_hovering_shows_the_remove_button_which_removes_the_todo(
    todos: Todos, screen: Screen, user: User
) -> None:
    todos.add("one", "two", "three")
    two = screen.get_by_role("listitem", name="two")
    assert screen.within(two).query_by_role("button") is None  # hidden until hovered
    two.hover()
    user.click(screen.within(two).get_by_role("button"))
    expect(todos.items).to_have_text(["one", "three"])
    todos.expect_stored(("one", False), ("three", False))


def test_double_click_edits_and_hides_the_other_controls(todos: Todos) -> None:
    todos.add("one", "two")
    edit = todos.start_editing(1)
    item = todos.item(1)
    expect(item).to_have_class("editing")
    expect(edit).to_be_visible()
    expect(edit).to_have_value("two")
    expect(item.locator(".toggle")).to_be_hidden()
    expect(item.locator("label")).to_be_hidden()
    expect_no_class(todos.item(0))  # only the double-clicked item edits


def test_a_completed_todo_edits_and_is_completed_again_after(todos: Todos) -> None:
    todos.add("one")
    todos.item(0).locator(".toggle").check()
    edit = todos.start_editing(0)
    expect(todos.item(0)).to_have_class("editing")  # exactly: not "completed editing"
    edit.fill("one done")
    edit.press("Enter")
    expect(todos.item(0)).to_have_class("completed")
    todos.expect_stored(("one done", True))


# -- editing --------------------------------------------------------------------------------------


def test_enter_saves_the_edit(todos: Todos) -> None:
    todos.add("one", "two", "three")
    edit = todos.start_editing(1)
    edit.fill("buy some sausages")
    edit.press("Enter")
    expect(todos.items).to_have_text(["one", "buy some sausages", "three"])
    expect_no_class(todos.item(1))
    todos.expect_stored(("one", False), ("buy some sausages", False), ("three", False))


def test_blur_saves_the_edit(todos: Todos) -> None:
    todos.add("one", "two", "three")
    edit = todos.start_editing(1)
    edit.fill("buy some sausages")
    edit.blur()
    expect(todos.items).to_have_text(["one", "buy some sausages", "three"])
    expect_no_class(todos.item(1))
    todos.expect_stored(("one", False), ("buy some sausages", False), ("three", False))


def test_the_edit_is_trimmed(todos: Todos) -> None:
    todos.add("one", "two")
    edit = todos.start_editing(0)
    edit.fill("    buy some sausages    ")
    edit.press("Enter")
    expect(todos.item(0)).to_have_text("buy some sausages")
    assert todos.titles() == ["buy some sausages", "two"]
    todos.expect_stored(("buy some sausages", False), ("two", False))


@pytest.mark.parametrize("leave", ["Enter", "blur"])
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_edit_removes_the_todo(todos: Todos, leave: str, blank: str) -> None:
    todos.add("one", "two", "three")
    edit = todos.start_editing(1)
    edit.fill(blank)
    if leave == "Enter":
        edit.press("Enter")
    else:
        edit.blur()
    expect(todos.items).to_have_text(["one", "three"])
    todos.expect_stored(("one", False), ("three", False))


def test_escape_discards_the_edit(todos: Todos) -> None:
    todos.add("one", "two")
    edit = todos.start_editing(0)
    edit.fill("changed my mind")
    edit.press("Escape")
    expect_no_class(todos.item(0))
    expect(todos.items).to_have_text(["one", "two"])
    todos.expect_stored(("one", False), ("two", False))


def test_escape_then_blur_does_not_save(todos: Todos) -> None:
    todos.add("one", "two")
    edit = todos.start_editing(0)
    edit.fill("changed my mind")
    edit.press("Escape")
    edit.evaluate("input => input.blur()")  # the blur that follows leaving, if focus stayed
    todos.new_todo.click()  # and a real one: focus moves elsewhere
    expect(todos.items).to_have_text(["one", "two"])
    todos.expect_stored(("one", False), ("two", False))
    todos.start_editing(0)  # the next edit starts from the saved title, not the discarded one
    expect(todos.item(0).locator("input.edit")).to_have_value("one")


def test_enter_then_blur_saves_once(todos: Todos) -> None:
    todos.add("one", "two")
    todos.expect_stored(("one", False), ("two", False))
    todos.page.evaluate(
        """key => {
            window.__writes__ = [];
            const setItem = window.__setItem__ = Storage.prototype.setItem;
            Storage.prototype.setItem = function (k, v) {
                if (k === key) window.__writes__.push(v);
                return setItem.call(this, k, v);
            };
        }""",
        STORAGE_KEY,
    )
    try:
        edit = todos.start_editing(0)
        edit.fill("one edited")
        edit.press("Enter")
        expect(todos.item(0)).to_have_text("one edited")
        edit.evaluate("input => input.blur()")
        todos.new_todo.click()
        expect(todos.items).to_have_text(["one edited", "two"])
        todos.expect_stored(("one edited", False), ("two", False))
        writes = todos.page.evaluate("window.__writes__")
    finally:
        todos.page.evaluate("() => { Storage.prototype.setItem = window.__setItem__; }")
    assert len(writes) == 1, writes


def test_editing_state_is_not_persisted(todos: Todos) -> None:
    todos.add("one", "two")
    before = todos.expect_stored(("one", False), ("two", False))
    edit = todos.start_editing(1)
    edit.fill("half typed")
    assert todos.stored() == before  # nothing about editing, and no draft
    reload(todos)
    expect(todos.items).to_have_text(["one", "two"])
    expect_no_class(todos.item(1))
    expect(todos.page.locator("li.editing")).to_have_count(0)


# -- counter --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("added", "done", "expected"),
    [(1, 0, "1 item left"), (2, 0, "2 items left"), (2, 1, "1 item left"), (2, 2, "0 items left")],
)
def test_the_counter_counts_active_todos_in_words(
    todos: Todos, added: int, done: int, expected: str
) -> None:
    todos.add(*[f"todo {number}" for number in range(added)])
    for index in range(done):
        todos.item(index).locator(".toggle").check()
    expect(todos.count).to_have_text(expected)
    number = expected.split(maxsplit=1)[0]
    expect(todos.count.locator("strong")).to_have_text(number)
    assert todos.count.inner_html().strip().startswith(f"<strong>{number}</strong>")


# -- clear completed ------------------------------------------------------------------------------


def test_clear_completed_shows_only_with_completed_todos(todos: Todos) -> None:
    todos.add("one", "two")
    expect_hidden_in_dom(todos.clear_completed)
    todos.item(0).locator(".toggle").check()
    expect(todos.clear_completed).to_be_visible()
    expect(todos.clear_completed).to_have_text("Clear completed")
    todos.item(0).locator(".toggle").uncheck()
    expect_hidden_in_dom(todos.clear_completed)


def test_clear_completed_removes_the_completed_todos(todos: Todos) -> None:
    todos.add("one", "two", "three")
    todos.item(1).locator(".toggle").check()
    todos.clear_completed.click()
    expect(todos.items).to_have_text(["one", "three"])
    expect_hidden_in_dom(todos.clear_completed)
    expect(todos.count).to_have_text("2 items left")
    todos.expect_stored(("one", False), ("three", False))


# -- persistence ----------------------------------------------------------------------------------


def test_todos_and_their_state_survive_a_reload(todos: Todos) -> None:
    todos.add("one", "two", "three")
    todos.item(1).locator(".toggle").check()
    stored = todos.expect_stored(("one", False), ("two", True), ("three", False))
    reload(todos)
    expect(todos.items).to_have_text(["one", "two", "three"])
    expect_no_class(todos.item(0))
    expect(todos.item(1)).to_have_class("completed")
    expect(todos.item(1).locator(".toggle")).to_be_checked()
    expect(todos.count).to_have_text("2 items left")
    assert todos.expect_stored(("one", False), ("two", True), ("three", False)) == stored
    todos.add("four")  # the reloaded list goes on from where it was
    todos.expect_stored(("one", False), ("two", True), ("three", False), ("four", False))


def test_the_stored_list_is_a_plain_json_array_under_todos_framework(todos: Todos) -> None:
    assert todos.stored_raw() is None or todos.stored() == []
    todos.add("one")
    todos.item(0).locator(".toggle").check()
    stored = todos.expect_stored(("one", True))
    assert stored == [{"id": stored[0]["id"], "title": "one", "completed": True}]
