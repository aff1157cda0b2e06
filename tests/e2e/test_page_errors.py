"""No silent failures in the page (issue 17, mistake 4), in real Chromium.

App: tests/e2e/apps/mistake_js_callback, a Store of notes plus buttons that make the mistakes:
`js.setTimeout(lambda ...)` (made to work), a lambda given to addEventListener (reported, with
the hint), a timer callback that raises, and an in-place edit of the Store's value (reported at
its line). After each, the stored notes survive a reload, the overlay shows the error with
<html data-error> set, and PyScript's red banner (`.py-error`) never appears. A build reports
the same errors in the console only, and skips the dev-only Store check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp, StaticServe, build_app

pytestmark = pytest.mark.e2e

APP = APPS / "mistake_js_callback"
OVERLAY = "#framework-error"
BANNER = ".py-error"
CLEAR = (
    "() => { document.getElementById('framework-error')?.remove();"
    " delete document.documentElement.dataset.error; localStorage.clear(); }"
)


@pytest.fixture(scope="module")
def url(served_app: ServeApp) -> str:
    return served_app(APP).url


@pytest.fixture
def page(url: str, module_page: AppPage) -> Iterator[Page]:
    """The app booted on empty storage with two notes added; no error, no banner at the end."""
    page = module_page.page
    if page.url != url:
        module_page.open(url)
    page.evaluate(CLEAR)
    reload(module_page)
    for _ in range(2):
        page.click("#add")
    expect(page.locator("#notes")).to_have_text("note 1, note 2")
    yield page
    expect(page.locator(BANNER)).to_have_count(0)


def reload(app: AppPage) -> None:
    app.page.reload()
    app.wait_settled()
    assert app.error is None, app.text(OVERLAY)


def assert_notes_survive_a_reload(app: AppPage) -> None:
    reload(app)
    expect(app.page.locator("#notes")).to_have_text("note 1, note 2")


def test_a_lambda_given_to_set_timeout_runs(page: Page, module_page: AppPage) -> None:
    page.click("#later")
    expect(page.locator("#fired")).to_have_text("fired")
    assert module_page.error is None, module_page.text(OVERLAY)
    assert_notes_survive_a_reload(module_page)


def test_a_destroyed_callback_is_reported_with_the_hint(page: Page, module_page: AppPage) -> None:
    page.click("#listen")
    page.click("#target")
    overlay = page.locator(OVERLAY)
    expect(overlay).to_contain_text("borrowed proxy was automatically destroyed")
    expect(overlay).to_contain_text("create_proxy")
    expect(overlay).to_contain_text("onclick={handler}")
    assert module_page.error == "1"
    expect(page.locator(BANNER)).to_have_count(0)
    assert_notes_survive_a_reload(module_page)


def test_an_error_in_a_timer_callback_shows_its_traceback(page: Page, module_page: AppPage) -> None:
    page.click("#boom")
    overlay = page.locator(OVERLAY)
    expect(overlay).to_contain_text("ZeroDivisionError")
    expect(overlay).to_contain_text("main.py")
    assert module_page.error == "1"
    expect(page.locator(BANNER)).to_have_count(0)
    assert_notes_survive_a_reload(module_page)


def test_an_in_place_store_edit_is_reported_at_its_line(page: Page, module_page: AppPage) -> None:
    line = next(
        number
        for number, text in enumerate((APP / "main.py").read_text().splitlines(), 1)
        if 'notes.value.append("edited' in text
    )
    page.click("#edit")
    overlay = page.locator(OVERLAY)
    expect(overlay).to_contain_text("StoreEditError")
    expect(overlay).to_contain_text(f'main.py", line {line}, in edit')
    expect(overlay).to_contain_text('notes.value.append("edited in place")')
    assert module_page.error == "1"
    assert_notes_survive_a_reload(module_page)


def test_a_build_reports_page_errors_in_the_console_only(
    tmp_path: Path, static_server: StaticServe, app_page: AppPage
) -> None:
    build_app(APP, tmp_path / "dist")
    app_page.open(static_server(tmp_path / "dist").url)
    assert app_page.error is None, app_page.diagnostics()
    page = app_page.page
    page.click("#add")
    page.click("#edit")  # the in-place check is dev-only: nothing is reported
    page.click("#later")
    expect(page.locator("#fired")).to_have_text("fired")
    assert app_page.error is None, app_page.diagnostics()
    page.click("#listen")
    page.click("#target")
    page.wait_for_selector("html[data-error]", state="attached")
    assert page.locator(OVERLAY).count() == 0
    assert any("create_proxy" in line for line in app_page.console), app_page.diagnostics()
    expect(page.locator(BANNER)).to_have_count(0)
