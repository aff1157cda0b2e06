"""Bound controls in real Chromium, driven like a user (app: apps/binding): selects show their
bound value whatever renders their options, a select multiple round-trips a list, and number
and range inputs bind numbers.

The page boots once per module; `__binding_reset__()` remounts a fresh app before each test.
The same select rules run against both DOM backends in tests/e2e/test_backend_conformance.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

OVERLAY = "#framework-error"


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "binding").url)
    assert module_page.error is None, module_page.text(OVERLAY)
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Iterator[Page]:
    """A freshly mounted app; a test that leaves an error on the page fails."""
    booted.page.evaluate("() => __binding_reset__()")
    yield booted.page
    assert booted.error is None, booted.text(OVERLAY)


def selected(page: Page, selector: str) -> list[str]:
    found: list[str] = page.locator(selector).evaluate(
        "select => Array.from(select.selectedOptions, option => option.value)"
    )
    return found


# -- selects ---------------------------------------------------------------------------------------


def test_the_dom_alone_shows_the_first_option_when_options_come_after_the_value(
    page: Page,
) -> None:
    # Why selects need the protocol's select_value rule; the memory DOM does the same
    # (tests/unit/test_binding.py), so the unit tier fails where the browser would.
    shown = page.evaluate(
        """() => {
            const select = document.createElement("select");
            select.value = "3";
            for (const value of ["5", "4", "3"]) select.append(new Option(value, value));
            return select.value;
        }"""
    )
    assert shown == "5"


def test_the_issue_repro_shows_the_bound_value(page: Page) -> None:
    select = page.locator("#rating select")
    expect(select).to_have_value("3")
    select.select_option("4")
    expect(page.locator("#rating output")).to_have_text("4")
    expect(select).to_have_value("4")


def test_selects_in_a_list_of_components_show_their_value_when_options_come_later(
    page: Page,
) -> None:
    pickers = page.locator("#pickers")
    expect(pickers.locator("#p1 select")).to_have_value("")  # no option yet
    pickers.locator(".add-options").click()
    for ident in ("p1", "p2"):
        expect(pickers.locator(f"#{ident} select")).to_have_value("c")
    pickers.locator(".add-row").click()
    expect(pickers.locator("#p3 select")).to_have_value("c")
    pickers.locator("#p1 select").select_option("a")
    expect(pickers.locator("#p1 output")).to_have_text("a")
    pickers.locator(".change-options").click()  # reordered, one gone, one new
    expect(pickers.locator("#p1 select")).to_have_value("a")
    expect(pickers.locator("#p2 select")).to_have_value("c")
    expect(pickers.locator("#p2 output")).to_have_text("c")


def test_a_select_multiple_round_trips_a_list(page: Page) -> None:
    section = page.locator("#multiple")
    assert selected(page, "#multiple select") == ["b"]
    section.locator("select").select_option(["a", "c"])
    expect(section.locator("output")).to_have_text("['a', 'c'] list")
    section.locator("button").click()
    expect(section.locator("output")).to_have_text("['d', 'a'] list")
    assert selected(page, "#multiple select") == ["a", "d"]


# -- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "bound"), [("42", "42 int"), ("-2.5", "-2.5 float"), ("", "None NoneType")]
)
def test_a_number_input_binds_a_number(page: Page, typed: str, bound: str) -> None:
    field = page.locator("input.count")
    expect(field).to_have_value("3")
    field.fill(typed)
    expect(page.locator("output.count")).to_have_text(bound)


def test_typing_a_decimal_keeps_what_the_user_typed(page: Page) -> None:
    # Mid-number ("1.", "1.0") the value reads None or 1.0; nothing is written back under the
    # caret, so the field still holds every key typed.
    field = page.locator("input.count")
    field.fill("")
    field.press_sequentially("1.05")
    expect(field).to_have_value("1.05")
    expect(page.locator("output.count")).to_have_text("1.05 float")
    page.locator("#numbers button").click()
    expect(field).to_have_value("12")
    expect(page.locator("output.count")).to_have_text("12 int")


def test_a_range_input_binds_a_number(page: Page) -> None:
    level = page.locator("input.level")
    expect(level).to_have_value("5")
    level.press("ArrowRight")
    expect(page.locator("output.level")).to_have_text("5.5 float")
    level.press("Home")
    expect(page.locator("output.level")).to_have_text("0 int")
