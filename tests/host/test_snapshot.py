"""The Python snapshot a page starts from: what goes in it, where a build ships it, what the
page's plan says of it, and that `framework serve` hands it out only by its own name."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli import assets, page, snapshot
from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.server import create_app


def test_the_framework_modules_in_a_snapshot_leave_out_the_browser_and_host_ones() -> None:
    names = snapshot.framework_modules()
    assert {"framework", "framework.reactive", "framework.template.renderer"} <= set(names)
    assert not [n for n in names if n.startswith(("framework.browser", "framework.cli"))]


def test_a_wheels_top_level_modules_are_its_packages_and_modules(tmp_path: Path) -> None:
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name in ("demo/__init__.py", "demo_extra.py", "demo-1.0.dist-info/RECORD"):
            archive.writestr(name, "")
    assert snapshot.top_level_modules(wheel) == ["demo", "demo_extra"]
    assert snapshot.is_pure(wheel)


@pytest.mark.parametrize(
    "name", ["../wheels.lock.json", "x.bin", "0123456789abcdef0123.txt", "ABCDEF0123456789abcd.bin"]
)
def test_only_a_snapshots_own_name_is_served(name: str) -> None:
    assert snapshot.served_file(name) is None


def plan_of(html: str) -> dict[str, object]:
    found = re.search(r'id="framework-plan">(.*?)</script>', html)
    assert found is not None
    plan: dict[str, object] = json.loads(found.group(1))
    return plan


def test_without_a_snapshot_the_page_starts_pyodide_through_its_module_as_usual(
    app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRAMEWORK_NO_SNAPSHOT", "1")
    html = page.render_page(find_app(str(app_dir)), live_reload=False)
    pyodide = "./" + page.runtime_url("pyodide", "pyodide.mjs")
    assert plan_of(html)["runtime"] == {"pyodide": pyodide, "snapshot": None}
    assert "_framework/pyodide_boot.mjs&quot;" in html  # PyScript's interpreter module
    assert "snapshot/" not in html


def test_the_page_preloads_the_downloads_but_not_the_wasm(
    app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wasm compiled from a preloaded response gets no code cache in Chromium (measured)."""
    monkeypatch.setenv("FRAMEWORK_NO_SNAPSHOT", "1")
    head = page.head_tags(find_app(str(app_dir)))
    assert head.startswith("<script>")  # the input recorder stays first
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin>', head)
    assert "./" + page.runtime_url("pyodide", "python_stdlib.zip") in preloaded
    assert "./" + page.APP_ZIP in preloaded
    assert not [url for url in preloaded if url.endswith(".wasm")]


def test_a_build_ships_the_snapshot_hashed_and_the_plan_names_it(
    app_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRAMEWORK_NO_SNAPSHOT", raising=False)
    app = find_app(str(app_dir))
    build(app, tmp_path / "dist")
    (shipped,) = (tmp_path / "dist" / snapshot.URL_DIR).glob("*.bin")
    wanted = plan_of((tmp_path / "dist" / "index.html").read_text())["runtime"]
    assert isinstance(wanted, dict)
    assert wanted["snapshot"] == {
        "url": f"./{snapshot.URL_DIR}/{shipped.name}",
        "pyodide": assets.npm_versions()["pyodide"],
        "bytes": shipped.stat().st_size,
    }
    assert shipped.stat().st_size <= snapshot.MAX_BYTES  # pyodide issue 6254
    client = TestClient(create_app(str(app_dir), live_reload=False))
    response = client.get(f"/{snapshot.URL_DIR}/{shipped.name}")
    assert response.status_code == 200
    assert response.content == shipped.read_bytes()
    assert "immutable" in response.headers["cache-control"]
