"""The TO-DO app synced through its server (`?sync`): two browser contexts of one identity are
two devices, on the real `framework serve` with a fresh SQLite database.

Chromium's offline emulation (context.set_offline) does not close an open WebSocket (its frames
just stop; measured), but it does make new handshakes fail at once. So "offline" here is
set_offline plus closing the page's open sockets, which an init script records; for a reload
while offline (set_offline would fail the page load too) the script points new sockets at a
closed port instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import SETTLED, ServeApp, Server
from tests.e2e.todo_pages import TODO_APP, Todos

COOKIE = "framework_sync_id"
RECORD_SOCKETS = """
window.__sockets__ = [];
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(url, ...rest) {
    // sessionStorage "offline": every socket fails, as offline, while the page itself loads
    super(sessionStorage.getItem('offline') ? 'ws://127.0.0.1:9/' : url, ...rest);
    window.__sockets__.push(this);
  }
};
"""
SYNC_WAIT_MS = 15_000  # a reconnect waits up to a few seconds of backoff after going online


@pytest.fixture(scope="module")
def server(served_app: ServeApp, tmp_path_factory: pytest.TempPathFactory) -> Server:
    database = tmp_path_factory.mktemp("sync") / "todo.sqlite3"
    return served_app(TODO_APP, env={"FRAMEWORK_SYNC_DATABASE": str(database)})


@pytest.fixture(scope="module")
def devices(browser: Browser, server: Server) -> Iterator[tuple[Todos, Todos]]:
    """Two contexts sharing one identity cookie, each booted once, both synced."""
    first, second = browser.new_context(), browser.new_context()
    for context in (first, second):
        context.add_init_script(RECORD_SOCKETS)
    cookie = identity_cookie(first, server)
    second.add_cookies([cookie])
    pages = [context.new_page() for context in (first, second)]
    for page in pages:
        page.goto(server.url + "?sync", wait_until="commit")
    for page in pages:
        page.wait_for_selector(SETTLED, state="attached", timeout=60_000)
        assert page.get_attribute("html", "data-error") is None
        expect(status(page)).to_have_attribute("data-state", "synced", timeout=SYNC_WAIT_MS)
    yield Todos(pages[0]), Todos(pages[1])
    first.close()
    second.close()


def identity_cookie(context: BrowserContext, server: Server) -> dict[str, object]:
    """The cookie the server sets on a first handshake: Chromium keeps it, persistent (400
    days), HttpOnly, for /api only."""
    page = context.new_page()
    page.goto(server.url + "app.css")
    page.evaluate("url => new WebSocket(url)", server.url.replace("http", "ws") + "api/sync")
    for _ in range(50):
        found = [c for c in context.cookies() if c["name"] == COOKIE]
        if found:
            break
        page.wait_for_timeout(100)
    page.close()
    assert found, context.cookies()
    cookie = found[0]
    assert cookie["path"] == "/api" and cookie["httpOnly"] and cookie["expires"] > 0
    return dict(cookie)


def status(page: Page) -> object:
    return page.locator("footer.info .sync-status")


def go_offline(todos: Todos) -> None:
    todos.page.context.set_offline(True)
    todos.page.evaluate("() => __sockets__.forEach(socket => socket.close())")
    expect(status(todos.page)).to_have_attribute("data-state", "offline")


def test_a_todo_added_on_one_device_shows_on_the_other_within_a_second(
    devices: tuple[Todos, Todos],
) -> None:
    phone, laptop = devices
    phone.add_and_wait("milk")
    expect(laptop.items).to_have_text(["milk"], timeout=1_000)


def test_offline_edits_on_both_devices_merge_when_they_reconnect(
    devices: tuple[Todos, Todos],
) -> None:
    phone, laptop = devices
    expect(laptop.items).to_have_count(phone.items.count())
    go_offline(phone)
    go_offline(laptop)
    phone.add_and_wait("eggs")
    laptop.add_and_wait("bread")
    # the same todo edited on both: different fields are both kept (docs/sync.md's rule)
    phone.item(0).locator("input.toggle").check()
    edit = laptop.start_editing(0)
    edit.fill("oat milk")
    edit.press("Enter")
    # a reload while offline keeps the pending edits (saved under todos-framework.sync)
    # (set_offline would fail the reload itself: the page loads, its sockets cannot connect)
    laptop.page.evaluate("() => sessionStorage.setItem('offline', '1')")
    laptop.page.context.set_offline(False)
    laptop.page.reload()
    laptop.page.wait_for_selector('html[data-ready="1"]', state="attached")
    expect(laptop.items.locator("label")).to_have_text(["oat milk", "bread"])
    expect(status(laptop.page)).to_have_attribute("data-state", "offline")
    laptop.page.evaluate("() => sessionStorage.removeItem('offline')")
    for device in (phone, laptop):
        device.page.context.set_offline(False)
    for device in (phone, laptop):
        expect(status(device.page)).to_have_attribute("data-state", "synced", timeout=SYNC_WAIT_MS)
    # every add is kept; which add comes first is the order the server received them
    for device in (phone, laptop):
        expect(device.items).to_have_count(3, timeout=SYNC_WAIT_MS)
        titles = device.titles()
        assert titles[0] == "oat milk" and sorted(titles[1:]) == ["bread", "eggs"], titles
        expect(device.item(0)).to_have_class("completed")
    assert phone.titles() == laptop.titles()
