"""Live reload: saving a file of the app updates the open page, with no reload by the user."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BOOT_TIMEOUT_MS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

MAIN = """\
from pyscript import document

document.querySelector("#app").textContent = {text!r}
"""


def write_app(folder: Path, source: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "main.py").write_text(source)
    return folder


def test_editing_main_updates_the_page(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = write_app(tmp_path / "live", MAIN.format(text="first version"))
    app_page.open(served_app(app, reload=True).url)
    assert app_page.text("#app") == "first version"

    (app / "main.py").write_text(MAIN.format(text="second version"))

    expect(app_page.page.locator("#app")).to_have_text("second version", timeout=BOOT_TIMEOUT_MS)
    app_page.wait_settled()
    assert app_page.ready


def test_fixing_a_broken_app_recovers_the_page(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = write_app(tmp_path / "live", "raise RuntimeError('not written yet')\n")
    app_page.open(served_app(app, reload=True).url)
    assert app_page.error is not None

    (app / "main.py").write_text(MAIN.format(text="fixed"))

    expect(app_page.page.locator("#app")).to_have_text("fixed", timeout=BOOT_TIMEOUT_MS)
    app_page.wait_settled()
    assert app_page.ready
    assert app_page.error is None
    assert app_page.page.locator("#framework-error").count() == 0
