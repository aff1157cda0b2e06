"""Several sync server processes kept in step through Redis (framework/server/redis_log.py): a
real redis-server on a free port (no persistence, in a temporary folder), two real server
processes sharing one SQLite file, and WebSocket clients (the `websockets` client) on each.

What a user relies on: a push to one process reaches the clients of the other live, and so does
server code's write; pushes made at once on both processes end in one order that every client
sees the same; a process killed and restarted loses nothing, and its clients resume.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from framework.server.guard import IDENTITY_COOKIE

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or (
    "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
)
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server is not installed (Debian: apt-get install redis-server; "
    "`python3 tasks.py test` installs it)",
)

SERVER = """
import sys

import uvicorn
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from framework.server import SyncServer


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


sync = SyncServer(database=sys.argv[1], redis=sys.argv[2])
board = sync.store("board", list[Todo], shared=True)
sync.store("todos", list[Todo])


async def write(request: Request) -> PlainTextResponse:  # server code writing
    item = await request.json()
    await board.update(lambda value: [*value, item])
    return PlainTextResponse(str(board.version))


api = sync.api(Route("/write", write, methods=["POST"]))
uvicorn.run(api, host="127.0.0.1", port=int(sys.argv[3]), log_level="error")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"{what} exited with {process.returncode}"
            assert time.monotonic() < deadline, f"{what} did not start"
            time.sleep(0.05)


class Process:
    """One server process of the app, on a port of its own; `restart()` kills it first."""

    def __init__(self, script: Path, database: Path, redis_url: str) -> None:
        self.command = [sys.executable, str(script), str(database), redis_url]
        self.port = free_port()
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([*self.command, str(self.port)], cwd=ROOT)
        return process

    def ready(self) -> None:
        wait_for_port(self.port, self.process, "a sync server process")

    def kill(self) -> None:
        self.process.kill()  # no shutdown, no flush: only what was on disk
        self.process.wait()

    def restart(self) -> None:
        self.kill()
        self.process = self._start()
        self.ready()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/sync"


