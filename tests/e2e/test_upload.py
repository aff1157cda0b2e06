"""The upload demo (apps/upload) in Chromium, against the real `framework serve` and its /api.

Uploads are slowed with DevTools network throttling so progress is visible and a cancel lands
mid-way. The server stores into a temp folder (FRAMEWORK_UPLOAD_DIR) the tests inspect directly.
The app boots once per module; between tests it is emptied through its own controls (see
`upload_page`).
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import CDPSession, FilePayload, Page, Request, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

UPLOAD = Path(__file__).resolve().parents[2] / "apps" / "upload"
LIMIT = 2 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n"
HTML_NAME = '<img src=x onerror="window.pwned=1">.txt'


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upload-storage")


@pytest.fixture(scope="module")
def server(served_app: ServeApp, storage: Path) -> Server:
    env = {"FRAMEWORK_UPLOAD_DIR": str(storage), "FRAMEWORK_UPLOAD_MAX_BYTES": str(LIMIT)}
    return served_app(UPLOAD, env=env)


def api(server: Server, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(f"{server.url}api/{path}", method=method)
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body else None


def stored_names(server: Server) -> list[str]:
    return sorted(item["name"] for item in api(server, "files")["files"])


def temp_files(storage: Path) -> list[str]:
    return os.listdir(storage / "tmp") if (storage / "tmp").exists() else []


EMPTY = "No files on the server yet."
Throttle = Callable[[int], None]


def open_app(app: AppPage, server: Server) -> Page:
    """Empty the server's storage, then boot the app: it lists no files."""
    for item in api(server, "files")["files"]:
        api(server, f"files/{item['id']}", method="DELETE")
    app.open(server.url)
    assert app.error is None, app.text("#framework-error")
    expect(app.page.locator(".stored-empty")).to_have_text(EMPTY)
    return app.page


def empty_through_the_app(page: Page) -> None:
    """What a user does to start over: cancel every upload, remove every row, delete every
    stored file, and turn the browser's checks back on."""
    if page.locator("#cancel-all").is_enabled():
        page.click("#cancel-all")
    for button in (".upload .remove", ".stored .delete"):
        buttons = page.locator(button)
        while (count := buttons.count()) > 0:
            buttons.first.click()
            expect(buttons).to_have_count(count - 1)
    page.locator("#skip-checks").set_checked(False)
    expect(page.locator(".upload")).to_have_count(0)
    expect(page.locator(".stored-empty")).to_have_text(EMPTY)
    expect(page.locator(".notice")).to_be_hidden()


@pytest.fixture(scope="module")
def booted(server: Server, module_page: AppPage) -> AppPage:
    open_app(module_page, server)
    return module_page


@pytest.fixture(scope="module")
def network(booted: AppPage) -> CDPSession:
    """The page's one DevTools session: network conditions belong to the session that set them."""
    return booted.page.context.new_cdp_session(booted.page)


@pytest.fixture
def throttle(network: CDPSession) -> Iterator[Throttle]:
    """throttle(bytes_per_second): slow every upload of the page down; -1 lifts the limit,
    as the test's end does."""

    def set_upload_speed(bytes_per_second: int) -> None:
        network.send("Network.enable")
        conditions = {"offline": False, "latency": 0, "downloadThroughput": -1}
        network.send(
            "Network.emulateNetworkConditions",
            {**conditions, "uploadThroughput": bytes_per_second},
        )

    yield set_upload_speed
    set_upload_speed(-1)


@pytest.fixture
def upload_page(server: Server, booted: AppPage, storage: Path) -> Iterator[Page]:
    """The module's page, as a boot leaves it: nothing picked, nothing stored. Emptied through
    the app's own controls; only what outlives that (an error, a file left on the server)
    costs a boot."""
    page = booted.page
    try:
        assert booted.error is None
        empty_through_the_app(page)
        assert stored_names(server) == []
        wait_until(lambda: temp_files(storage) == [])
    except (AssertionError, PlaywrightTimeout):
        open_app(booted, server)
    yield page
    assert booted.error is None, booted.text("#framework-error")


