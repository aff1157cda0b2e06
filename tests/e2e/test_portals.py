"""Portals and dialogs in real Chromium, driven like a user (app: apps/portals): a modal opened
from a button renders into <body>, Tab and Shift+Tab stay inside it, Escape or a button closes
it and the focus returns to the button that opened it, and a dialog goes with the component
that owns it.

The page boots once per module; `__portals_reset__()` remounts a fresh app before each test.
The memory backend's model of the same is tested in tests/unit/test_portal.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

OVERLAY = "#framework-error"
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "portals").url)
    assert module_page.error is None, module_page.text(OVERLAY)
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Iterator[Page]:
    """A freshly mounted app; a test that leaves an error on the page fails."""
    booted.page.evaluate("() => __portals_reset__()")
    yield booted.page
    assert booted.error is None, booted.text(OVERLAY)


def focused(page: Page) -> str:
    found: str = page.evaluate(FOCUSED_ID)
    return found


def open_confirm(page: Page) -> None:
    page.locator("#open").click()
    expect(page.get_by_role("dialog", name="Delete the item?")).to_be_visible()


def test_the_modal_renders_into_the_body_and_takes_the_focus(page: Page) -> None:
    open_confirm(page)
    parent = page.locator("[role=dialog]").evaluate("dialog => dialog.parentElement.localName")
    assert parent == "body"
    assert page.locator("#app [role=dialog]").count() == 0
    assert page.locator("[role=dialog]").get_attribute("aria-modal") == "true"
    assert focused(page) == "reason"


def test_tab_and_shift_tab_cycle_inside_the_modal(page: Page) -> None:
    open_confirm(page)
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order == ["cancel", "delete", "reason", "cancel"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "delete"


def test_a_click_inside_the_modal_runs_its_handler(page: Page) -> None:
    open_confirm(page)
    page.locator("#delete").click()
    expect(page.locator("#deleted")).to_have_text("1")
    expect(page.locator("[role=dialog]")).to_have_count(0)
    assert focused(page) == "open"


@pytest.mark.parametrize("close", ["Escape", "Cancel"])
def test_closing_the_modal_gives_the_focus_back_to_the_opener(page: Page, close: str) -> None:
    page.locator("#open").focus()
    page.keyboard.press("Enter")  # opened from the keyboard: the focus must come back there
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Tab")
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        page.locator("#cancel").click()
    expect(page.locator("[role=dialog]")).to_have_count(0)
    assert focused(page) == "open"


def test_a_dialog_goes_with_the_component_that_owns_it(page: Page) -> None:
    page.locator("#toggle-panel").click()
    expect(page.get_by_role("dialog", name="Panel dialog")).to_be_visible()
    assert focused(page) == "inner"
    page.locator("#toggle-panel").click()  # the panel unmounts, and its dialog with it
    expect(page.locator("#panel")).to_have_count(0)
    expect(page.locator("[data-framework-portal]")).to_have_count(0)
