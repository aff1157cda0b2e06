"""The testing kit against a real page (framework.cli.e2e): each query and each action on the
TO-DO app in Chromium, with the unit kit's rules and messages, and the e2e examples of
docs/testing.md run as written.

One `framework serve apps/todo` and one booted page for the module (todo_pages.SharedTodos):
each test starts from an empty list at `#/`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Playwright, expect

from framework.cli.bundle import browser_sources
from framework.cli.e2e import (
    ElementNotFound,
    MultipleElementsFound,
    Screen,
    UntilTimeout,
    User,
    install,
    until,
)
from tests.e2e.conftest import TEST_CHROMIUM_ARGS, AppPage, ServeApp, Server, chromium_executable
from tests.e2e.todo_pages import TODO_APP, SharedTodos, Todos, share_todos
from tests.testkit_parity import LISTINGS
from tests.testkit_parity import PAGE as PARITY_PAGE

pytestmark = pytest.mark.e2e

NEW_TODO = "What needs to be done?"
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
GUIDE_TEXT = GUIDE.read_text(encoding="utf-8")
# Each block padded with the lines above it, so that a failure names its line of the guide.
E2E_BLOCKS = [
    "\n" * GUIDE_TEXT.count("\n", 0, found.start(1)) + found.group(1)
    for found in re.finditer(r"```python e2e\n(.*?)```", GUIDE_TEXT, re.S)
]


@pytest.fixture(scope="module")
def shared(served_app: ServeApp, module_page: AppPage, playwright: Playwright) -> SharedTodos:
    install(playwright)  # before the page opens the app: its document gets the engine
    server: Server = served_app(TODO_APP)
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


@pytest.fixture
def extra(todos: Todos) -> Iterator[Page]:
    """Elements the TO-DO has none of (a select, a disabled button), put in the page outside
    the app and removed after the test."""
    todos.page.evaluate(
        """() => {
            // Built node by node: the app's page takes no HTML strings (Trusted Types).
            const make = (tag, attributes, ...children) => {
                const element = document.createElement(tag);
                for (const [name, value] of Object.entries(attributes))
                    element.setAttribute(name, value);
                element.append(...children);
                return element;
            };
            const size = make('select', {},
                make('option', {value: 's'}, 'Small'),
                make('option', {value: 'm', selected: ''}, 'Medium'),
                make('option', {value: 'l', disabled: ''}, 'Large'));
            const toppings = make('select', {multiple: '', 'aria-label': 'Toppings'},
                make('option', {}, 'Cheese'), make('option', {}, 'Ham'),
                make('option', {}, 'Olives'));
            const locked = make('button', {disabled: ''}, 'Locked');
            window.__clicks__ = 0;
            locked.addEventListener('click', () => window.__clicks__++);
            document.body.append(
                make('div', {id: 'extra'}, make('label', {}, 'Size ', size), toppings, locked));
        }"""
    )
    yield todos.page
    todos.page.evaluate("() => document.getElementById('extra')?.remove()")


def add(screen: Screen, user: User, *titles: str) -> None:
    for title in titles:
        user.type(screen.get_by_role("textbox", name=NEW_TODO), f"{title}{{Enter}}")
        screen.find_by_role("listitem", name=title)  # the page answers a moment later


def tag(locator: Locator) -> str:
    name: str = locator.evaluate("element => element.localName")
    return name


# -- queries ------------------------------------------------------------------------------------


def test_by_role_finds_by_role_name_and_level(screen: Screen, user: User) -> None:
    assert tag(screen.get_by_role("heading", name="todos", level=1)) == "h1"
    assert screen.query_by_role("heading", level=2) is None
    expect(screen.get_by_role("textbox", name=NEW_TODO)).to_have_value("")
    quoted = 'it\'s "quoted" >> here'  # the selector engine's JSON holds it whole
    add(screen, user, "buy milk", "walk the dog", quoted)
    shown = [item.inner_text() for item in screen.get_all_by_role("listitem")]  # page order
    assert shown == ["buy milk", "walk the dog", quoted, "All", "Active", "Completed"]
    item = screen.within(screen.get_by_role("listitem", name=re.compile("dog$")))
    expect(item.get_by_role("checkbox")).not_to_be_checked()  # inside that item only
    assert tag(screen.get_by_role("link", name="Active")) == "a"
    assert screen.get_by_role("checkbox", name="Mark all as complete").get_attribute("id") == (
        "toggle-all"
    )


def test_by_role_leaves_out_what_the_page_does_not_show(screen: Screen, user: User) -> None:
    # With no todos, the main section is hidden (its `hidden` attribute): so is its checkbox.
    assert screen.query_by_role("checkbox", name="Mark all as complete") is None
    assert screen.get_by_role("checkbox", name="Mark all as complete", hidden=True)
    add(screen, user, "one")
    item = screen.get_by_role("listitem", name="one")
    # The remove button is display: none until the item is hovered (the stylesheet's rule).
    assert screen.within(item).query_by_role("button") is None
    item.hover()
    expect(screen.within(item).get_by_role("button")).to_be_visible()


def test_by_label_placeholder_text_value_and_test_id(
    todos: Todos, screen: Screen, user: User
) -> None:  # fmt: skip
    add(screen, user, "one")
    assert screen.get_by_label_text("Mark all as complete").get_attribute("type") == "checkbox"
    # A label holding its field: the field, named by the label's text but its own.
    assert screen.get_by_label_text("Import list").get_attribute("type") == "file"
    new_todo = screen.get_by_placeholder_text(NEW_TODO)
    expect(new_todo).to_be_focused()
    assert tag(screen.get_by_text("Double-click to edit a todo")) == "p"
    assert screen.get_by_text(re.compile("^double-click", re.I)).inner_text().startswith("Double")
    # Own text only: the counter shows "<strong>1</strong> item left".
    assert tag(screen.get_by_text("item left")) == "span"
    assert screen.query_by_text("1 item left") is None
    user.type(new_todo, "half typed")
    expect(screen.get_by_display_value("half typed")).to_be_focused()
    count = todos.page.locator("span.todo-count")
    count.evaluate("e => e.dataset.testid = 'count'")
    try:
        expect(screen.get_by_test_id("count")).to_have_text("1 item left")
        assert screen.query_by_test_id(re.compile("^co")) is not None
    finally:
        count.evaluate("e => delete e.dataset.testid")  # the page is the next test's too


def test_a_query_that_finds_nothing_says_what_the_page_has(screen: Screen, user: User) -> None:
    add(screen, user, "one")
    with pytest.raises(ElementNotFound) as failure:
        screen.get_by_role("button", name="Remove")
    message = str(failure.value)
    assert message.startswith(
        'Unable to find an element with role "button" and name "Remove".\n'
        "The roles and names on the page:\n"
    )
    shown = message.splitlines()[2:]
    for line in ('heading "todos" (level 1)', f'textbox "{NEW_TODO}"', 'listitem "one"'):
        assert f"  {line}" in shown
    assert '  button ""' not in shown  # the hidden remove button: a user does not see it
    with pytest.raises(ElementNotFound, match=r'(?s)label "Nothing".*"Mark all as complete"'):
        screen.get_by_label_text("Nothing")
    with pytest.raises(ElementNotFound, match=rf'(?s)placeholder "X".*"{re.escape(NEW_TODO)}"'):
        screen.get_all_by_placeholder_text("X")
    with pytest.raises(ElementNotFound, match=r'(?s)display value "x".*\n  ""'):
        screen.get_by_display_value("x")
    with pytest.raises(ElementNotFound, match=r"(?s)test id /none/.*\n  [(]none[)]"):
        screen.get_by_test_id(re.compile("none"))
    within = screen.within(screen.get_by_role("listitem", name="one"))
    with pytest.raises(ElementNotFound, match=r'(?s)text "two".*\n  "one"$'):
        within.get_by_text("two")


def test_several_where_one_was_expected(screen: Screen, user: User) -> None:
    add(screen, user, "one", "two")
    with pytest.raises(MultipleElementsFound) as failure:
        screen.get_by_role("checkbox", name="")  # the two items' checkboxes
    lines = str(failure.value).splitlines()
    assert lines[0] == (
        'Found 2 elements with role "checkbox" and name "", where one was expected '
        "(get_all_by_* returns them all; a name or within() narrows the search):"
    )
    assert [line[:22] for line in lines[1:]] == ['  <input class="toggle'] * 2
    with pytest.raises(MultipleElementsFound) as failure:
        screen.query_by_role("listitem", name=re.compile("^(one|two)$"))
    shown = str(failure.value).split(":\n", 1)[1]  # each <li>'s HTML, cut at 60 characters
    assert shown.count("  <li>") == 2
    assert shown.count("...") == 2 and len(shown) == 2 * (2 + 60) + 1
    assert len(screen.get_all_by_role("checkbox", name="")) == 2


def test_find_waits_for_exactly_one(screen: Screen, user: User) -> None:
    user.type(screen.get_by_role("textbox", name=NEW_TODO), "later{Enter}")
    expect(screen.find_by_role("listitem", name="later")).to_have_text("later")
    started = time.monotonic()
    with pytest.raises(UntilTimeout) as failure:
        screen.find_by_text("never", timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 3
    assert 'Unable to find an element with text "never"' in str(failure.value)
    assert isinstance(failure.value.__cause__, ElementNotFound)


def test_a_pattern_with_flags_javascript_lacks_is_refused(screen: Screen) -> None:
    with pytest.raises(ValueError, match="RegExp cannot take"):
        screen.get_by_text(re.compile("todos", re.VERBOSE))


@pytest.fixture(scope="module")
def parity_page(shared: SharedTodos) -> Iterator[Page]:
    """tests/testkit_parity.py's page, alone in a tab (no app: no boot)."""
    page = shared.page.context.new_page()
    page.set_content(PARITY_PAGE)
    yield page
    page.close()
    shared.page.bring_to_front()


