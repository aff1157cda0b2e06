"""The dev server (Starlette app of `framework serve`), without a browser.

Bad paths are sent raw to a real uvicorn, because HTTP clients normalise `..` before sending.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient

from framework.cli import assets, page
from framework.cli.main import main
from framework.cli.server import create_app

SECRET = "TOP-SECRET"
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An app folder with private files, symlinks out of it, and secrets next to it."""
    base = tmp_path_factory.mktemp("site")
    (base / "secret.txt").write_text(f"{SECRET} next to the app")
    (base / "app1").mkdir()  # a sibling whose name starts like the app's (CVE-2023-29159 shape)
    (base / "app1" / "secret.txt").write_text(f"{SECRET} in a sibling")
    app = base / "app"
    (app / "static").mkdir(parents=True)
    (app / "tests").mkdir()
    (app / "main.py").write_text("print('hello')\n")
    (app / "style.css").write_text("body { color: red }\n")
    (app / "static" / "static.txt").write_text("public text\n")
    (app / "pyscript.toml").write_text(f'name = "app"\n# {SECRET} in the config\n')
    (app / ".env").write_text(f"TOKEN={SECRET}\n")
    (app / "server.py").write_text(
        f"# {SECRET} server-side code\n"
        "from starlette.responses import PlainTextResponse\n"
        "api = PlainTextResponse('the api')\n"
    )
    (app / "tests" / "test_app.py").write_text(f"# {SECRET} tests\n")
    (app / "link.txt").symlink_to(base / "secret.txt")
    (app / "linkdir").symlink_to(base, target_is_directory=True)
    return app


