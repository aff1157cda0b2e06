"""The TO-DO app (apps/todo) as the end-to-end tests see it: where it lives, its selectors, and
small helpers to drive it the way a user does and to read what it stored.

The selectors are TodoMVC's (todomvc-spec.md, the template's DOM): any TodoMVC suite selects on
the same classes, so these tests hold the app to the same contract.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import AppPage

REPO_ROOT = Path(__file__).resolve().parents[2]
TODO_APP = REPO_ROOT / "apps" / "todo"
STORAGE_KEY = "todos-framework"
ANY_VALUE = re.compile(r".*")  # matches any attribute value, including ""
STORED_WAIT_MS = 5_000


@dataclass
class Todos:
    """One open TO-DO page, with the template's parts as locators."""

    page: Page

    @property
    def new_todo(self) -> Locator:
        return self.page.locator("input.new-todo")

    @property
    def main(self) -> Locator:
        return self.page.locator(".todoapp .main")

    @property
    def footer(self) -> Locator:
        return self.page.locator(".todoapp .footer")

    @property
    def toggle_all(self) -> Locator:
        return self.page.locator("input.toggle-all")

    @property
    def items(self) -> Locator:
        return self.page.locator("ul.todo-list > li")

    @property
    def count(self) -> Locator:
        return self.page.locator("span.todo-count")

    @property
    def clear_completed(self) -> Locator:
        return self.page.locator("button.clear-completed")

    @property
    def filters(self) -> Locator:
        return self.page.locator("ul.filters a")

    def filter(self, name: str) -> Locator:
        return self.filters.get_by_text(name, exact=True)

    def item(self, index: int) -> Locator:
        return self.items.nth(index)

    def add(self, *titles: str) -> None:
        """Type each title into the new-todo input and press Enter, as a user does."""
        for title in titles:
            self.new_todo.fill(title)
            self.new_todo.press("Enter")
        if titles:
            expect(self.new_todo).to_have_value("")

    def add_and_wait(self, *titles: str) -> None:
        """add(), then wait until the list shows them all at its bottom."""
        before = self.items.count()
        self.add(*titles)
        expect(self.items).to_have_count(before + len(titles))

    def start_editing(self, index: int) -> Locator:
        """Double-click the label of item `index`; return its (focused) edit input."""
        item = self.item(index)
        item.locator("label").dblclick()
        expect(item).to_have_class("editing")
        edit = item.locator("input.edit")
        expect(edit).to_be_focused()
        return edit

    def titles(self) -> list[str]:
        return self.items.locator("label").all_text_contents()

    def stored_raw(self) -> str | None:
        raw: str | None = self.page.evaluate("k => localStorage.getItem(k)", STORAGE_KEY)
        return raw

    def stored(self) -> Any:
        raw = self.stored_raw()
        return None if raw is None else json.loads(raw)

    def expect_stored(self, *expected: tuple[str, bool]) -> list[dict[str, Any]]:
        """Wait until localStorage holds exactly these (title, completed) in this order; return
        the stored list. Each entry must be exactly {id, title, completed}."""
        wanted = [list(entry) for entry in expected]
        with contextlib.suppress(PlaywrightTimeout):  # the assertions below say what is stored
            self.page.wait_for_function(
                """([key, wanted]) => {
                    try {
                        const got = JSON.parse(localStorage.getItem(key));
                        return JSON.stringify(got.map(t => [t.title, t.completed]))
                            === JSON.stringify(wanted);
                    } catch { return false; }
                }""",
                arg=[STORAGE_KEY, wanted],
                timeout=STORED_WAIT_MS,
            )
        stored = self.stored()
        assert isinstance(stored, list), f"{STORAGE_KEY} holds {self.stored_raw()!r}"
        assert [(todo["title"], todo["completed"]) for todo in stored] == list(expected)
        for todo in stored:
            assert set(todo) == {"id", "title", "completed"}, todo
            assert isinstance(todo["id"], str) and todo["id"]
        assert len({todo["id"] for todo in stored}) == len(stored), "ids are not unique"
        return stored


