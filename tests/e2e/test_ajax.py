"""The examples of Brython's documentation for `browser.aio`, `browser.ajax` and the storage
modules run unchanged in a framework app (apps/brython/examples), in Chromium against the dev
server. Only `url` is defined where the documentation leaves it to the reader, and the upload
example posts to the test server's /api/upload instead of a CGI script.

The app boots once per module and runs each example when its test asks: the examples touch
different elements and storage keys, so none sees another's traces."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Dialog, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

BRYTHON_APP = APPS / "brython"
Open = Callable[[str], AppPage]


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(BRYTHON_APP)


@pytest.fixture(scope="module")
def booted(server: Server, module_page: AppPage) -> AppPage:
    module_page.open(server.url)
    assert module_page.error is None, module_page.text("#framework-error")
    expect(module_page.page.locator("#app")).to_have_text("examples ready")
    return module_page


@pytest.fixture
def run_example(booted: AppPage) -> Iterator[Open]:
    """run_example(name): run examples/<name>.py in the module's page; the console is the
    test's own. Afterwards the page shows no error."""
    booted.console.clear()

    def run(name: str) -> AppPage:
        booted.page.evaluate("name => __run_example__(name)", name)
        expect(booted.page.locator("#app")).to_have_text(f"example {name} started")
        return booted

    yield run
    assert booted.error is None, booted.text("#framework-error")


def printed(app: AppPage, line: str, timeout_ms: int = 5000) -> None:
    """Wait until the example printed `line` (print goes to the console)."""
    deadline = timeout_ms
    while f"log: {line}" not in app.console and deadline > 0:
        app.page.wait_for_timeout(100)
        deadline -= 100
    assert f"log: {line}" in app.console, app.diagnostics()


def test_aio_event_on_an_input(run_example: Open) -> None:
    app = run_example("aio_input")
    alerts: list[str] = []

    def accept(dialog: Dialog) -> None:
        alerts.append(dialog.message)
        dialog.accept()

    app.page.on("dialog", accept)
    try:
        field = app.page.locator("body > input:not([type=file])")
        field.fill("not a number")
        field.blur()
        expect(field).to_have_value("")  # the example clears what is not an int
        field.fill("42")
        field.blur()
        expect(field).to_have_count(0)  # then removes the input ...
        assert alerts == ["Value: 42"]  # ... and alerts the value
    finally:
        app.page.remove_listener("dialog", accept)


def test_aio_ajax_get_binary_and_data_url(run_example: Open) -> None:
    app = run_example("aio_files")
    printed(app, "36")  # len(test.html)
    printed(app, "1040")  # len(memo.pdf) as bytes
    image = app.page.locator("body > img")
    expect(image).to_have_count(1)
    assert image.get_attribute("src").startswith("data:image/png;base64,iVBOR")


def test_aio_future_resolved_by_a_timer(run_example: Open) -> None:
    app = run_example("aio_future")
    printed(app, "awaiting...")
    printed(app, "future awaited, result: timeout!")


def test_aio_sleep(run_example: Open) -> None:
    app = run_example("aio_sleep")
    printed(app, "slept 1 s")


def test_ajax_get_text_with_oncomplete(run_example: Open) -> None:
    printed(run_example("ajax_text"), "hello from test.txt")


def test_ajax_get_with_an_encoding(run_example: Open) -> None:
    printed(run_example("ajax_latin1"), "café crème")


def test_ajax_text_as_bytes(run_example: Open) -> None:
    printed(run_example("ajax_text_as_bytes"), "bytes ok")


def test_ajax_binary_read(run_example: Open) -> None:
    printed(run_example("ajax_binary"), "read bytes 73")


def test_ajax_json(run_example: Open) -> None:
    printed(run_example("ajax_json"), "{'name': 'Brython', 'list': [1, 2, 3]}")


def test_ajax_class_bind_open_set_header_send(run_example: Open) -> None:
    app = run_example("ajax_class")
    expect(app.page.locator("#result")).to_have_text(
        "POST application/x-www-form-urlencoded x=0&y=1"
    )


def test_file_upload(run_example: Open, tmp_path: object) -> None:
    app = run_example("file_upload")
    app.page.locator("#choosefiles").set_input_files(
        [
            {"name": "a.txt", "mimeType": "text/plain", "buffer": b"first file"},
            {"name": "b.bin", "mimeType": "application/octet-stream", "buffer": bytes(5000)},
        ]
    )
    with app.page.expect_response("**/api/upload") as first:
        app.page.locator("#upload").click()
    assert first.value.status == 201
    printed(app, "all right")
    assert app.console.count("log: all right") in (1, 2)
    app.page.wait_for_timeout(500)
    assert app.console.count("log: all right") == 2


def test_brython_local_storage_import(run_example: Open) -> None:
    app = run_example("local_storage")
    printed(app, "bar")
    printed(app, "False")
    assert app.page.evaluate("localStorage.getItem('foo')") is None


def test_brython_session_storage_import(run_example: Open) -> None:
    app = run_example("session_storage")
    printed(app, "kept for the tab")
    assert app.page.evaluate("sessionStorage.getItem('session-key')") == "kept for the tab"
