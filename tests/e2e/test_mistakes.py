"""The first-hour mistakes of issue 17 in real Chromium, one small app each (tests/e2e/apps/
mistakes_*): a handler called instead of passed, an event name typo, an f-string for a t-string.

Each is reported in the overlay (and `<html data-error>`) at the user's file and line with the
fix, and none of them costs data: the app's Store (localStorage) holds the same after the
mistake and after a reload. One page serves the module: each app is opened in turn (a fresh
origin each, so a fresh localStorage).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

OVERLAY = "#framework-error"


def line_of(app: str, text: str) -> int:
    """The 1-based line of app's main.py holding text (so the tests follow edits of the app)."""
    lines = (APPS / app / "main.py").read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def open_app(page: AppPage, served_app: ServeApp, app: str) -> str:
    """Open the app, wait until it settled; return the overlay's text."""
    page.open(served_app(APPS / app).url)
    return overlay(page)


def overlay(page: AppPage) -> str:
    assert page.error is not None, "the mistake marks <html data-error>"
    box = page.page.locator(OVERLAY)
    assert box.is_visible()
    return box.inner_text()


def reload(page: AppPage) -> str:
    page.page.reload()
    page.wait_settled()
    return overlay(page)


def stored(page: AppPage, key: str) -> object:
    text = page.page.evaluate("(key) => localStorage.getItem(key)", key)
    return None if text is None else json.loads(text)


def holds(page: AppPage, key: str, expected: list[str]) -> bool:
    """Whether localStorage's key holds expected, waiting a little for the end-of-flush write."""
    same = "([key, want]) => JSON.stringify(JSON.parse(localStorage.getItem(key))) === want"
    try:
        page.page.wait_for_function(
            same, arg=[key, json.dumps(expected, separators=(",", ":"))], timeout=5_000
        )
    except PlaywrightTimeout:
        return False
    return stored(page, key) == expected


@pytest.fixture(scope="module")
def app_page(module_page: AppPage) -> AppPage:
    return module_page


def test_a_called_handler_changes_nothing_and_names_the_fix(
    app_page: AppPage, served_app: ServeApp
) -> None:
    five = ["milk", "eggs", "bread", "tea", "jam"]
    text = open_app(app_page, served_app, "mistakes_called_handler")
    assert holds(app_page, "mistakes-items", five)
    assert app_page.text("#count") == "5 items"
    render_line = line_of("mistakes_called_handler", "<button onclick={self.remove()}>")
    emit_line = line_of("mistakes_called_handler", 'self.emit("removed"')
    assert "Row.render() tried to emit 'removed' to its parent" in text
    assert f"main.py:{render_line}:" in text and f"main.py:{emit_line}:" in text
    assert "write onclick={self.remove}, not onclick={self.remove()}" in text
    assert "nothing was changed" in text
    assert text.count("tried to emit") == 1, "five rows, one report"
    assert "happened 5 times" in text
    assert app_page.page.locator(".framework-error-boundary").count() == 5

    text = reload(app_page)
    assert holds(app_page, "mistakes-items", five)
    assert app_page.text("#count") == "5 items"
    assert "write onclick={self.remove}" in text


def test_an_event_typo_names_onclick_and_the_rest_keeps_working(
    app_page: AppPage, served_app: ServeApp
) -> None:
    text = open_app(app_page, served_app, "mistakes_event_typo")
    typo_line = line_of("mistakes_event_typo", '<button id="bump" onclik=')
    assert "unknown event 'onclik': did you mean onclick?" in text
    assert f"main.py:{typo_line}:" in text
    assert '<button id="bump" onclik={self.bump}>bump</button>' in text  # the source line
    assert "LookupError: the widget's settings are missing" in text  # the sibling, once
    assert text.count("LookupError: the widget") == 1
    assert app_page.page.locator("#bump").count() == 0, "the typo's component shows its fallback"
    assert holds(app_page, "mistakes-clicks", ["a", "b", "c"])

    app_page.page.click(f"{OVERLAY} header button")  # dismissed, as a user would
    app_page.page.click("#add")  # parent and siblings still respond
    app_page.page.wait_for_function(
        "() => document.querySelector('#count').textContent === '4 clicks'"
    )
    app_page.page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('mistakes-clicks')).length === 4"
    )

    text = reload(app_page)
    assert holds(app_page, "mistakes-clicks", ["a", "b", "c", "add"])
    assert app_page.text("#count") == "4 clicks"
    assert "did you mean onclick?" in text


def test_an_fstring_render_gets_the_t_string_hint_and_no_markup_is_shown(
    app_page: AppPage, served_app: ServeApp
) -> None:
    text = open_app(app_page, served_app, "mistakes_fstring")
    fstring_line = line_of("mistakes_fstring", 'return f"<p class=')
    assert 'Greeting.render() returned a str, not a template: write t"..."' in text
    assert f"main.py:{fstring_line}:" in text
    body = app_page.page.locator("#app").inner_text()
    assert "<p" not in body and "Hello" not in body, "the markup is never shown as text"
    assert "Greeting failed to render" in body
    assert holds(app_page, "mistakes-notes", ["first", "second"])

    reload(app_page)
    assert holds(app_page, "mistakes-notes", ["first", "second"])
    assert app_page.text("#count") == "2 notes"
