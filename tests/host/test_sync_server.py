"""The sync server (framework/server) over real sockets: a uvicorn server on a free port, clients
speaking the protocol with the `websockets` client (and one raw socket that stops reading).

What a user relies on: clients of one store see each other's changes, server code's writes reach
them, a restart (or a kill right after an ack) loses nothing, each kind of bad input is refused
to its sender only with nothing applied, and a client that does not keep up is disconnected.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from framework.cli.api import ApiHost
from framework.server import SyncLimits, SyncServer
from framework.server.guard import IDENTITY_COOKIE
from framework.server.storage import SyncDatabase
from framework.sync import Limits

ROOT = Path(__file__).resolve().parents[2]


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


def todo(id: str, title: str = "milk") -> dict[str, Any]:
    return {"id": id, "title": title, "completed": False}


def put(id: str, title: str = "milk") -> dict[str, Any]:
    return {"op": "put", "id": id, "item": todo(id, title), "after": None}


def authorize(identity: str, store: str, operation: str) -> bool:
    if store == "secret":
        return False
    return not (store == "notice" and operation == "write")


LIMITS = SyncLimits(
    protocol=Limits(max_message_bytes=20_000),
    mutations_per_second=50,
    mutation_burst=10,
    stores_per_connection=4,
)


def make_sync(database: Path, limits: SyncLimits = LIMITS) -> SyncServer:
    sync = SyncServer(
        database=database,
        limits=limits,
        authorize=authorize,
        allowed_origins=["https://app.example"],
    )
    for name in ("todos", "board", "secret", "notice", "a", "b", "c", "d", "e"):
        sync.store(name, list[Todo], shared=name != "todos")
    return sync


class Served:
    """A SyncServer's api under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(
        self,
        sync: SyncServer,
        send_buffer: int | None = None,
        app: Any = None,
        path: str = "/sync",
        **uvicorn_options: Any,
    ) -> None:
        """Serves `sync.api()` with a /write route of server code, or `app` if given."""
        self.sync, self.path = sync, path

        async def write(request: Request) -> PlainTextResponse:  # server code writing
            item = await request.json()
            board = sync.stores["board"]
            await board.update(lambda value: [*value, item])
            return PlainTextResponse(str(board.version))

        # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on such sockets (with proto 0, Nagle
        # holds a message written right after another for the peer's delayed ACK, ~40 ms)
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        if send_buffer:  # accepted sockets inherit it (no autotuning up to megabytes)
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        listening.bind(("127.0.0.1", 0))
        self.port = listening.getsockname()[1]
        config = uvicorn.Config(
            app or sync.api(Route("/write", write, methods=["POST"])),
            log_level="critical",
            timeout_graceful_shutdown=1,
            **uvicorn_options,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [listening]})
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{self.path}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = Served(make_sync(tmp_path / "sync.sqlite3"))
    yield running
    running.stop()


def client(served: Served, cookie: str = "tab", **options: Any) -> ClientConnection:
    headers = {"Cookie": f"{IDENTITY_COOKIE}={cookie}"} if cookie else {}
    return connect(served.url, additional_headers=headers, proxy=None, **options)


def receive(ws: ClientConnection, timeout: float = 3) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def nothing_more(ws: ClientConnection) -> bool:
    try:
        ws.recv(timeout=0.2)
    except TimeoutError:
        return True
    return False


def hello(ws: ClientConnection, store: str, client_id: str = "c1", version: int | None = None):
    ws.send(json.dumps(hello_message(store, client_id, version)))
    first = receive(ws)
    ack = receive(ws) if first["type"] != "error" else None
    return first, ack


def push(ws: ClientConnection, store: str, mutations: list[tuple[int, list[Any]]]) -> None:
    ws.send(json.dumps(push_message(store, mutations)))


def value_of(served: Served, store: str = "board") -> Any:
    with client(served, cookie="observer") as ws:
        snapshot, _ = hello(ws, store, "observer")
    return snapshot["value"]


# -- clients of one store ------------------------------------------------------------------------


