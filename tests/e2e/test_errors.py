"""A Python error in main.py shows the overlay with the traceback and marks <html data-error>."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import AppPage, ServeApp

pytestmark = pytest.mark.e2e

RAISES = """\
from pyscript import document


def load_settings():
    raise ValueError("settings are missing: code 4217")


document.querySelector("#app").textContent = "started"
load_settings()
"""
SYNTAX_ERROR = """\
from pyscript import document

document.querySelector("#app").textContent = "started"
if True
    pass
"""


def open_app(tmp_path: Path, served_app: ServeApp, app_page: AppPage, source: str) -> str:
    """Serve an app whose main.py is `source`; return the overlay's text once the page settled."""
    app = tmp_path / "broken"
    app.mkdir()
    (app / "main.py").write_text(source)
    app_page.open(served_app(app).url)

    assert app_page.error is not None
    assert not app_page.ready
    assert app_page.page.locator("#framework-loading").count() == 0
    overlay = app_page.page.locator("#framework-error")
    assert overlay.is_visible()
    return overlay.inner_text()


def test_exception_in_main_shows_the_traceback(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    traceback = open_app(tmp_path, served_app, app_page, RAISES)
    assert "Traceback (most recent call last)" in traceback
    assert 'main.py", line 9, in <module>' in traceback
    assert 'main.py", line 5, in load_settings' in traceback
    assert "ValueError: settings are missing: code 4217" in traceback
    assert "boot.py" not in traceback  # the framework's own frames are left out


def test_syntax_error_in_main_shows_the_line(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    traceback = open_app(tmp_path, served_app, app_page, SYNTAX_ERROR)
    assert 'main.py", line 4' in traceback
    assert "if True" in traceback
    assert "SyntaxError: expected ':'" in traceback
