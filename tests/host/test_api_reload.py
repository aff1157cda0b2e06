"""`framework serve` reloads the app's API in place when server.py or a module it imports changes,
against a real `framework serve` over real HTTP: the page is not told to reload, and a server.py
that no longer loads leaves the old API answering and is reported (terminal and event stream)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RELOAD_WITHIN_S = 2.0
START_TIMEOUT_S = 30.0

SERVER = """\
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from server_lib.words import WORD

LOG = Path(__file__).with_name("lifespan.log")


@asynccontextmanager
async def lifespan(app):
    with LOG.open("a") as log:
        log.write("start {version}\\n")
    yield
    with LOG.open("a") as log:
        log.write("stop {version}\\n")


async def answer(request):
    return JSONResponse({{"version": {version}, "word": WORD}})


api = Starlette(routes=[Route("/answer", answer)], lifespan=lifespan)
"""


@dataclass
class Served:
    """A running `framework serve` (live reload on) and every event its pages were sent."""

    app: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    events: list[tuple[str, str]] = field(default_factory=list)
    connected: threading.Event = field(default_factory=threading.Event)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def answer(self) -> tuple[int, dict[str, object]]:
        with urllib.request.urlopen(self.url + "api/answer", timeout=5) as response:
            return response.status, json.loads(response.read())

    def write_server(self, version: int) -> float:
        (self.app / "server.py").write_text(SERVER.format(version=version))
        return time.monotonic()

    def wait_for(self, version: int, word: str, since: float, within: float) -> float:
        """Seconds from `since` until the API answers with version and word; fails after
        `within` seconds."""
        while time.monotonic() - since < within:
            if self.answer()[1] == {"version": version, "word": word}:
                return time.monotonic() - since
            time.sleep(0.02)
        pytest.fail(f"the API still answers {self.answer()} after {within} s:\n{self.output()}")

    def wait_for_output(self, text: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert time.monotonic() < deadline, f"never printed {text!r}:\n{self.output()}"
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def listen(served: Served) -> None:
    """Collect the live-reload events (the page's EventSource) until the server stops."""
    with urllib.request.urlopen(served.url + "_framework/events", timeout=3600) as stream:
        event = ""
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line == ": connected":
                served.connected.set()
            elif line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: "):
                served.events.append((event, line.removeprefix("data: ")))


def wait_until_listening(server: Served) -> None:
    """Until the API answers and the event stream is connected, as a page's would be."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        assert server.process.poll() is None, server.output()
        assert time.monotonic() < deadline, server.output()
        try:
            server.answer()
            break
        except OSError:
            time.sleep(0.1)
    threading.Thread(target=listen, args=(server,), daemon=True).start()
    while not server.connected.is_set():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.05)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    app = tmp_path_factory.mktemp("reload") / "app"
    (app / "server_lib").mkdir(parents=True)
    (app / "main.py").write_text("print('up')\n")
    (app / "server_lib" / "__init__.py").write_text("")
    (app / "server_lib" / "words.py").write_text('WORD = "one"\n')
    (app / "server.py").write_text(SERVER.format(version=1))
    port, log = free_port(), app.parent / "serve.log"
    command = [sys.executable, "-m", "framework", "serve", str(app), "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    server = Served(app, f"http://127.0.0.1:{port}/", process, log)
    try:
        wait_until_listening(server)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, server.output()
    assert (app / "lifespan.log").read_text().endswith("stop 1\n")  # the last one stopped


@pytest.fixture
def fresh(served: Served) -> Served:
    """The served app back at version 1 ("one"), its event list emptied."""
    (served.app / "server_lib" / "words.py").write_text('WORD = "one"\n')
    served.wait_for(1, "one", served.write_server(1), within=10)
    served.events.clear()
    return served


def reloads(events: list[tuple[str, str]]) -> list[str]:
    """The reasons of the `reload` events the pages were sent (each one a page load)."""
    return [data for event, data in events if event == "reload"]


def _open_lifespans(log: Path) -> int:
    """How many APIs have started and not stopped, by the lifespan log."""
    lines = log.read_text().splitlines() if log.exists() else []
    return sum(line.startswith("start") for line in lines) - sum(
        line.startswith("stop") for line in lines
    )


@pytest.mark.parametrize("version", [2, 3])
def test_editing_server_py_changes_the_answer_within_2_s(fresh: Served, version: int) -> None:
    took = fresh.wait_for(version, "one", fresh.write_server(version), within=RELOAD_WITHIN_S)
    assert took < RELOAD_WITHIN_S
    assert not reloads(fresh.events)  # the page keeps its state


def test_editing_a_module_server_py_imports_changes_the_answer(fresh: Served) -> None:
    since = time.monotonic()
    (fresh.app / "server_lib" / "words.py").write_text('WORD = "two"\n')
    fresh.wait_for(1, "two", since, within=RELOAD_WITHIN_S)
    assert not reloads(fresh.events)


def test_reload_starts_the_new_lifespan_then_stops_the_old(fresh: Served) -> None:
    log = fresh.app / "lifespan.log"
    # The fixture's own reload answers with the new API before it stops the old one: wait for
    # that stop, so it is not taken for this test's (seen under load).
    deadline = time.monotonic() + 5
    while _open_lifespans(log) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    log.write_text("")
    fresh.wait_for(4, "one", fresh.write_server(4), within=RELOAD_WITHIN_S)
    deadline = time.monotonic() + 5
    while "stop 1" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.read_text() == "start 4\nstop 1\n"


def test_requests_during_a_reload_get_the_old_or_the_new_api(fresh: Served) -> None:
    answers: list[object] = []
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            try:
                answers.append(fresh.answer())
            except OSError as error:
                answers.append(error)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        fresh.wait_for(5, "one", fresh.write_server(5), within=RELOAD_WITHIN_S)
        time.sleep(0.2)
    finally:
        done.set()
        asker.join()
    assert set(map(repr, answers)) == {
        repr((200, {"version": 1, "word": "one"})),
        repr((200, {"version": 5, "word": "one"})),
    }


@pytest.mark.parametrize(
    ("broken", "reported"),
    [
        ("server.py", "SyntaxError"),
        ("words.py", "SyntaxError"),
        ("no_api", "defines no `api`"),
        ("import_error", "No module named 'not_installed_here'"),
    ],
)
def test_a_broken_server_keeps_the_old_api_and_is_reported(
    fresh: Served, broken: str, reported: str
) -> None:
    changes = {
        "server.py": (fresh.app / "server.py", SERVER.format(version=6) + "def broken(:\n"),
        "words.py": (fresh.app / "server_lib" / "words.py", 'WORD = ("two"\n'),
        "no_api": (fresh.app / "server.py", "x = 1\n"),
        "import_error": (fresh.app / "server.py", "import not_installed_here\n"),
    }
    path, source = changes[broken]
    printed = fresh.output().count("The previous API keeps running.")
    path.write_text(source)

    deadline = time.monotonic() + 10
    while fresh.output().count("The previous API keeps running.") == printed:
        assert time.monotonic() < deadline, fresh.output()
        time.sleep(0.05)
    assert reported in fresh.output().rsplit("framework: error:", 1)[-1]
    assert fresh.answer() == (200, {"version": 1, "word": "one"})
    api_events = [json.loads(data) for event, data in fresh.events if event == "api"]
    assert api_events, fresh.events
    assert reported in api_events[-1]
    assert "The previous API keeps running." in api_events[-1]
    assert not reloads(fresh.events)

    fixed = time.monotonic()
    (fresh.app / "server_lib" / "words.py").write_text('WORD = "fixed"\n')
    fresh.wait_for(7, "fixed", fresh.write_server(7), within=RELOAD_WITHIN_S + 1)
    assert time.monotonic() - fixed < RELOAD_WITHIN_S + 1
    deadline = time.monotonic() + 2
    # The overlay is told it is fixed: the last `api` event is empty (a `check` may follow it).
    while [data for event, data in fresh.events if event == "api"][-1] != '""':
        assert time.monotonic() < deadline, fresh.events
        time.sleep(0.05)


def test_a_change_to_a_page_file_still_reloads_the_page(fresh: Served) -> None:
    (fresh.app / "main.py").write_text("print('up again')\n")
    deadline = time.monotonic() + 5
    while not reloads(fresh.events):
        assert time.monotonic() < deadline, fresh.events
        time.sleep(0.05)
    assert fresh.answer() == (200, {"version": 1, "word": "one"})
