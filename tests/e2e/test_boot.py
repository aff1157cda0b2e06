"""An app that imports pydantic boots in Chromium from `framework serve` and from a plain build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from framework.cli.assets import PYSCRIPT_PLUGINS_OFF
from tests.e2e.conftest import APPS, AppPage, ServeApp, StaticServe, build_app

pytestmark = pytest.mark.e2e

GREETING = APPS / "greeting"
EXPECTED = "Hello Ada x6; rejected 1 error; pydantic 2.14.3"
BYTECODE = APPS / "bytecode"
SHIPPED = "pydantic: shipped; framework.component: shipped; framework.template.renderer: shipped"


def assert_booted(app_page: AppPage, expected: str) -> None:
    assert app_page.error is None, app_page.text("#framework-error")
    assert app_page.ready
    assert app_page.text("#app") == expected
    assert app_page.page.locator("#framework-loading").count() == 0  # the indicator is gone
    assert app_page.foreign_requests() == []
    plugins = [
        url for url in app_page.requests for name in PYSCRIPT_PLUGINS_OFF if f"/{name}-" in url
    ]
    assert plugins == []  # PyScript's editor, terminal and game plugins stay unloaded


def test_serve_boots_a_pydantic_app_offline(served_app: ServeApp, app_page: AppPage) -> None:
    server = served_app(GREETING)
    app_page.open(server.url)
    assert_booted(app_page, EXPECTED)
    assert app_page.page.title() == "Greeting"


def test_build_boots_from_a_plain_static_server(
    tmp_path: Path, static_server: StaticServe, app_page: AppPage
) -> None:
    printed = build_app(GREETING, tmp_path / "dist")
    assert "a first visit downloads" in printed
    server = static_server(tmp_path / "dist")
    app_page.open(server.url)
    assert_booted(app_page, EXPECTED)


def test_a_new_app_boots_and_answers_a_click(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    command = [sys.executable, "-m", "framework", "new", "hello_app"]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    app_page.open(served_app(tmp_path / "hello_app").url)
    assert app_page.error is None, app_page.text("#framework-error")
    assert app_page.ready
    button = app_page.page.locator("#app button")
    expect(button).to_have_text("hello_app: 0")
    button.click()
    expect(button).to_have_text("hello_app: 1")
    assert app_page.foreign_requests() == []


def test_serve_ships_bytecode_for_the_wheels_the_page_imports(
    served_app: ServeApp, app_page: AppPage
) -> None:
    app_page.open(served_app(BYTECODE).url)
    assert app_page.error is None, app_page.text("#framework-error")
    # The app's own modules change while it is developed: served as source, compiled in the page.
    assert app_page.text("#app") == f"{SHIPPED}; helper: compiled here"


def test_build_ships_bytecode_for_the_app_too(
    tmp_path: Path, static_server: StaticServe, app_page: AppPage
) -> None:
    build_app(BYTECODE, tmp_path / "dist")
    app_page.open(static_server(tmp_path / "dist").url)
    assert app_page.error is None, app_page.text("#framework-error")
    assert app_page.text("#app") == f"{SHIPPED}; helper: shipped"
