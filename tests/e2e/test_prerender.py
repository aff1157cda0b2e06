"""The prerendered first view in Chromium: for each demo app, the container's HTML the page
arrives with (before any Python runs) is the HTML it has after the app's first flush with empty
storage, serialised the same way (innerHTML), so hydration has nothing to change."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Route

from tests.e2e.conftest import AppPage, ServeApp

pytestmark = pytest.mark.e2e

APPS = Path(__file__).resolve().parents[2] / "apps"
MARKER = 'data-framework-view="prerendered"'
VIEW_WAIT_S = 60  # the server prerenders in the background: seconds, once per change
# At DOMContentLoaded Python has not started (it needs seconds): what the HTML parser made.
CAPTURE = """
document.addEventListener("DOMContentLoaded", () => {
  const app = document.querySelector("#app");
  window.__prerendered = {
    html: app.innerHTML,
    marked: app.getAttribute("data-framework-view"),
    focused: document.activeElement?.className ?? null,
  };
});
"""


def wait_for_view(url: str) -> None:
    deadline = time.monotonic() + VIEW_WAIT_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url) as response:
            if MARKER in response.read().decode():
                return
        time.sleep(0.25)
    raise AssertionError(f"{url} never served a prerendered view")


def hold(route: Route) -> None:
    """The app's API requests never answer, as during the prerender: the page stays in the
    state of its first flush."""


@pytest.mark.parametrize(("name", "focused"), [("todo", "new-todo"), ("upload", "")])
def test_the_page_arrives_with_the_view_its_first_flush_renders(
    served_app: ServeApp, app_page: AppPage, tmp_path: Path, name: str, focused: str
) -> None:
    env = {"FRAMEWORK_UPLOAD_DIR": str(tmp_path)} if name == "upload" else None
    server = served_app(APPS / name, env=env)  # the TO-DO app's server: the other modules' too
    wait_for_view(server.url)
    page = app_page.page
    page.route("**/api/**", hold)
    page.add_init_script(CAPTURE)

    app_page.open(server.url)

    assert app_page.ready, app_page.diagnostics()
    before = page.evaluate("window.__prerendered")
    assert before["marked"] == "prerendered"
    assert before["focused"] == focused  # the parser applied the todo input's autofocus
    assert page.evaluate("document.querySelector('#app').innerHTML") == before["html"]
