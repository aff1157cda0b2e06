"""End-to-end fixtures: real Chromium against the real `framework serve` and a plain static server.

Browser discovery: $FRAMEWORK_CHROMIUM, then a system Chromium, then Playwright's own browser.
One browser per session (pytest-playwright's `browser`); servers are started as subprocesses on
free ports, exactly as a user starts them, and stopped with Ctrl+C (SIGINT). A page boot costs
about 5 s, so modules share a booted page (`module_page`) and reset it between tests; a test
boots a fresh page (`app_page`) only when booting is what it tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeout

APPS = Path(__file__).parent / "apps"
BOOT_TIMEOUT_MS = 60_000
START_TIMEOUT_S = 30.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The tests' browser runs wasm on V8's baseline compiler only. By default every boot also
# compiles Python's hot functions (its interpreter loop above all) with the optimising
# compiler, about 4 s of CPU a page on background threads: the suite boots hundreds of pages
# on 2 cores, and most of them run a few milliseconds of Python. Benchmarks use CHROMIUM_ARGS:
# they time the code users get.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--js-flags=--liftoff-only"]
SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
SETTLED = 'html[data-ready="1"], html[data-error]'
LOCAL_SCHEMES = ("data", "blob", "about")


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test in this folder is an end-to-end test, marked or not: `-m "not e2e"` (what
    `tasks.py test --fast` runs) leaves them all out."""
    if Path(__file__).parent in item.path.parents:
        item.add_marker(pytest.mark.e2e)