@pytest.mark.parametrize(
    ("kind", "arguments", "title", "listing"), LISTINGS, ids=[case[0] for case in LISTINGS]
)
def test_the_listings_are_the_unit_kits(
    parity_page: Page, kind: str, arguments: dict[str, Any], title: str, listing: list[str]
) -> None:
    """The same page lists the same in the unit tier (tests/unit/test_testkit_parity.py)."""
    with pytest.raises(ElementNotFound) as failure:
        getattr(Screen(parity_page), f"get_by_{kind}")(**arguments)
    lines = str(failure.value).splitlines()
    assert lines[1] == f"{title}:"
    assert [line.removeprefix("  ") for line in lines[2:]] == listing, "\n".join(lines)


# -- actions ------------------------------------------------------------------------------------


def test_click_and_dblclick(todos: Todos, screen: Screen, user: User) -> None:
    add(screen, user, "one", "two")
    item = screen.within(screen.get_by_role("listitem", name="one"))
    user.click(item.get_by_role("checkbox"))
    expect(screen.get_by_role("listitem", name="one")).to_have_class("completed")
    expect(todos.count).to_have_text("1 item left")
    user.dblclick(screen.get_by_text("two"))
    edit = screen.find_by_display_value("two")
    expect(edit).to_be_focused()
    focused = user.focused
    assert focused is not None and focused.get_attribute("class") == "edit"