def test_two_clients_of_a_shared_store_see_each_others_changes(served: Served) -> None:
    with client(served, cookie="alice") as alice, client(served, cookie="bob") as bob:
        assert hello(alice, "board", "a")[0] == {
            "type": "snapshot",
            "store": "board",
            "version": 0,
            "value": [],
        }
        hello(bob, "board", "b")
        push(alice, "board", [(1, [put("1")])])
        changes = {
            "type": "changes",
            "store": "board",
            "changes": [{"version": 1, "ops": [put("1")]}],
        }
        assert receive(alice) == changes  # the pusher advances its confirmed value too
        assert receive(alice) == {"type": "ack", "store": "board", "mutation": 1, "version": 1}
        assert receive(bob) == changes
        assert nothing_more(bob)  # the ack is the pusher's alone

        push(bob, "board", [(1, [{"op": "set", "id": "1", "fields": {"completed": True}}])])
        assert receive(alice)["changes"][0]["version"] == 2
    assert value_of(served) == [{"id": "1", "title": "milk", "completed": True}]


def test_a_store_is_per_identity_unless_shared(served: Served) -> None:
    with (
        client(served, cookie="alice") as phone,
        client(served, cookie="alice") as laptop,
        client(served, cookie="bob") as bob,
    ):
        for ws in (phone, laptop, bob):
            hello(ws, "todos")
        push(phone, "todos", [(1, [put("1", "alice's")])])
        assert receive(laptop)["changes"][0]["ops"] == [put("1", "alice's")]  # same browser
        assert nothing_more(bob)  # another identity: another copy
        assert hello(bob, "todos")[0]["value"] == []


def test_an_identity_s_copy_leaves_memory_with_its_last_connection(served: Served) -> None:
    todos = served.sync.stores["todos"]
    with client(served, cookie="alice") as ws:
        hello(ws, "todos")
        push(ws, "todos", [(1, [put("1")])])
        receive(ws), receive(ws)
        assert todos.copies_in_memory == 1
    deadline = time.monotonic() + 3
    while todos.copies_in_memory and time.monotonic() < deadline:
        time.sleep(0.01)
    assert todos.copies_in_memory == 0  # thousands of idle users cost no memory
    with client(served, cookie="alice") as ws:
        assert hello(ws, "todos", version=None)[0]["value"] == [todo("1")]  # from the file


def test_a_browser_without_the_cookie_gets_an_anonymous_identity(served: Served) -> None:
    with client(served, cookie="") as ws:
        cookie = ws.response.headers["Set-Cookie"]
        assert cookie.startswith(f"{IDENTITY_COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        hello(ws, "todos")
        push(ws, "todos", [(1, [put("1")])])
        receive(ws), receive(ws)
    token = cookie.split(";")[0].split("=", 1)[1]
    with client(served, cookie=token) as again:  # the browser comes back with its cookie
        assert hello(again, "todos")[0]["value"] == [todo("1")]


def test_server_code_writes_reach_connected_clients(served: Served) -> None:
    with client(served) as ws:
        hello(ws, "board")
        request = urllib.request.Request(
            f"http://127.0.0.1:{served.port}/write",
            data=json.dumps(todo("9", "from the server")).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.read() == b"1"
        assert receive(ws)["changes"] == [{"version": 1, "ops": [put("9", "from the server")]}]


# -- restarts --------------------------------------------------------------------------------------


def test_a_restart_loses_nothing_and_clients_resume_from_their_version(tmp_path: Path) -> None:
    database = tmp_path / "sync.sqlite3"
    first = Served(make_sync(database))
    try:
        with client(first) as ws:
            hello(ws, "board", "a")
            push(ws, "board", [(1, [put("1")]), (2, [put("2")])])
            assert receive(ws)["changes"][-1]["version"] == 2
            assert receive(ws)["mutation"] == 2
    finally:
        first.stop()
    second = Served(make_sync(database))
    try:
        with client(second) as ws:
            # resumed at version 1: only what it missed, and its mutations are known
            missed, ack = hello(ws, "board", "a", version=1)
            assert missed == {
                "type": "changes",
                "store": "board",
                "changes": [{"version": 2, "ops": [put("2")]}],
            }
            assert ack == {"type": "ack", "store": "board", "mutation": 2, "version": 2}
            push(ws, "board", [(2, [put("2", "resent")])])  # a resend is applied once
            assert receive(ws) == ack
    finally:
        second.stop()


KILLED_SERVER = """
import sys, uvicorn
from pydantic import BaseModel
from framework.server import SyncServer

class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False

sync = SyncServer(database=sys.argv[1])
sync.store("board", list[Todo], shared=True)
uvicorn.run(sync.api(), host="127.0.0.1", port=int(sys.argv[2]), log_level="critical")
"""


def test_an_acked_mutation_survives_a_kill_right_after_the_ack(tmp_path: Path) -> None:
    script = tmp_path / "serve.py"
    script.write_text(textwrap.dedent(KILLED_SERVER))
    database = tmp_path / "sync.sqlite3"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, str(script), str(database), str(port)])
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return process
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.05)

    url = f"ws://127.0.0.1:{port}/sync"
    process = start()
    try:
        with connect(url, proxy=None) as ws:
            hello(ws, "board")
            push(ws, "board", [(1, [put("1", "acked")])])
            receive(ws)
            assert receive(ws)["type"] == "ack"
            process.kill()  # no shutdown, no flush: only what was on disk before the ack
    finally:
        process.kill()
        process.wait()
    process = start()
    try:
        with connect(url, proxy=None) as ws:
            assert hello(ws, "board")[0]["value"] == [todo("1", "acked")]
    finally:
        process.kill()
        process.wait()


