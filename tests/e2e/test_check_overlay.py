"""`framework serve` runs `framework check` at start and after each change, and the page shows
its problems in the error overlay: here a module the page never imports, so only the check can
tell."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BOOT_TIMEOUT_MS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

MAIN = 'from pyscript import document\n\ndocument.querySelector("#app").textContent = "up"\n'


def test_the_overlay_shows_what_check_finds_until_it_is_fixed(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = tmp_path / "checked"
    app.mkdir()
    (app / "main.py").write_text(MAIN)
    (app / "later.py").write_text('def card():\n    return t"<div><p>soon</p>"\n')
    server = served_app(app, reload=True)
    app_page.open(server.url)

    overlay = app_page.page.locator("#framework-error")
    expect(overlay).to_contain_text("framework check found problems", timeout=BOOT_TIMEOUT_MS)
    expect(overlay).to_contain_text("later.py:2:14: <div> is never closed: close it with </div>")
    assert app_page.text("#app") == "up"  # the app itself runs
    assert "later.py:2:14: <div> is never closed" in server.output()  # and the terminal says so

    app_page.page.evaluate("() => { window.marker = 1; }")
    # A module the page never imported: hot reload writes its file there, nothing reloads.
    (app / "later.py").write_text('def card():\n    return t"<div><p>soon</p></div>"\n')
    deadline = time.monotonic() + BOOT_TIMEOUT_MS / 1000
    while "framework: check ok" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "framework: check ok" in server.output()
    app_page.page.wait_for_timeout(300)  # time for an event to reach the page, if one were sent
    assert overlay.count() == 0
    assert app_page.page.evaluate("() => window.marker") == 1
    assert app_page.text("#app") == "up"
