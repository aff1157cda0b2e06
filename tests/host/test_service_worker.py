"""The build's service worker (framework/cli/service_worker.py): which files it precaches under
which revisions, the Workbox files it loads, `offline = false`, and the dev server's `/sw.js`."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli import assets, service_worker
from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.errors import CliError
from framework.cli.server import create_app

WASM = "_framework/runtime/pyodide@314.0.7/pyodide.asm.wasm"
SNAPSHOT = "_framework/snapshot/31ec25f9e789c7df0b8f.bin"
LAZY = "_framework/runtime/@pyscript/core@0.7.31/dist/codemirror-Bx1.js"
PLUGIN = "_framework/runtime/@pyscript/core@0.7.31/dist/py-editor-C4X.js"
ENTRIES = re.compile(r"const PRECACHE = \[\n(.*?)\n\];", re.S)


def revision_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def listed(script: str) -> dict[str, str | None]:
    """The precache list of a sw.js, as url -> revision."""
    (body,) = ENTRIES.findall(script)
    entries = json.loads(f"[{body}]")
    return {entry["url"]: entry["revision"] for entry in entries}


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("index.html", "content"),
        ("404.html", "content"),  # the page for history-mode routes, offline too
        ("_framework/app.zip", "content"),
        ("_framework/wheels/pydantic-2.14.3-py3-none-any.whl", "content"),
        ("_framework/icons/icon-512.png", "content"),
        ("manifest.webmanifest", "content"),
        ("app.css", "content"),
        (WASM, "url"),  # the pinned npm version in the URL is the revision
        (SNAPSHOT, "url"),  # named by the digest of its inputs
        (LAZY, "not"),  # an editor's chunk: cached on first use instead
        (PLUGIN, "not"),  # PyScript's editor plugin: the page turns it off
        ("index.html.br", "not"),  # the server picks compressed copies
        ("_framework/app.zip.gz", "not"),
        ("_redirects", "not"),
        ("_headers", "not"),
        ("_framework/hosting/nginx.conf", "not"),
        ("sw.js", "not"),  # the browser checks it itself, past every cache
    ],
)
def test_which_files_are_precached_and_under_which_revision(relative: str, expected: str) -> None:
    data = relative.encode()
    entries = {p.url: p.revision for p in service_worker.precache_list({relative: data})}
    if expected == "not":
        assert entries == {}
    else:
        assert entries == {relative: revision_of(data) if expected == "content" else None}


def test_a_changed_file_changes_its_revision_only_and_the_same_files_give_the_same_worker() -> None:
    files = {"index.html": b"<p>1</p>", "_framework/app.zip": b"zip 1", WASM: b"wasm"}
    before = service_worker.worker_script(service_worker.precache_list(files))
    again = service_worker.worker_script(service_worker.precache_list(dict(files)))
    files["_framework/app.zip"] = b"zip 2"
    after = service_worker.worker_script(service_worker.precache_list(files))
    assert again == before  # a rebuild of the same app: browsers see no new version
    old, new = listed(before), listed(after)
    assert {url for url in old if old[url] != new[url]} == {"_framework/app.zip"}


def test_the_worker_loads_the_pinned_workbox_from_the_build_in_dependency_order() -> None:
    script = service_worker.worker_script([])
    (imports,) = re.findall(r"const WORKBOX = \[(.*?)\];", script, re.S)
    urls = re.findall(r'"\./([^"]+)"', imports)
    assert [url.split("/")[2].split("@")[0] for url in urls] == list(service_worker.WORKBOX_MODULES)
    for url in urls:
        package, _, path = url.removeprefix(service_worker.RUNTIME_DIR).partition("/")
        name, version = package.rsplit("@", 1)
        assert assets.runtime_file(name, path) is not None, url
        assert assets.npm_versions()[name] == version


def test_a_new_version_waits_for_the_page() -> None:
    """No skipWaiting at install and no clients.claim(): only the page's message switches."""
    script = service_worker.worker_script([])
    assert script.count("skipWaiting()") == 1
    assert 'event.data.type === "SKIP_WAITING"' in script
    assert "claim" not in script


@pytest.mark.parametrize("kind", ["worker", "removal"])
def test_the_written_workers_are_valid_javascript(kind: str, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    entries = [service_worker.Precached("index.html", "0123456789abcdef")]
    script = tmp_path / "sw.js"
    script.write_text(
        service_worker.worker_script(entries)
        if kind == "worker"
        else service_worker.removal_script()
    )
    command = [node, "--check", str(script)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline") / "notes"
    folder.mkdir()
    (folder / "main.py").write_text("print('notes')\n")
    (folder / "style.css").write_text("body { margin: 0 }\n")
    (folder / "pyscript.toml").write_text(
        'name = "notes"\n[framework]\nprerender = false\nstylesheets = ["style.css"]\n'
    )
    return folder


@pytest.fixture(scope="module")
def built(app: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("dist") / "dist"
    build(find_app(str(app), app.parent), output)
    return output


def test_a_build_precaches_every_file_a_visit_needs_with_its_content(built: Path) -> None:
    entries = listed((built / "sw.js").read_text())
    files = service_worker.read_build(built)
    expected = {rel for rel in files if service_worker.is_precached(rel)}
    assert set(entries) == expected
    assert {"index.html", "404.html", "style.css", "_framework/app.zip"} <= expected
    for url, revision in entries.items():
        if revision is not None:
            assert revision == revision_of(files[url]), url
    page = (built / "index.html").read_text()
    plan = json.loads(re.findall(r'id="framework-plan">(.*?)</script>', page)[0])
    window = plan["offline"]["window"]  # the registration helper offline.js imports
    assert (built / "_framework" / window).is_file()
    assert f"_framework/{window}" in entries


def test_offline_off_writes_a_worker_that_removes_itself(app: Path, tmp_path: Path) -> None:
    config = app / "pyscript.toml"
    original = config.read_text()
    config.write_text(original + "offline = false\n")
    try:
        build(find_app(str(app), app.parent), tmp_path / "dist")
    finally:
        config.write_text(original)
    assert (tmp_path / "dist/sw.js").read_text() == service_worker.removal_script()
    page = (tmp_path / "dist/index.html").read_text()
    assert '"offline":null' in page  # offline.js unregisters instead of registering


def test_serve_answers_sw_js_with_the_worker_that_removes_itself(app: Path) -> None:
    with TestClient(create_app(app.name, cwd=app.parent, live_reload=False)) as client:
        response = client.get("/sw.js")
        page = client.get("/").text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == service_worker.removal_script()
    assert '"offline":null' in page
    assert 'src="./_framework/offline.js"' in page
    assert 'rel="manifest"' not in page  # a build's page only


@pytest.mark.parametrize("name", ["sw.js", "manifest.webmanifest"])
def test_an_app_file_where_the_build_writes_its_own_is_refused(
    app: Path, tmp_path: Path, name: str
) -> None:
    own = app / name
    own.write_text("mine\n")
    try:
        with pytest.raises(CliError, match=rf"{name}: the build writes its own {name}.*rename it"):
            build(find_app(str(app), app.parent), tmp_path / "dist")
    finally:
        own.unlink()
    assert not (tmp_path / "dist").exists()  # refused before anything was written