def test_a_disabled_element_gets_no_click(extra: Page, user: User, screen: Screen) -> None:
    started = time.monotonic()
    user.click(screen.get_by_role("button", name="Locked"))
    user.dblclick(screen.get_by_role("button", name="Locked"))
    assert time.monotonic() - started < 10  # no waiting (30 s) for it to be enabled
    assert extra.evaluate("window.__clicks__") == 0


def test_type_keyboard_and_clear(todos: Todos, screen: Screen, user: User) -> None:
    new_todo = screen.get_by_role("textbox", name=NEW_TODO)
    user.type(new_todo, "buy")
    user.type(new_todo, " milk")  # at the end of the value, wherever the click landed
    expect(new_todo).to_have_value("buy milk")
    user.keyboard("{Backspace}{Backspace}{Backspace}{Backspace}tea{Enter}")
    expect(screen.find_by_role("listitem", name="buy tea")).to_be_visible()
    expect(new_todo).to_have_value("")
    user.dblclick(screen.get_by_text("buy tea"))
    expect(screen.find_by_display_value("buy tea")).to_be_focused()
    user.keyboard("{Space}x{Escape}")  # Escape discards the edit
    expect(screen.get_by_role("listitem", name="buy tea")).not_to_have_class("editing")
    user.type(new_todo, "draft")
    user.clear(new_todo)
    expect(new_todo).to_have_value("")
    todos.expect_stored(("buy tea", False))


def test_what_a_user_cannot_do_is_an_error(screen: Screen, user: User) -> None:
    with pytest.raises(TypeError, match=r"takes an <input> or a <textarea>, got <h1>"):
        user.type(screen.get_by_role("heading", name="todos"), "x")
    with pytest.raises(TypeError, match=r"user.select\(\) takes a <select>, got <input>"):
        user.select(screen.get_by_role("textbox", name=NEW_TODO), "x")
    with pytest.raises(ValueError, match=r"unknown key \{Shout\}"):
        user.keyboard("{Shout}")