# Seconds spent per test module (setup, call and teardown together, fixtures included), printed
# at the end of a run: the suite's budget is spent module by module, mostly on page boots.
MODULE_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    module = report.nodeid.split("::", 1)[0]
    MODULE_SECONDS[module] = MODULE_SECONDS.get(module, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not MODULE_SECONDS:
        return
    slowest = sorted(MODULE_SECONDS.items(), key=lambda item: -item[1])[:20]
    terminalreporter.section("seconds per end-to-end module (the 20 slowest)")
    for module, seconds in slowest:
        terminalreporter.write_line(f"{seconds:8.1f} s  {module}")
    terminalreporter.write_line(f"{sum(MODULE_SECONDS.values()):8.1f} s  in all")


def chromium_executable() -> str | None:
    """$FRAMEWORK_CHROMIUM, else the first system Chromium found, else None (Playwright's own)."""
    explicit = os.environ.get("FRAMEWORK_CHROMIUM")
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise pytest.UsageError(f"FRAMEWORK_CHROMIUM={explicit!r} is not an executable")
        return found
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options plus our executable and flags."""
    options = {**browser_type_launch_args, "args": TEST_CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        options["executable_path"] = executable
    return options


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A server subprocess; `url` ends with a slash."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    interrupted: bool = False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def interrupt(self) -> None:
        """Ctrl+C, once (a second one would force the server down)."""
        if self.process.poll() is None and not self.interrupted:
            self.process.send_signal(signal.SIGINT)
            self.interrupted = True

    def stop(self) -> None:
        self.interrupt()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"{self.url} did not stop on Ctrl+C:\n{self.output()}")


# A shell starts a background job with SIGINT ignored, and children inherit that: a server
# started so would never stop on Ctrl+C (Server.stop). Run in the background, the suite takes
# SIGINT back, so the servers it starts get the default again.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def start_server(
    command: list[str], port: int, log: Path, cwd: Path, env: dict[str, str] | None = None
) -> Server:
    """Run `command` (with `env` added to the environment), wait until http://127.0.0.1:port/
    answers, return the running server."""
    environment = {**os.environ, **env} if env else None
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    server = Server(f"http://127.0.0.1:{port}/", process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`{' '.join(command)}` exited {process.returncode}:\n{server.output()}")
        try:
            # a slow first page (a cold cache on a busy machine) still counts as started:
            # a shorter timeout would abandon it and ask again until START_TIMEOUT_S
            remaining = max(1.0, deadline - time.monotonic())
            with urllib.request.urlopen(server.url, timeout=remaining):
                return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    server.stop()
    pytest.fail(f"`{' '.join(command)}` did not answer within {START_TIMEOUT_S}s")


ServeApp = Callable[..., Server]


def stop_all(servers: Iterable[Server]) -> None:
    """Stop every server with Ctrl+C, all at once; each must exit cleanly."""
    stopped = list(servers)
    for server in stopped:
        server.interrupt()
    for server in stopped:
        server.stop()
    for server in stopped:
        assert server.process.returncode == 0, f"serve exited badly:\n{server.output()}"


@pytest.fixture(scope="session")
def session_servers() -> Iterator[dict[tuple[object, ...], Server]]:
    """`framework serve` without live reload, by what it serves, for the whole session."""
    servers: dict[tuple[object, ...], Server] = {}
    yield servers
    stop_all(servers.values())


@pytest.fixture(scope="module")
def served_app(
    tmp_path_factory: pytest.TempPathFactory, session_servers: dict[tuple[object, ...], Server]
) -> Iterator[ServeApp]:
    """Factory: `served_app(folder, reload=False, env=None)` runs `framework serve folder --port N`
    (`env`: extra environment variables for the server, e.g. where an app's API stores files).
    `served_app(None, cwd=folder)` runs `framework serve --port N` with no folder, in `folder`.

    A server starts in 2-3 s and serves each app the same way every time, so one without live
    reload is shared by the session: asking again for the same folder, working folder and
    environment (from this module or another) returns the running server. A live-reload
    server is the module's own, since its tests edit the app."""
    own: list[Server] = []

    def serve(
        app: Path | None,
        *,
        reload: bool = False,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Server:
        if cwd is None:
            assert app is not None, "served_app(None) needs cwd="
            cwd = app.parent
        key = (app, cwd, tuple(sorted((env or {}).items())))
        if not reload and key in session_servers:
            return session_servers[key]
        port = free_port()
        folder = [] if app is None else [str(app)]
        command = [sys.executable, "-m", "framework", "serve", *folder, "--port", str(port)]
        if not reload:
            command.append("--no-reload")
        log = tmp_path_factory.mktemp("serve") / "server.log"
        server = start_server(command, port, log, cwd=cwd, env=env)
        if reload:
            own.append(server)
        else:
            session_servers[key] = server
        return server

    yield serve
    stop_all(own)


def build_app(app: Path, output: Path) -> str:
    """Run the real `framework build APP -o OUTPUT`; return what it printed."""
    command = [sys.executable, "-m", "framework", "build", str(app), "-o", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


StaticServe = Callable[[Path], Server]


@pytest.fixture(scope="module")
def static_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServe]:
    """Factory: serve a folder with `python -m http.server --bind 127.0.0.1` on a free port."""
    servers: list[Server] = []

    def serve(folder: Path) -> Server:
        port = free_port()
        command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
        log = tmp_path_factory.mktemp("static") / "server.log"
        server = start_server(command, port, log, cwd=folder)
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


@dataclass
class AppPage:
    """A Playwright page that records every request and console line while an app boots."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        """Go to url and wait until the app is ready or has shown an error."""
        self.page.goto(url)
        self.wait_settled()

    def wait_settled(self) -> None:
        try:
            self.page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
        except PlaywrightTimeout as error:
            raise AssertionError(f"the app never settled: {error}\n{self.diagnostics()}") from None

    @property
    def ready(self) -> bool:
        return self.page.get_attribute("html", "data-ready") == "1"

    @property
    def error(self) -> str | None:
        return self.page.get_attribute("html", "data-error")

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but 127.0.0.1 (data:, blob: and about: stay in the page)."""
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname != "127.0.0.1":
                foreign.append(url)
        return foreign

    def diagnostics(self) -> str:
        return "console:\n  " + "\n  ".join(self.console[-40:])


@pytest.fixture
def app_page(page: Page) -> AppPage:
    """pytest-playwright's page (fresh context), recording requests of the whole context."""
    recorder = AppPage(page)

    def on_request(request: Request) -> None:
        recorder.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        recorder.console.append(f"{message.type}: {message.text}")

    page.context.on("request", on_request)
    page.on("console", on_console)
    return recorder


@pytest.fixture(scope="module")
def module_page(browser: Browser) -> Iterator[AppPage]:
    """Like app_page, but one page (in its own context) for a whole module: for apps that reset
    their own state between tests, so a module boots the app once."""
    context = browser.new_context()
    page = context.new_page()
    recorder = AppPage(page)
    context.on("request", lambda request: recorder.requests.append(request.url))
    page.on("console", lambda message: recorder.console.append(f"{message.type}: {message.text}"))
    yield recorder
    context.close()
