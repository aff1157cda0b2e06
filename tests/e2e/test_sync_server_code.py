"""Server code and the page share a synced store, on the real `framework serve` and WebSocket:
server.py's write shows on the open page live, and the page's write is what server code reads.
The app (tests/e2e/apps/sync_board) is a board of messages in one shared store.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from tests.e2e.conftest import APPS, AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

LIVE_MS = 1_000  # the "live": within a second


@pytest.fixture(scope="module")
def server(served_app: ServeApp, tmp_path_factory: pytest.TempPathFactory) -> Server:
    database = tmp_path_factory.mktemp("sync") / "board.sqlite3"
    return served_app(APPS / "sync_board", env={"FRAMEWORK_SYNC_DATABASE": str(database)})


@pytest.fixture(scope="module")
def board(server: Server, module_page: AppPage) -> AppPage:
    module_page.open(server.url)
    assert module_page.error is None, module_page.text("#framework-error")
    expect(module_page.page.locator("#status")).to_have_attribute(
        "data-state", "synced", timeout=15_000
    )
    return module_page


def server_board(server: Server) -> list[dict[str, str]]:
    with urllib.request.urlopen(f"{server.url}api/board") as answer:
        board: list[dict[str, str]] = json.load(answer)
    return board


def test_server_code_s_write_shows_on_the_open_page_live(board: AppPage, server: Server) -> None:
    request = urllib.request.Request(
        f"{server.url}api/announce",
        data=json.dumps({"text": "doors open at 9"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request):
        pass
    expect(board.page.locator("#board li").last).to_have_text(
        "server: doors open at 9", timeout=LIVE_MS
    )
    expect(board.page.locator("#status")).to_have_attribute("data-state", "synced")


def test_the_page_s_write_is_what_server_code_reads(board: AppPage, server: Server) -> None:
    board.page.click("#post")
    expect(board.page.locator("#status")).to_have_attribute("data-state", "synced")
    deadline = time.monotonic() + LIVE_MS / 1000
    while not any(m["author"] == "page" for m in server_board(server)):
        assert time.monotonic() < deadline, server_board(server)
        time.sleep(0.05)
    texts = [m["text"] for m in server_board(server)]
    assert texts == [m.split(": ", 1)[1] for m in board.page.locator("#board li").all_inner_texts()]


def test_the_server_does_not_compress_sync_messages(server: Server) -> None:
    """Clients offer permessage-deflate (Chromium does, and so does this one); `framework serve`
    declines it: small JSON messages, and compression halved the server's throughput."""
    url = server.url.replace("http://", "ws://") + "api/sync"
    with connect(url, origin=server.url.rstrip("/")) as socket:  # type: ignore[arg-type]
        assert socket.response is not None
        assert socket.response.headers.get("Sec-WebSocket-Extensions") is None