class RedisServer:
    """A redis-server on a free port, keeping nothing on disk; `restart()` loses its data."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        assert REDIS_SERVER is not None
        where = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        no_persistence = ["--save", "", "--appendonly", "no"]
        process = subprocess.Popen(
            [REDIS_SERVER, *where, *no_persistence, "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process, "redis-server")
        return process

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.process = self._start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def app_on_redis(folder: Path) -> Iterator[tuple[RedisServer, Process, Process]]:
    redis = RedisServer(folder)
    script = folder / "serve.py"
    script.write_text(textwrap.dedent(SERVER))
    database = folder / "sync.sqlite3"  # the processes share the app's file
    first = Process(script, database, redis.url)
    second = Process(script, database, redis.url)
    try:
        first.ready()
        second.ready()
        yield redis, first, second
    finally:
        first.kill()
        second.kill()
        redis.stop()


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Process]]:
    with app_on_redis(tmp_path_factory.mktemp("app")) as (_, first, second):
        yield first, second


def client(process: Process, cookie: str) -> ClientConnection:
    headers = {"Cookie": f"{IDENTITY_COOKIE}={cookie}"}
    return connect(process.url, additional_headers=headers, proxy=None)


def receive(ws: ClientConnection, timeout: float = 3) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def hello(
    ws: ClientConnection, store: str, client_id: str, version: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    message = {"type": "hello", "protocol": 1, "store": store, "client": client_id}
    ws.send(json.dumps({**message, "version": version}))
    return receive(ws), receive(ws)


def push(ws: ClientConnection, store: str, mutation: int, ops: list[Any]) -> None:
    message = {"type": "push", "store": store, "mutations": [{"id": mutation, "ops": ops}]}
    ws.send(json.dumps(message))


def todo(id: str, title: str = "milk") -> dict[str, Any]:
    return {"id": id, "title": title, "completed": False}


def put(id: str, title: str = "milk") -> dict[str, Any]:
    return {"op": "put", "id": id, "item": todo(id, title), "after": None}


def until_acked(ws: ClientConnection, mutation: int) -> dict[int, list[Any]]:
    """The changes the client receives (version -> ops) until its mutation is acknowledged."""
    seen: dict[int, list[Any]] = {}
    while True:
        message = receive(ws)
        if message["type"] == "changes":
            seen.update((change["version"], change["ops"]) for change in message["changes"])
        elif message["type"] == "ack" and message["mutation"] >= mutation:
            return seen
        else:
            assert message["type"] == "ack", message


def close_code(ws: ClientConnection) -> int | None:
    """Read until the server closes the connection; its close code."""
    try:
        while True:
            receive(ws, timeout=5)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


def value_on(process: Process, store: str, cookie: str) -> Any:
    with client(process, cookie) as ws:
        snapshot, _ = hello(ws, store, "observer")
    return snapshot["value"]


def test_a_push_to_one_process_reaches_a_client_of_the_other_live(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    with client(first, "alice") as phone, client(second, "alice") as laptop:
        hello(phone, "todos", "phone")
        hello(laptop, "todos", "laptop")
        push(phone, "todos", 1, [put("1")])
        sent = time.monotonic()
        changes = receive(laptop, timeout=1)
        assert time.monotonic() - sent < 1
        assert changes == {
            "type": "changes",
            "store": "todos",
            "changes": [{"version": 1, "ops": [put("1")]}],
        }
        assert until_acked(phone, 1) == {1: [put("1")]}
        push(laptop, "todos", 1, [{"op": "set", "id": "1", "fields": {"completed": True}}])
        assert receive(phone, timeout=1)["changes"][0]["version"] == 2
    done = [{"id": "1", "title": "milk", "completed": True}]
    assert value_on(first, "todos", "alice") == value_on(second, "todos", "alice") == done
    assert value_on(second, "todos", "bob") == []  # another identity, another copy


def test_server_code_on_one_process_reaches_clients_of_the_other(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    with client(second, "carol") as ws:
        before, _ = hello(ws, "board", "tab")
        request = urllib.request.Request(
            f"http://127.0.0.1:{first.port}/write",
            data=json.dumps(todo("from-server", "written by server code")).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            version = int(response.read())
        changes = receive(ws, timeout=1)
    assert version == before["version"] + 1
    assert changes["changes"] == [
        {"version": version, "ops": [put("from-server", "written by server code")]}
    ]


def test_pushes_on_both_processes_at_once_end_in_one_order(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    count = 30
    seen: dict[str, dict[int, list[Any]]] = {}
    both_connected = threading.Barrier(2, timeout=10)

    def device(process: Process, name: str) -> None:
        with client(process, "dave") as ws:
            assert hello(ws, "todos", name)[0]["version"] == 0
            both_connected.wait()  # then both push at once
            for mutation in range(1, count + 1):
                # each device adds its own items and renames the first one: the same field
                ops = [put(f"{name}{mutation}")]
                if mutation > 1:
                    ops.append({"op": "set", "id": f"{name}1", "fields": {"title": name}})
                push(ws, "todos", mutation, ops)
            received = until_acked(ws, count)
            # the other device may still be pushing: wait for all of its changes too
            while len(received) < 2 * count:
                message = receive(ws)
                if message["type"] == "changes":
                    received.update((c["version"], c["ops"]) for c in message["changes"])
            seen[name] = received

    threads = [
        threading.Thread(target=device, args=(first, "phone")),
        threading.Thread(target=device, args=(second, "laptop")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert set(seen) == {"phone", "laptop"}
    # one order: both devices saw versions 1..60 and the same change at each version
    assert sorted(seen["phone"]) == list(range(1, 2 * count + 1))
    assert seen["phone"] == seen["laptop"]
    # and in that order: a change out of version order costs the client a resync
    for received in seen.values():
        assert list(received) == sorted(received)
    value = value_on(first, "todos", "dave")
    assert value == value_on(second, "todos", "dave")
    ids = {item["id"] for item in value}
    assert ids == {f"{name}{n}" for name in ("phone", "laptop") for n in range(1, count + 1)}


def test_a_process_restart_loses_nothing(processes: tuple[Process, Process]) -> None:
    first, second = processes
    with client(second, "erin") as ws:
        hello(ws, "todos", "laptop")
        push(ws, "todos", 1, [put("1", "acked on the second process")])
        until_acked(ws, 1)
        second.kill()  # right after the ack: no shutdown, no flush
    with client(first, "erin") as ws:  # meanwhile, the first process goes on
        hello(ws, "todos", "phone")
        push(ws, "todos", 1, [put("2", "while the second was down")])
        until_acked(ws, 1)
    second.restart()
    with client(second, "erin") as ws:  # the laptop reconnects, confirmed at version 1
        missed, ack = hello(ws, "todos", "laptop", version=1)
        assert missed["changes"] == [{"version": 2, "ops": [put("2", "while the second was down")]}]
        assert ack == {"type": "ack", "store": "todos", "mutation": 1, "version": 2}
        push(ws, "todos", 1, [put("1", "resent")])  # its ack was lost: applied once
        assert receive(ws) == ack
    assert value_on(second, "todos", "erin") == [
        todo("2", "while the second was down"),
        todo("1", "acked on the second process"),
    ]


def test_redis_restarted_without_its_data_loses_no_acked_change(tmp_path: Path) -> None:
    with app_on_redis(tmp_path) as (redis, first, second):
        with client(first, "frank") as ws, client(second, "frank") as other:
            hello(ws, "todos", "phone")
            hello(other, "todos", "laptop")
            push(ws, "todos", 1, [put("1", "before")])
            until_acked(ws, 1)
            redis.restart()  # its logs are gone: the processes go on from the file
            assert close_code(ws) == 1012  # the server reloaded its stores: reconnect
            # The other process too: a client reconnecting before it has would be closed again.
            assert close_code(other) == 1012
        with client(first, "frank") as phone, client(second, "frank") as laptop:
            assert hello(phone, "todos", "phone", version=1)[1]["mutation"] == 1
            assert hello(laptop, "todos", "laptop")[0]["value"] == [todo("1", "before")]
            push(laptop, "todos", 1, [put("2", "after")])
            assert receive(phone, timeout=1)["changes"][0]["ops"] == [put("2", "after")]
        assert value_on(first, "todos", "frank") == value_on(second, "todos", "frank")
