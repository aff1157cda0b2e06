"""The boot page: stylesheets named in pyscript.toml become links that the server answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli.app import find_app
from framework.cli.assets import npm_versions
from framework.cli.config import ConfigError
from framework.cli.main import main
from framework.cli.page import render_page
from framework.cli.server import create_app


def make_app(root: Path, stylesheets: list[str]) -> Path:
    root.mkdir()
    (root / "main.py").write_text("print('hi')\n")
    (root / "style.css").write_text("body { color: teal }\n")
    listed = ", ".join(f'"{name}"' for name in stylesheets)
    (root / "pyscript.toml").write_text(f"[framework]\nstylesheets = [{listed}]\n")
    return root


def test_stylesheets_link_in_order_and_are_served(tmp_path: Path) -> None:
    root = make_app(tmp_path / "app", ["todomvc-app-css/index.css", "style.css"])
    html = render_page(find_app(str(root), tmp_path), live_reload=False)
    links = re.findall(r'<link rel="stylesheet" href="\./([^"]+)">', html)
    assert links[1].startswith("_framework/runtime/todomvc-app-css@")
    assert links[1].endswith("/index.css")
    assert links[2] == "style.css"
    with TestClient(create_app(str(root), cwd=tmp_path, live_reload=False)) as client:
        for link in links:
            response = client.get("/" + link)
            assert response.status_code == 200, link
            assert response.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("name", ["missing.css", "todomvc-app-css/nope.css", "../style.css"])
def test_unknown_stylesheet_is_a_config_error(tmp_path: Path, name: str) -> None:
    root = make_app(tmp_path / "app", [name])
    with pytest.raises(ConfigError, match=r"framework\.stylesheets.*neither a file of the app"):
        render_page(find_app(str(root), tmp_path), live_reload=False)


def test_check_reports_an_unknown_stylesheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_app(tmp_path / "app", ["missing.css"])
    assert main(["check", str(root)]) == 1
    assert "'missing.css' is neither a file of the app" in capsys.readouterr().err


def test_the_sanitiser_loads_before_the_applier_and_pyscript_and_is_served(tmp_path: Path) -> None:
    """DOMPurify (a pinned runtime file) and the sanitiser that configures it, the Trusted
    Types policies before them all: PyScript's start-up needs the default policy."""
    root = make_app(tmp_path / "app", [])
    html = render_page(find_app(str(root), tmp_path), live_reload=False)
    scripts = re.findall(r'<script [^>]*src="\./([^"]+)"', html)
    assert scripts[:5] == [
        "_framework/trusted_types.js",
        f"_framework/runtime/dompurify@{npm_versions()['dompurify']}/dist/purify.min.js",
        "_framework/sanitize.js",
        "_framework/boot.js",
        "_framework/applier.js",
    ]
    assert scripts[5].startswith("_framework/runtime/@pyscript/core@")
    assert "<script defer" in html  # DOMPurify is classic: deferred, it runs in document order
    with TestClient(create_app(str(root), cwd=tmp_path, live_reload=False)) as client:
        for path in scripts[:5]:
            response = client.get("/" + path)
            assert response.status_code == 200, path
            assert response.headers["content-type"].startswith("text/javascript")
        assert "DOMPurify" in client.get("/" + scripts[1]).text


@pytest.mark.parametrize(("setting", "saves"), [("", True), ("save_view = false", False)])
def test_a_page_saves_its_view_unless_the_app_turns_it_off(
    tmp_path: Path, setting: str, saves: bool
) -> None:
    root = make_app(tmp_path / "app", [])
    (root / "pyscript.toml").write_text(f"[framework]\n{setting}\n")
    html = render_page(find_app(str(root), tmp_path), live_reload=False)
    assert ("__framework_view__" in html) is saves  # view.js, inline, is what saves and restores