def test_select(extra: Page, screen: Screen, user: User) -> None:
    size = screen.get_by_role("combobox", name="Size")
    expect(screen.get_by_display_value("Medium")).to_have_value("m")
    extra.evaluate(
        """() => {
            window.__events__ = [];
            const select = document.querySelector('#extra select');
            for (const type of ['input', 'change'])
                select.addEventListener(type, () => window.__events__.push(type));
        }"""
    )
    user.select(size, "Small")  # by its text
    expect(size).to_have_value("s")
    user.select(size, "m")  # by its value
    expect(size).to_have_value("m")
    assert extra.evaluate("window.__events__") == ["input", "change"] * 2
    toppings = screen.get_by_role("listbox", name="Toppings")
    user.select(toppings, "Cheese", "Olives")
    assert toppings.evaluate("s => Array.from(s.selectedOptions, o => o.value)") == [
        "Cheese",
        "Olives",
    ]
    with pytest.raises(ValueError, match="the option 'Large' is disabled"):
        user.select(size, "Large")
    with pytest.raises(ValueError, match="no option has the value or text 'XL'; the options:"):
        user.select(size, "XL")
    with pytest.raises(ValueError, match="several choices for a select that is not multiple"):
        user.select(size, "s", "m")


def test_until_polls_until_the_check_passes(screen: Screen, user: User) -> None:
    user.type(screen.get_by_role("textbox", name=NEW_TODO), "one{Enter}two{Enter}")

    def two_items() -> list[Locator]:
        items = screen.get_all_by_role("listitem", name=re.compile("^(one|two)$"))
        assert len(items) == 2
        return items

    assert [item.inner_text() for item in until(two_items)] == ["one", "two"]

    def three_items() -> None:
        assert len(screen.get_all_by_role("listitem")) == 3, "still two"

    with pytest.raises(UntilTimeout, match=r"(?s)waited 0\.2 seconds.*still two"):
        until(three_items, timeout=0.2)
    with pytest.raises(UntilTimeout, match="kept returning a false value"):
        until(lambda: False, timeout=0.1)


# -- the guide's examples -----------------------------------------------------------------------


def test_the_guide_has_e2e_examples() -> None:
    assert len(E2E_BLOCKS) >= 2
    assert any("def test_" in block for block in E2E_BLOCKS)


def test_the_guide_e2e_examples_pass(shared: SharedTodos) -> None:
    """Each `python e2e` block runs as written, in order, in one namespace; each test it
    defines runs on the shared page, reset first, with the fixtures the guide's conftest.py
    gives (its fixture functions are defined, not called: they would boot a second page)."""
    namespace: dict[str, Any] = {"__name__": "guide_e2e", "__file__": str(GUIDE)}
    for block in E2E_BLOCKS:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        page = shared.fresh().page
        fixtures = {"page": page, "todo_page": page, "screen": Screen(page), "user": User(page)}
        wanted = test.__code__.co_varnames[: test.__code__.co_argcount]
        test(**{name: fixtures[name] for name in wanted})


# -- the kit as a user installs it -------------------------------------------------------------


def test_the_kit_is_host_code_that_needs_playwright_only_when_used() -> None:
    code = (
        "import sys, framework.cli.e2e, framework.cli.e2e.pytest_plugin\n"
        "print(sorted(name for name in sys.modules if name.startswith('playwright')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    shipped = [path.as_posix() for path in browser_sources()]
    assert "testkit/queries.py" in shipped  # the unit kit is shipped; the e2e kit is not
    assert not [path for path in shipped if "e2e" in path]


def test_the_pytest_plugin_gives_screen_and_user(pytester: pytest.Pytester) -> None:
    """The guide's way: `pytest -p framework.cli.e2e.pytest_plugin`, pytest-playwright's page
    (here on a page of its own, no app: one browser start, no boot)."""
    pytester.makeconftest(
        f"""
import pytest

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = {chromium_executable()!r}
    options = {{**browser_type_launch_args, "args": {TEST_CHROMIUM_ARGS!r}}}
    return {{**options, "executable_path": executable}} if executable else options
"""
    )
    pytester.makepyfile(
        test_page="""
from playwright.sync_api import expect

def test_the_fixtures(page, screen, user):
    page.goto("data:text/html,<label>Name <input></label><p>Hello, <b>you</b></p>")
    user.type(screen.get_by_label_text("Name"), "Ada")
    expect(screen.get_by_display_value("Ada")).to_be_focused()
    assert screen.get_by_text("Hello,").evaluate("e => e.localName") == "p"
"""
    )
    result = pytester.runpytest_subprocess(
        "-p", "framework.cli.e2e.pytest_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1)
