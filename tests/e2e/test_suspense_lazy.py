"""Suspense and lazy routes in Chromium against the real dev server (apps/suspense_lazy).

One page boot for the module: the tests move between the app's routes (hash links), and the
server's API holds a profile's answer until a test releases it, so "the fallback shows, then
the whole subtree at once" is seen without timing guesses. The lazy route's module is watched
on the network: not requested at boot, requested once on the first visit, never again.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import APPS, AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

APP = APPS / "suspense_lazy"
SETTINGS_FILE = "/pages/settings.py"


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(APP)


@pytest.fixture(scope="module")
def app(server: Server, module_page: AppPage) -> AppPage:
    module_page.open(server.url)
    assert module_page.error is None, module_page.text("#framework-error")
    expect(module_page.page.locator("h1")).to_have_text("Home")
    return module_page


def api(server: Server, path: str) -> Any:
    with urllib.request.urlopen(f"{server.url}api/{path}", timeout=10) as answer:
        return json.loads(answer.read())


def requested(app: AppPage, path: str) -> list[str]:
    return [url for url in app.requests if url.split("?")[0].endswith(path)]


def test_the_first_visit_downloads_no_lazy_module(app: AppPage, server: Server) -> None:
    assert requested(app, SETTINGS_FILE) == [] and requested(app, "/pages/broken.py") == []
    plan = json.loads(app.page.locator("#framework-plan").text_content() or "{}")
    assert plan["lazy"] == {
        "pages.broken": ["pages/broken.py"],
        "pages.settings": ["pages/settings.py"],
    }


def test_suspense_shows_its_fallback_then_the_whole_subtree(app: AppPage, server: Server) -> None:
    page = app.page
    api(server, "hold?name=bob")  # ada answers at once, bob when released
    try:
        page.click("a:text('Profiles')")
        expect(page.locator(".waiting")).to_have_text("Loading profiles…")
        page.wait_for_function(
            "fetch('/api/answered').then(r => r.json()).then(names => names.includes('ada'))"
        )
        # ada's profile has rendered its data, but the subtree stays hidden behind the fallback
        expect(page.locator("h2", has_text="User ada")).to_have_count(1)
        page.wait_for_timeout(200)
        expect(page.locator("h2", has_text="User ada")).to_be_hidden()
        expect(page.locator(".waiting")).to_be_visible()
    finally:
        api(server, "release?name=bob")
    expect(page.locator("h2:visible")).to_have_text(["User ada", "User bob"])
    expect(page.locator(".waiting")).to_have_count(0)


def test_a_lazy_route_fetches_its_module_on_its_first_visit_only(app: AppPage) -> None:
    page = app.page
    page.click("a:text('Settings')")
    expect(page.locator("h1")).to_have_text("Settings")
    expect(page.locator("section h2").first).to_have_text("Notifications")
    assert len(requested(app, SETTINGS_FILE)) == 1
    page.click("a:text('Home')")
    expect(page.locator("h1")).to_have_text("Home")
    page.click("a:text('Settings')")
    expect(page.locator("h1")).to_have_text("Settings")
    assert len(requested(app, SETTINGS_FILE)) == 1  # imported already: no second request


def test_a_lazy_module_that_fails_to_import_shows_the_error_boundary(app: AppPage) -> None:
    page = app.page
    page.click("a:text('Broken')")
    alert = page.locator("main [role=alert]")
    expect(alert).to_have_text("page 'pages.broken' failed to render: RuntimeError")
    assert len(requested(app, "/pages/broken.py")) == 1
    expect(page.locator("#framework-error")).to_contain_text("pages.broken fails on purpose")