@pytest.fixture(scope="module")
def client(site: Path) -> Iterator[TestClient]:
    with TestClient(create_app(site.name, cwd=site.parent, live_reload=False)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_url(site: Path) -> Iterator[tuple[str, int]]:
    """The same app on a real uvicorn (in a thread) on a free port."""
    port = free_port()
    app = create_app(site.name, cwd=site.parent, live_reload=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield ("127.0.0.1", port)
    server.should_exit = True
    thread.join(timeout=10)


def raw_get(address: tuple[str, int], path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no normalisation of `..` or escapes)."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def runtime_path(package: str, path: str) -> str:
    return "/" + page.runtime_url(package, path)


def pyodide_version() -> str:
    return assets.npm_versions()["pyodide"]


BAD_PATHS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/../app1/secret.txt",
    "/%2e%2e/app1/secret.txt",
    "/static/../../app1/secret.txt",
    "/static/..%2f..%2fapp1%2fsecret.txt",
    "/./main.py/../../secret.txt",
    "/x%00.txt",
    "/main.py%00.txt",
    "/etc/passwd",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/\\\\server\\share\\secret.txt",
    "/link.txt",
    "/linkdir/secret.txt",
    "/linkdir/app1/secret.txt",
    "/" + "a" * 5000,
    "/" + "a" * 5000 + ".txt",
    "/.env",
    "/pyscript.toml",
    "/server.py",
    "/tests/test_app.py",
    "/_framework/..%2f..%2fsecret.txt",
    "/_framework/wheels/..%2f..%2f..%2fsecret.txt",
    "/_framework/lib/..%2f..%2fsecret.txt",
    f"/_framework/runtime/pyodide@{pyodide_version()}/..%2f..%2f..%2fpackage.json",
    f"/_framework/runtime/pyodide@{pyodide_version()}/../../../package.json",
    "/_framework/runtime/pyodide@0.0.1/pyodide.mjs",
    "/_framework/runtime/pyodide@314.0.7/package.json",
    "/_framework/wheels/pip-24.0-py3-none-any.whl",
]


@pytest.mark.parametrize("path", BAD_PATHS, ids=lambda p: p[:40])
def test_bad_path_is_404_without_content(live_url: tuple[str, int], path: str) -> None:
    status, body = raw_get(live_url, path)
    assert status == 404
    assert SECRET.encode() not in body
    assert b"root:" not in body


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/main.py", "text/x-python"),
        ("/style.css", "text/css"),
        ("/static/static.txt", "text/plain"),
    ],
)
def test_app_files_are_served(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"


def test_app_archive_leaves_out_private_files_and_outside_symlinks(client: TestClient) -> None:
    response = client.get(f"/{page.APP_ZIP}")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        contents = b"".join(archive.read(name) for name in names)
    assert names == ["main.py", "static/static.txt", "style.css"]
    assert SECRET.encode() not in contents


def test_wasm_is_served_as_exactly_application_wasm(client: TestClient) -> None:
    response = client.get(runtime_path("pyodide", "pyodide.asm.wasm"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/wasm"
    assert response.content[:4] == b"\0asm"


@pytest.mark.parametrize(
    "path",
    [
        runtime_path("pyodide", "pyodide.asm.wasm"),
        runtime_path("pyodide", "pyodide.mjs"),
        runtime_path("pyodide", "python_stdlib.zip"),
        runtime_path("@pyscript/core", "dist/core.js"),
        *(f"/{page.WHEELS}/{wheel.filename}" for wheel in assets.wheels("browser")),
    ],
    ids=lambda p: p.rsplit("/", 1)[-1],
)
def test_versioned_runtime_files_are_cached_for_a_year(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    cache = response.headers["cache-control"]
    assert "immutable" in cache
    max_age = re.search(r"max-age=(\d+)", cache)
    assert max_age is not None
    assert int(max_age.group(1)) >= ONE_YEAR


@pytest.mark.parametrize("path", ["/", f"/{page.APP_ZIP}", "/main.py", "/_framework/boot.js"])
def test_files_that_change_while_serving_are_revalidated(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_unchanged_app_archive_answers_304(client: TestClient) -> None:
    first = client.get(f"/{page.APP_ZIP}")
    again = client.get(f"/{page.APP_ZIP}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def page_urls(html: str) -> list[str]:
    """Every src/href of the page, and every URL of the boot plan, made absolute."""
    urls = re.findall(r'(?:src|href)="\./([^"]+)"', html)
    plan_json = re.search(
        r'<script type="application/json" id="framework-plan">(.*?)</script>', html
    )
    assert plan_json is not None
    plan = json.loads(plan_json.group(1))
    urls += [url.removeprefix("./") for url in [*plan["wheels"], plan["app"]]]
    return ["/" + url for url in urls]


@pytest.mark.parametrize("own_page", [False, True], ids=["generated", "own-index-html"])
def test_page_carries_the_boot_machinery(tmp_path: Path, own_page: bool) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text("import pydantic\n")
    if own_page:
        (app / "index.html").write_text(
            "<!doctype html><html><head><title>Mine</title></head>"
            '<body><main id="app">my markup</main></body></html>'
        )
    with TestClient(create_app("app", cwd=tmp_path, live_reload=False)) as test_client:
        response = test_client.get("/")
        html = response.text
        assert response.headers["content-type"].startswith("text/html")
        assert re.search(r'<script type="module" nonce="[^"]+" src="\./_framework/boot\.js">', html)
        assert re.search(r'<script type="py" nonce="[^"]+" src="\./_framework/bootstrap\.py"', html)
        for stage in ("runtime", "packages", "app"):
            assert f'data-stage="{stage}"' in html
        assert ("my markup" in html) is own_page
        urls = page_urls(html)
        assert any("pydantic_core" in url for url in urls)  # imports pick the wheels
        for url in urls:
            assert test_client.get(url).status_code == 200, url
        boot_js = test_client.get("/_framework/boot.js").text
        assert "dataset.ready" in boot_js
        assert "framework:ready" in boot_js
        assert "dataset.error" in boot_js


def test_page_plan_has_live_reload_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("")
    plans = []
    for live in (True, False):
        with TestClient(create_app(None, cwd=tmp_path, live_reload=live)) as test_client:
            html = test_client.get("/").text
        found = re.search(r'id="framework-plan">(.*?)</script>', html)
        assert found is not None
        plans.append(json.loads(found.group(1))["events"])
    assert plans == [f"./{page.EVENTS}", None]


class FakeUvicorn:
    """uvicorn.Server.run, recording what it would serve on instead of serving."""

    def __init__(self) -> None:
        self.addresses: list[tuple[str, int]] = []

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        self.addresses = [sock.getsockname()[:2] for sock in sockets or []]


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> FakeUvicorn:
    fake = FakeUvicorn()

    def run(server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        fake.run(sockets)
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return fake


def test_serve_binds_localhost_by_default(
    site: Path, fake_uvicorn: FakeUvicorn, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    assert main(["serve", str(site), "--no-reload", "--port", str(port)]) == 0
    assert fake_uvicorn.addresses == [("127.0.0.1", port)]
    err = capsys.readouterr().err
    assert f"http://127.0.0.1:{port}/" in err
    assert "warning" not in err


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_warns_when_binding_every_interface(
    site: Path, fake_uvicorn: FakeUvicorn, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    assert main(["serve", str(site), "--no-reload", "--host", host, "--port", "0"]) == 0
    assert [address for address, _ in fake_uvicorn.addresses] == [host]
    assert "warning" in capsys.readouterr().err


def test_busy_port_is_an_error_with_the_fix_before_any_serving_line(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "framework", "serve", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert f"port {port} is in use" in done.stderr
    suggested = re.search(rf"`framework serve {re.escape(str(site))} --port (\d+)`", done.stderr)
    assert suggested is not None, done.stderr
    assert int(suggested.group(1)) != port
    assert "http://" not in done.stdout + done.stderr  # no "serving at" line, before or after
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def healthy_cache() -> Path:
    assets.ensure("browser")
    return assets.cache_dir()


def corrupt_copy(source: Path, target: Path, broken: Path) -> None:
    """A cache at target that links to source, except `broken` (relative), a damaged copy."""
    shutil.copytree(source, target, symlinks=True, copy_function=os.symlink)
    damaged = target / broken
    data = bytearray((source / broken).read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.unlink()
    damaged.write_bytes(bytes(data))


ASSETS = [
    "npm/node_modules/pyodide/pyodide.asm.mjs",
    "npm/node_modules/@pyscript/core/dist/core.css",
    f"wheels/{assets.wheels('browser')[0].filename}",
]


@pytest.mark.parametrize("command", ["serve", "build"])
@pytest.mark.parametrize("broken", ASSETS, ids=["mjs", "css", "wheel"])
def test_corrupt_asset_stops_with_the_asset_and_the_fix(
    tmp_path: Path, site: Path, healthy_cache: Path, command: str, broken: str
) -> None:
    cache = tmp_path / "cache"
    corrupt_copy(healthy_cache, cache, Path(broken))
    argv = {
        "serve": ["serve", str(site), "--no-reload", "--port", str(free_port())],
        "build": ["build", str(site), "-o", str(tmp_path / "dist")],
    }[command]
    done = subprocess.run(
        [sys.executable, "-m", "framework", *argv],
        env={**os.environ, "FRAMEWORK_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert broken.removeprefix("npm/node_modules/").removeprefix("wheels/") in done.stderr
    assert "corrupt" in done.stderr
    assert "framework setup --force" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "dist").exists()


def test_a_new_import_compiles_its_wheels_at_once_and_requests_wait_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve sees `import pydantic` appear: every wheel it needs is compiled in one background
    run, told to the pages by name, and a request for one of them waits for that run."""
    from framework.cli import bytecode
    from framework.cli.server import Site

    (tmp_path / "main.py").write_text("print('no packages yet')\n")
    site = Site(None, tmp_path)
    site.prepare()
    runs: list[list[str]] = []
    gate = threading.Event()

    def compile_slowly(archives: list[bytecode.Archive]) -> list[Path] | None:
        runs.append(sorted(archive.filename for archive in archives))
        gate.wait(10)
        return None  # as if compiling failed: the wheels are served as they are

    monkeypatch.setattr(bytecode, "compiled_paths", compile_slowly)
    monkeypatch.setattr(bytecode, "is_compiled", lambda archive: False)
    (tmp_path / "main.py").write_text("import pydantic\n")
    site.refresh()
    told: list[str] = []
    site.prepare_new_wheels(told.append)

    needed = [w for w in assets.wheels("browser") if w.name in ("pydantic", "pydantic-core")]
    served: list[Path] = []
    request = threading.Thread(target=lambda: served.append(site.wheel_file(needed[0].filename)))
    request.start()
    request.join(0.3)
    assert request.is_alive()  # waiting for the background run, not compiling on its own
    gate.set()
    request.join(10)
    assert served == [assets.wheel_dir() / needed[0].filename]
    assert len(runs) == 1  # one Pyodide run for all of them
    assert {w.filename for w in needed} <= set(runs[0])
    assert "pydantic" in told[0].split(", ")
    assert told[-1] == ""  # and then that it is done


def test_a_page_made_while_wheels_compile_does_not_preload_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server answers those wheels once compiled: a preload each could take every
    connection the browser opens to the server (six, one kept by live reload's events), and the
    page's own scripts would wait for the compile. Pyodide still loads them (the boot plan)."""
    from framework.cli import bytecode
    from framework.cli.server import Site

    (tmp_path / "main.py").write_text("print('no packages yet')\n")
    site = Site(None, tmp_path)
    site.prepare()
    gate = threading.Event()
    monkeypatch.setattr(bytecode, "compiled_paths", lambda archives: gate.wait(10) and None)
    monkeypatch.setattr(bytecode, "is_compiled", lambda archive: False)
    (tmp_path / "main.py").write_text("import pydantic\n")
    site.refresh()
    site.prepare_new_wheels(lambda text: None)
    pydantic = next(w.filename for w in assets.wheels("browser") if w.name == "pydantic")

    def preloaded() -> list[str]:
        html = page.render_page(site.app, live_reload=True, held=site.held_wheels())
        return re.findall(r'<link rel="preload" href="[^"]*/([^/"]+)"', html)

    try:
        assert pydantic not in preloaded()
        html = page.render_page(site.app, live_reload=True, held=site.held_wheels())
        assert f"/{pydantic}" in html  # in the boot plan: Pyodide asks for it
    finally:
        gate.set()
    site.wheel_file(pydantic)  # the compile is over
    assert pydantic in preloaded()