SYNC_APP = """
from pydantic import BaseModel
from framework.server import SyncServer

class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False

sync = SyncServer()  # its file: $FRAMEWORK_SYNC_DATABASE
sync.store("board", list[Todo], shared=True)
api = sync.api()  # {edit}
"""


def test_a_reload_of_server_py_hands_the_stores_to_the_new_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRAMEWORK_SYNC_DATABASE", str(tmp_path / "sync.sqlite3"))
    (tmp_path / "server.py").write_text(SYNC_APP.format(edit=1))
    host = ApiHost(tmp_path)

    async def reload(request: Request) -> PlainTextResponse:
        return PlainTextResponse(await host.reload() or "reloaded")

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await host.start()
        yield
        await host.stop()

    routes = [Route("/reload", reload, methods=["POST"]), Mount("/api", app=host)]
    app = Starlette(routes=routes, lifespan=lifespan)
    running = Served(SyncServer(database=tmp_path / "unused"), app=app, path="/api/sync")
    try:
        with client(running) as old:
            hello(old, "board")
            push(old, "board", [(1, [put("1")])])
            receive(old), receive(old)
            (tmp_path / "server.py").write_text(SYNC_APP.format(edit=2))
            request = urllib.request.Request(
                f"http://127.0.0.1:{running.port}/reload", method="POST"
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.read() == b"reloaded"
            with pytest.raises(ConnectionClosed) as closed:
                old.recv(timeout=3)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        with client(running) as new:
            assert hello(new, "board", version=None)[0]["value"] == [todo("1")]
    finally:
        running.stop()


GUIDE = ROOT / "docs" / "sync.md"


def test_the_guide_s_server_py_serves_its_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (source,) = re.findall(r"```python server\.py\n(.*?)```", GUIDE.read_text(), re.S)
    monkeypatch.setenv("FRAMEWORK_SYNC_DATABASE", str(tmp_path / "sync.sqlite3"))
    namespace: dict[str, Any] = {"__name__": "server", "__file__": str(tmp_path / "server.py")}
    exec(compile(source, str(GUIDE), "exec"), namespace)
    running = Served(namespace["sync"], app=namespace["api"])
    try:
        with client(running, cookie="a") as alice, client(running, cookie="b") as bob:
            for ws in (alice, bob):
                hello(ws, "notes"), hello(ws, "todos")
            push(alice, "notes", [(1, [put("1")])])
            assert receive(bob)["store"] == "notes"  # shared
            push(alice, "todos", [(1, [put("1")])])
            assert receive(alice)["store"] == "notes" and receive(alice)["type"] == "ack"
            assert receive(alice)["store"] == "todos"
            assert nothing_more(bob)  # per identity
    finally:
        running.stop()


# -- bad input -------------------------------------------------------------------------------------


def hello_message(store: str, client_id: str = "c1", version: int | None = None) -> Any:
    return {"type": "hello", "protocol": 1, "store": store, "client": client_id, "version": version}


def push_message(store: str, mutations: list[tuple[int, list[Any]]]) -> Any:
    return {
        "type": "push",
        "store": store,
        "mutations": [{"id": i, "ops": ops} for i, ops in mutations],
    }


WRONG_TYPE = {"op": "put", "id": "1", "after": None, "item": {"id": "1", "title": 7}}
BAD_INPUT = {
    "wrong type": (
        [hello_message("board"), push_message("board", [(1, [WRONG_TYPE])])],
        "invalid",
        "nothing of it was applied",
    ),
    "oversized message": (
        [push_message("board", [(1, [put("1", "x" * 30_000)])])],
        "too_large",
        "over the limit of 20,000",
    ),
    "store it may not read": (
        [hello_message("secret")],
        "forbidden",
        "may not read the store 'secret'",
    ),
    "store it may not write": (
        [hello_message("notice"), push_message("notice", [(1, [put("1")])])],
        "forbidden",
        "may not write to the store 'notice'",
    ),
    "unknown store": ([hello_message("nope")], "unknown_store", "no synced store 'nope'"),
    "push before hello": (
        [push_message("board", [(1, [put("1")])])],
        "not_subscribed",
        "before a hello",
    ),
    "not JSON": (["{oops"], "bad_json", "must be JSON"),
    "flood of mutations": (
        [
            hello_message("board"),
            push_message("board", [(i, [put(str(i))]) for i in range(1, 12)]),
        ],
        "rate_limited",
        "over 50 mutations per second (bursts of 10)",
    ),
    "flood of hellos": ([hello_message("board")] * 11, "rate_limited", "nothing of this message"),
}


@pytest.mark.parametrize(("sent", "code", "says"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_to_its_sender_only_and_nothing_is_applied(
    served: Served, sent: list[Any], code: str, says: str
) -> None:
    with client(served, cookie="good") as good, client(served, cookie="bad") as bad:
        hello(good, "board", "good")
        for message in sent:
            bad.send(message if isinstance(message, str) else json.dumps(message))
        error = next(m for m in iter(lambda: receive(bad), None) if m["type"] == "error")
        assert error["code"] == code and says in error["message"], error
        assert nothing_more(good)  # other clients hear nothing of it
        push(good, "board", [(1, [put("ok")])])  # and go on as before
        assert receive(good)["changes"][0]["version"] == 1
        if code == "rate_limited":  # then the connection is closed
            with pytest.raises(ConnectionClosed) as closed:
                bad.recv(timeout=3)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    assert value_of(served) == [todo("ok")]


def test_a_connection_may_sync_only_so_many_stores(served: Served) -> None:
    with client(served) as ws:
        for store in ("a", "b", "c", "d"):
            assert hello(ws, store)[0]["type"] == "snapshot"
        error, _ = hello(ws, "e")
        assert error["code"] == "too_many_stores" and "at most 4 stores" in error["message"]
        assert hello(ws, "a")[0]["type"] == "snapshot"  # a hello again is not one more


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("https://evil.example", False),
        ("http://127.0.0.1:1", False),  # another port is another origin
        ("https://app.example", True),  # allowed by the app
        (None, True),  # not a browser page: no page to hijack
    ],
)
def test_the_origin_of_the_handshake_is_checked(
    served: Served, origin: str | None, accepted: bool
) -> None:
    if accepted:
        with client(served, origin=origin) as ws:
            assert hello(ws, "board")[0]["type"] == "snapshot"
        return
    with pytest.raises(InvalidStatus) as refused:
        client(served, origin=origin)
    assert refused.value.response.status_code == 403
    assert f"the origin {origin} is not allowed" in refused.value.response.body.decode()


def test_the_page_s_own_origin_is_accepted(served: Served) -> None:
    with client(served, origin=f"http://127.0.0.1:{served.port}") as ws:
        assert hello(ws, "board")[0]["type"] == "snapshot"


def test_an_identity_hook_that_knows_nobody_refuses_the_handshake(tmp_path: Path) -> None:
    sync = SyncServer(database=tmp_path / "s.sqlite3", identify=lambda ws: None)
    running = Served(sync)
    try:
        with pytest.raises(InvalidStatus) as refused:
            connect(running.url, proxy=None)
        assert refused.value.response.status_code == 403
        assert b"sign in first" in refused.value.response.body
    finally:
        running.stop()


# -- backpressure ----------------------------------------------------------------------------------


def raw_client(port: int, store: str) -> socket.socket:
    """A WebSocket client on a plain socket with a tiny receive buffer, which says hello and
    then reads nothing: the server's writes back up at once."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /sync HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Cookie: {IDENTITY_COOKIE}=slow\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101")
    text = json.dumps(
        {"type": "hello", "protocol": 1, "store": store, "client": "slow", "version": None}
    ).encode()
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(text))
    sock.sendall(bytes([0x81, 0x80 | len(text)]) + mask + masked)
    return sock


def close_code(sock: socket.socket) -> int:
    """Read the server's frames up to its close frame; that frame's code."""
    sock.settimeout(5)
    data = b""
    while True:
        while len(data) < 10 and (len(data) < 2 or data[1] & 0x7F >= 126):
            data += sock.recv(1 << 16)
        opcode, length, offset = data[0] & 0x0F, data[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(data[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(data[2:10], "big"), 10
        while len(data) < offset + length:
            data += sock.recv(1 << 16)
        if opcode == 0x8:
            return int.from_bytes(data[offset : offset + 2], "big")
        data = data[offset + length :]


def test_a_client_that_does_not_keep_up_is_disconnected(tmp_path: Path) -> None:
    limits = SyncLimits(mutations_per_second=1000, mutation_burst=1000, send_queue_bytes=100_000)
    running = Served(make_sync(tmp_path / "sync.sqlite3", limits), send_buffer=8192)
    try:
        slow = raw_client(running.port, "board")
        with client(running) as fast:
            hello(fast, "board")
            for version in range(1, 41):  # ~40 x 15 kB to everyone, the slow one included
                push(fast, "board", [(version, [put(str(version), os.urandom(7_500).hex())])])
                assert receive(fast)["changes"][0]["version"] == version
                assert receive(fast)["type"] == "ack"  # the fast client is never held up
            assert len(running.sync.connections) == 1  # the slow one is gone
        assert close_code(slow) == 1013  # once it reads again: "try again later"
        slow.close()
    finally:
        running.stop()


def test_a_client_s_pushes_and_pongs_are_read_while_its_saves_are_slow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow disk (each save 1 s here) delays acks, not reading: the next pushes are applied
    and go into the same save, and the keepalive's pongs are read in time (a connection that
    waited for each save before reading again was closed with 1011 under load)."""
    write = SyncDatabase._write

    def slow_write(self: SyncDatabase, *rows: Any) -> None:
        time.sleep(1.0)
        write(self, *rows)

    running = Served(
        make_sync(tmp_path / "sync.sqlite3"), ws_ping_interval=0.3, ws_ping_timeout=0.5
    )
    try:
        with client(running) as ws:
            hello(ws, "board")
            monkeypatch.setattr(SyncDatabase, "_write", slow_write)
            started = time.monotonic()
            for n in range(1, 6):
                push(ws, "board", [(n, [put(str(n))])])
            received = [receive(ws, timeout=10) for _ in range(10)]  # 5 changes, 5 acks
            elapsed = time.monotonic() - started
        versions = [c["version"] for m in received if m["type"] == "changes" for c in m["changes"]]
        acks = [m["mutation"] for m in received if m["type"] == "ack"]
        assert versions == [1, 2, 3, 4, 5]
        assert acks == [1, 2, 3, 4, 5]
        assert elapsed < 4  # two or three saves, not five one after another
        assert [item["id"] for item in value_of(running)] == ["5", "4", "3", "2", "1"]
    finally:
        running.stop()
