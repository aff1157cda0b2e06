"""Mounting and unmounting a component 1,000 times in Chromium leaves nothing behind: no
registered handlers, no DOM node ids, no component hosts, no live PyProxies (app: apps/lifecycle).

Live PyProxies are counted with Pyodide's own allocation tracing (`pyproxy_alloc_map`, see the
app's docstring); the design has exactly one, the event dispatcher, for the whole document.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

TIMES = 1000
# One cycle through the mount()/unmount() API, used by a user interacting in between.
API_CYCLE = """times => {
    for (let i = 0; i < times; i++) {
        __lifecycle_mount__();
        const widget = document.querySelector('#scratch .widget');
        widget.querySelector('.widget-button').click();
        const input = widget.querySelector('.widget-input');
        input.value = 'typed ' + i;
        input.dispatchEvent(new Event('input', {bubbles: true}));
        widget.querySelector('.widget-check').click();
        widget.querySelector('i.child').click();
        __lifecycle_unmount__();
    }
}"""
# The same through rendering: a click on .toggle mounts the Widget, the next one unmounts it.
TOGGLE_CYCLE = """times => {
    const toggle = document.querySelector('#app .toggle');
    for (let i = 0; i < times; i++) {
        toggle.click();
        const widget = document.querySelector('#app .widget');
        widget.querySelector('.widget-button').click();
        widget.querySelector('i.child').click();
        toggle.click();
    }
}"""
CYCLES = {"mount-api": API_CYCLE, "toggle-render": TOGGLE_CYCLE}


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "lifecycle").url)
    assert module_page.error is None, module_page.text("#framework-error")
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Page:
    return booted.page


def measure(page: Page) -> dict[str, Any]:
    """Python-side counts (handlers, component hosts, PyProxies, JS refs) and the applier's."""
    python = json.loads(page.evaluate("__lifecycle_stats__()"))
    dom = page.evaluate("__framework_dom__.stats()")
    return {**python, **{f"dom_{name}": value for name, value in dom.items()}}


COUNTED = ["handlers", "hosts", "proxies", "js_refs", "dom_nodes", "dom_templates"]


def test_the_framework_holds_one_proxy_for_the_whole_document(page: Page) -> None:
    stats = measure(page)
    # Created since tracing started: the app's own hooks, plus the framework's dispatcher.
    assert stats["proxies"] - stats["proxies_at_start"] - stats["hooks"] == 1


@pytest.mark.parametrize("how", CYCLES)
def test_mount_unmount_1000_times_leaves_no_growth(page: Page, how: str) -> None:
    page.evaluate(CYCLES[how], 1)  # the first cycle defines the templates
    before = measure(page)

    page.evaluate(CYCLES[how], TIMES)

    after = measure(page)
    assert {name: after[name] for name in COUNTED} == {name: before[name] for name in COUNTED}
    assert after["dom_eventTypes"] == before["dom_eventTypes"]  # one listener per event type
    assert page.locator(".widget").count() == 0
    assert page.locator("#scratch").inner_html() == ""


def test_the_counters_see_what_is_mounted(page: Page) -> None:
    """Proof that the leak test can fail: every counter moves while a Widget is mounted."""
    before = measure(page)
    page.evaluate("__lifecycle_mount__()")
    expect(page.locator("#scratch .widget")).to_have_count(1)
    during = measure(page)
    page.evaluate("__lifecycle_unmount__()")
    after = measure(page)
    assert during["handlers"] > before["handlers"]
    assert during["hosts"] == before["hosts"] + 4  # the Widget and its three Child components
    assert during["dom_nodes"] > before["dom_nodes"]
    assert {name: after[name] for name in COUNTED} == {name: before[name] for name in COUNTED}


def test_the_proxy_counter_sees_a_leaked_proxy(page: Page) -> None:
    """Proof that the proxy count is live: one deliberately leaked PyProxy shows up."""
    before = measure(page)["proxies"]
    page.evaluate("__lifecycle_leak_proxy__()")
    assert measure(page)["proxies"] == before + 1