def pick(page: Page, *files: tuple[str, str, bytes]) -> None:
    payloads: list[FilePayload] = [{"name": n, "mimeType": m, "buffer": d} for n, m, d in files]
    page.set_input_files("#picker", payloads)


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_three_files_upload_with_visible_progress(
    upload_page: Page, throttle: Throttle, server: Server, storage: Path
) -> None:
    page = upload_page
    text = b"first line of a.txt\n" + b"a" * 900_000
    image = PNG + bytes(range(256)) * 3000
    pick(
        page,
        ("a.txt", "text/plain", text),
        ("b.md", "text/markdown", b"# b\n" + b"b" * 900_000),
        ("c.png", "image/png", image),
    )
    rows = page.locator(".upload")
    expect(rows).to_have_count(3)
    expect(page.locator(".upload.ready")).to_have_count(3)
    expect(rows.nth(0).locator("pre.preview")).to_contain_text("first line of a.txt")
    expect(rows.nth(2).locator("img.preview")).to_have_attribute(
        "src", "data:image/png;base64," + _b64(image)
    )

    throttle(400_000)
    page.click("#upload-all")
    seen = page.wait_for_function(
        """() => {
            const bars = [...document.querySelectorAll('.upload progress.file-progress')];
            const overall = document.querySelector('#overall-progress');
            const moving = bars.some(b => !b.hidden && b.value > 0 && b.value < 100);
            return moving && overall.value > 0 && overall.value < 100
                ? {file: bars.map(b => b.value), overall: overall.value} : null;
        }""",
        timeout=20_000,
    ).json_value()
    assert 0 < seen["overall"] < 100
    throttle(-1)
    expect(page.locator(".upload.done")).to_have_count(3, timeout=30_000)
    expect(page.locator("#overall-text")).to_have_text("3 of 3 uploaded (100%)")
    expect(page.locator(".stored tbody tr")).to_have_count(3)
    assert stored_names(server) == ["a.txt", "b.md", "c.png"]
    assert temp_files(storage) == []


def test_dropped_files_are_checked_like_picked_ones(upload_page: Page) -> None:
    page = upload_page
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["dropped text"], "dropped.txt", {type: "text/plain"}));
            data.items.add(new File([""], "folder", {type: ""}));
            const zone = document.querySelector('.dropzone');
            zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true}));
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));
        }"""
    )
    expect(page.locator(".upload.ready .name")).to_have_text("dropped.txt")
    expect(page.locator(".upload.ready pre.preview")).to_have_text("dropped text")
    expect(page.locator(".upload.invalid .message")).to_contain_text("“folder” is empty")


def test_cancel_mid_way_leaves_nothing_then_retry(
    upload_page: Page, throttle: Throttle, server: Server, storage: Path
) -> None:
    page = upload_page
    pick(page, ("slow.txt", "text/plain", b"s" * 1_900_000))
    throttle(150_000)
    page.click("#upload-all")
    page.wait_for_function(
        "() => { const b = document.querySelector('.file-progress');"
        " return b && !b.hidden && b.value >= 10; }",
        timeout=20_000,
    )
    page.click(".upload .cancel")
    row = page.locator(".upload")
    expect(row).to_have_class("upload cancelled")
    expect(row.locator(".message")).to_contain_text("nothing of it was kept")
    wait_until(lambda: temp_files(storage) == [])  # the server saw the disconnect
    assert stored_names(server) == []
    assert not list((storage / "files").iterdir())

    throttle(-1)
    row.locator(".retry").click()
    expect(row).to_have_class("upload done", timeout=20_000)
    assert stored_names(server) == ["slow.txt"]


def test_oversize_refused_by_the_browser_then_by_the_server(
    upload_page: Page, server: Server, storage: Path
) -> None:
    page = upload_page
    posts: list[str] = []

    def record_post(request: Request) -> None:
        if request.method == "POST":
            posts.append(request.url)

    page.on("request", record_post)
    big = ("big.txt", "text/plain", b"x" * (LIMIT + 1))
    pick(page, big)
    row = page.locator(".upload")
    expect(row).to_have_class("upload invalid")
    expect(row.locator(".message")).to_contain_text("the limit is 2 MiB")
    expect(page.locator("#upload-all")).to_be_disabled()
    page.remove_listener("request", record_post)
    assert not [url for url in posts if "/api/files" in url]  # refused before sending

    row.locator(".remove").click()
    page.check("#skip-checks")
    pick(page, big)
    page.click("#upload-all")
    expect(row).to_have_class("upload failed", timeout=20_000)
    expect(row.locator(".message")).to_have_text(
        "“big.txt” is larger than the 2 MiB limit. Choose a smaller file."
    )
    assert stored_names(server) == []
    wait_until(lambda: temp_files(storage) == [])


def test_a_filename_with_html_is_shown_as_text(upload_page: Page, server: Server) -> None:
    page = upload_page
    pick(page, (HTML_NAME, "text/plain", b"harmless"))
    expect(page.locator(".upload .name")).to_have_text(HTML_NAME)
    page.click("#upload-all")
    expect(page.locator(".upload.done")).to_have_count(1, timeout=20_000)
    expect(page.locator(".stored td.name")).to_have_text(HTML_NAME)
    assert page.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert stored_names(server) == [HTML_NAME]


def test_list_and_download_round_trip_byte_identical(upload_page: Page, server: Server) -> None:
    page = upload_page
    payload = PNG + os.urandom(300_000)
    pick(page, ("photo.png", "image/png", payload))
    page.click("#upload-all")
    expect(page.locator(".upload.done")).to_have_count(1, timeout=20_000)
    row = page.locator(".stored tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".size")).to_have_text("293 KiB")
    with page.expect_download() as info:
        row.locator("a.download").click()
    download = info.value
    assert download.suggested_filename == "photo.png"
    assert Path(download.path()).read_bytes() == payload

    row.locator(".delete").click()
    expect(page.locator(".stored-empty")).to_have_text("No files on the server yet.")
    assert stored_names(server) == []


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()
