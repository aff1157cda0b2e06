"""transition() in Chromium (app: apps/transitions, CSS transitions of 0.6 s): a leaving row or
note keeps its element, with the leave classes, until its transition ends, then it is gone; a
reordered row slides from where it was (the move class over a transform); with reduced motion
nothing plays and a removed row goes at once; unmounting removes what is still leaving.

The page boots once per module; `__transitions_reset__()` remounts a fresh app before each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

TRANSITION_MS = 600  # transitions.css

# Clicks a button, then samples an element's classes every frame until it is detached (or 5 s).
WATCH_REMOVAL = """([button, selector]) => new Promise((resolve) => {
  const el = document.querySelector(selector);
  const start = performance.now();
  document.querySelector(button).click();
  const seen = new Set([el.className]);
  const sample = () => {
    const elapsed = performance.now() - start;
    if (!el.isConnected || elapsed > 5000) {
      resolve({ elapsed, seen: [...seen], connected: el.isConnected });
      return;
    }
    seen.add(el.className);
    requestAnimationFrame(sample);
  };
  sample();
})"""


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "transitions").url)
    assert module_page.error is None, module_page.text("#framework-error")
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Iterator[Page]:
    booted.page.emulate_media(reduced_motion="no-preference")
    booted.page.evaluate("() => __transitions_reset__()")
    yield booted.page
    assert booted.error is None, booted.text("#framework-error")


def keys(page: Page) -> list[str]:
    return page.eval_on_selector_all("#list li", "items => items.map(li => li.dataset.key)")


def watch_removal(page: Page, button: str, selector: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(WATCH_REMOVAL, [button, selector])
    return result


def test_a_leaving_row_keeps_its_element_until_its_transition_ends(page: Page) -> None:
    watched = watch_removal(page, "#remove", 'li[data-key="b"]')
    assert not watched["connected"]
    assert "row-leave-from row-leave-active" in watched["seen"]
    assert "row-leave-active row-leave-to" in watched["seen"]
    assert TRANSITION_MS - 50 <= watched["elapsed"] < TRANSITION_MS + 1500
    assert keys(page) == ["a", "c", "d"]


def test_a_note_fades_out_then_goes_and_fades_in_when_shown_again(page: Page) -> None:
    watched = watch_removal(page, "#toggle", "#note")
    assert "fade-leave-active fade-leave-to" in watched["seen"]
    assert not watched["connected"] and watched["elapsed"] >= TRANSITION_MS - 50
    page.click("#toggle")
    assert "fade-enter-active" in page.get_attribute("#note", "class").split()
    page.wait_for_function("() => document.querySelector('#note').className === ''")


def test_reordered_rows_slide_from_where_they_were(page: Page) -> None:
    before = page.evaluate(
        "() => document.querySelector('li[data-key=\"a\"]').getBoundingClientRect().top"
    )
    moving = page.evaluate(
        """() => {
          document.querySelector('#reverse').click();
          const li = document.querySelector('li[data-key="a"]');
          return { cls: li.className, transform: getComputedStyle(li).transform,
                   top: li.getBoundingClientRect().top };
        }"""
    )
    assert keys(page) == ["d", "c", "b", "a"]
    assert moving["cls"] == "row-move"
    assert moving["transform"] != "none"  # shown where it was, sliding down to its place
    assert abs(moving["top"] - before) < 5
    page.wait_for_function(
        "() => [...document.querySelectorAll('#list li')].every(li => !li.className)", timeout=5000
    )
    after = page.evaluate(
        "() => document.querySelector('li[data-key=\"a\"]').getBoundingClientRect().top"
    )
    assert after > before + 50  # four rows of 24 px: it ended three rows lower


def test_reduced_motion_removes_at_once_and_moves_without_a_slide(page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")
    watched = watch_removal(page, "#remove", 'li[data-key="b"]')
    assert not watched["connected"] and watched["elapsed"] < 100
    moved = page.evaluate(
        """() => {
          document.querySelector('#reverse').click();
          document.querySelector('#add').click();
          return [...document.querySelectorAll('#list li')].map(li => li.className);
        }"""
    )
    assert moved == ["", "", "", ""]


def test_unmounting_removes_rows_still_leaving_at_once(page: Page) -> None:
    page.click("#remove")
    assert page.locator('li[data-key="b"]').get_attribute("class") is not None
    page.evaluate("() => __transitions_reset__()")
    assert keys(page) == ["a", "b", "c", "d"]
    assert page.locator("#list li.row-leave-active").count() == 0