@dataclass
class SharedTodos:
    """One booted app page for a whole module, and a `control` page of the same origin (a
    plain stylesheet, not the app) that edits localStorage the way another tab would.

    A boot costs 20-30 s on a loaded machine, so tests that do not need a fresh boot share a
    page: `fresh()` empties the list through another tab's `localStorage.clear()` (which the
    app follows, like any change from another tab) and goes back to `#/`, then checks that the
    page is as a fresh boot leaves it; if anything is left over, it boots afresh. Tests that
    are about booting call `boot()`.
    """

    app: AppPage
    url: str
    control: Page
    resets: int = 0

    @property
    def page(self) -> Page:
        return self.app.page

    def set_stored(self, value: str | None) -> None:
        """Empty localStorage, then put value (None: nothing) under the app's key."""
        self.control.evaluate(
            """([key, value]) => {
                localStorage.clear();
                if (value !== null) localStorage.setItem(key, value);
            }""",
            [STORAGE_KEY, value],
        )

    def boot(self, stored: str | None = None, hash_: str = "") -> Todos:
        """Boot the app afresh at url + hash_, with `stored` under its key before it starts."""
        self.page.goto("about:blank")  # the old app must not see the new value arrive
        self.set_stored(stored)
        self.page.bring_to_front()
        return open_todos(self.app, self.url + hash_)

    def fresh(self) -> Todos:
        """The shared page with an empty list at `#/`, as a fresh boot leaves it."""
        # The control page (or a test's second tab) opened later is the front tab, and Chromium
        # draws a background tab about once a second: every Playwright action then waits ~2 s
        # for its element to be "stable" (two animation frames), and every wait_for_function
        # polls once a second. The user works in the app's tab: bring it to the front.
        self.page.bring_to_front()
        if not self.page.url.startswith(self.url) or not self.app.ready:
            return self.boot()
        self.resets += 1
        token = str(self.resets)
        self.page.evaluate(
            """() => {
                document.activeElement?.blur?.();
                if (location.hash !== '#/') location.hash = '#/';
                if (!window.__resetWatch__) {
                    window.__resetWatch__ = true;
                    addEventListener('storage', event => {
                        if (event.key === '__reset__' && event.newValue !== null)
                            window.__reset__ = event.newValue;
                    });
                }
            }"""
        )
        try:
            self.dismiss_import_error()
        except AssertionError:
            return self.boot()
        self.set_stored(None)
        # Storage events arrive in order: once the app page has seen this marker, the app has
        # also handled the clear() before it (a late one would empty the next test's list).
        self.control.evaluate(
            """token => {
                localStorage.setItem('__reset__', token);
                localStorage.removeItem('__reset__');
            }""",
            token,
        )
        todos = Todos(self.page)
        todos.new_todo.fill("")
        try:
            todos.page.wait_for_function("t => window.__reset__ === t", arg=token, timeout=5_000)
            expect(todos.items).to_have_count(0, timeout=STORED_WAIT_MS)
            expect(self.page.locator(".notice")).to_have_count(0, timeout=1_000)
            expect(todos.main).to_be_hidden(timeout=1_000)
            todos.page.wait_for_function(
                "key => localStorage.getItem(key) === null", arg=STORAGE_KEY, timeout=1_000
            )
        except (AssertionError, PlaywrightTimeout):
            return self.boot()  # something outlived the reset: start over for real
        return todos

    def dismiss_import_error(self) -> None:
        """A failed import's notice stays until an import succeeds, the app's only way to
        dismiss it: import an empty list as a user would, and wait until the notice is gone."""
        notice = self.page.locator(".import-error")
        if notice.count() == 0:
            return
        self.page.locator("label.import input[type=file]").set_input_files(
            {"name": "empty.json", "mimeType": "application/json", "buffer": b"[]"}
        )
        expect(notice).to_have_count(0, timeout=STORED_WAIT_MS)

    def seed(self, value: str) -> None:
        """Store value as another tab would; the app shows it without a reload."""
        self.control.evaluate(
            "([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, value]
        )


def share_todos(app: AppPage, url: str) -> SharedTodos:
    """A SharedTodos over module_page, its control page opened on the app's stylesheet."""
    control = app.page.context.new_page()
    control.goto(url + "app.css")
    shared = SharedTodos(app, url, control)
    shared.boot()
    return shared


def open_todos(app_page: AppPage, url: str) -> Todos:
    """Open the app and wait until it is ready (data-ready="1"), failing on a boot error."""
    app_page.open(url)
    assert app_page.error is None, app_page.text("#framework-error")
    assert app_page.ready
    return Todos(app_page.page)


def reload(todos: Todos) -> None:
    todos.page.reload()
    todos.page.wait_for_selector('html[data-ready="1"]', state="attached")


def expect_no_class(locator: Locator) -> None:
    """The class attribute is absent, not merely empty (the official suites compare it)."""
    expect(locator).not_to_have_attribute("class", ANY_VALUE)
    assert locator.get_attribute("class") is None


def expect_hidden_in_dom(locator: Locator) -> None:
    """Hidden, but still in the DOM: TodoMVC hides .main, .footer and .clear-completed."""
    expect(locator).to_have_count(1)
    expect(locator).to_be_hidden()


def stored_list(*todos: tuple[str, bool]) -> str:
    """A list as the app stores it, for seeding."""
    return json.dumps(
        [
            {"id": f"seed{index}", "title": title, "completed": completed}
            for index, (title, completed) in enumerate(todos)
        ]
    )
