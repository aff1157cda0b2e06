"""An app's own API: `server.py` defines `api`, and `framework serve` mounts it under /api."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli.api import load_api
from framework.cli.errors import CliError
from framework.cli.main import main
from framework.cli.server import create_app

SERVER = """
import json
from pathlib import Path
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from contextlib import asynccontextmanager
from helper import greeting  # a sibling host-side module

EVENTS = Path(__file__).with_name("events.log")

@asynccontextmanager
async def lifespan(app):
    EVENTS.write_text("started\\n")
    yield
    with EVENTS.open("a") as log:
        log.write("stopped\\n")

async def hello(request):
    return JSONResponse({"hello": greeting(request.query_params.get("name", "you"))})

api = Starlette(routes=[Route("/hello", hello)], lifespan=lifespan)
"""


def make_app(root: Path, server: str | None) -> Path:
    root.mkdir()
    (root / "main.py").write_text("print('hi')\n")
    (root / "helper.py").write_text("def greeting(name):\n    return f'hello {name}'\n")
    if server is not None:
        (root / "server.py").write_text(server)
    return root


@pytest.fixture
def api_app(tmp_path: Path) -> Path:
    return make_app(tmp_path / "withapi", SERVER)


@pytest.fixture
def client(api_app: Path) -> Iterator[TestClient]:
    with TestClient(create_app(api_app.name, cwd=api_app.parent, live_reload=False)) as test:
        yield test


def test_api_routes_answer_under_api(client: TestClient) -> None:
    response = client.get("/api/hello", params={"name": "Ada"})
    assert response.status_code == 200
    assert response.json() == {"hello": "hello Ada"}


def test_api_source_is_never_served(client: TestClient) -> None:
    assert client.get("/server.py").status_code == 404
    assert client.get("/api/server.py").status_code == 404


def test_api_lifespan_runs_with_the_server(api_app: Path) -> None:
    with TestClient(create_app(api_app.name, cwd=api_app.parent, live_reload=False)):
        assert (api_app / "events.log").read_text() == "started\n"
    assert (api_app / "events.log").read_text() == "started\nstopped\n"


def test_app_without_server_has_no_api(tmp_path: Path) -> None:
    root = make_app(tmp_path / "plain", None)
    assert load_api(root) is None
    with TestClient(create_app(root.name, cwd=root.parent, live_reload=False)) as test:
        assert test.get("/api/hello").status_code == 404


@pytest.mark.parametrize(
    ("server", "message"),
    [
        ("x = 1\n", "defines no `api`"),
        ("api = 42\n", "defines no `api`"),
        ("raise RuntimeError('boom in server')\n", "boom in server"),
        ("import not_a_module_here\n", "not_a_module_here"),
    ],
)
def test_broken_server_module_is_a_clear_error(tmp_path: Path, server: str, message: str) -> None:
    root = make_app(tmp_path / "broken", server)
    with pytest.raises(CliError, match=r"server\.py") as caught:
        load_api(root)
    assert message in str(caught.value)


def test_check_reports_a_broken_server_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_app(tmp_path / "broken", "x = 1\n")
    assert main(["check", str(root)]) == 1
    assert "defines no `api`" in capsys.readouterr().err


@pytest.mark.parametrize("edited", ["helper.py", "server.py"])
def test_loading_again_runs_the_current_source_even_with_the_same_mtime_and_size(
    api_app: Path, edited: str
) -> None:
    """A reload must not take a cached .pyc (checked by mtime and size) for the new source."""
    path = api_app / edited
    with TestClient(load_api(api_app)) as first:
        assert first.get("/hello", params={"name": "Ada"}).json() == {"hello": "hello Ada"}
    stat = path.stat()
    source = path.read_text()
    changed = source.replace("f'hello {name}'", "f'hallo {name}'").replace(
        '"hello": greeting', '"hallo": greeting'
    )
    assert changed != source and len(changed) == len(source)
    path.write_text(changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with TestClient(load_api(api_app)) as second:
        answer = second.get("/hello", params={"name": "Ada"}).json()
    assert "hallo" in json.dumps(answer)
