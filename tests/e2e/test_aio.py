"""framework.aio in Chromium against the real dev server: rows A1-A17 of the reliability matrix.

The app under test (apps/aio) exposes async scenarios on `window.__aio_scenario__`; its
server.py provides the endpoints, among them /api/hang, which never answers and records when
the client disconnects, so "the request was aborted" is checked on the server's side. The app
boots once per module: every scenario runs in the same page (see the `app` fixture).
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

AIO_APP = APPS / "aio"


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(AIO_APP)


def boot(app: AppPage, server: Server) -> AppPage:
    app.open(server.url)
    assert app.error is None, app.text("#framework-error")
    expect(app.page.locator("#app")).to_have_text("scenarios ready")
    return app


@pytest.fixture(scope="module")
def booted(server: Server, module_page: AppPage) -> AppPage:
    return boot(module_page, server)


@pytest.fixture
def app(server: Server, booted: AppPage) -> AppPage:
    """The module's page, booted once: each scenario awaits what it started, so the next test
    finds the page as a boot leaves it. A test that left an error on the page (the last one
    does, on purpose) gets a fresh boot. Console lines and requests are the test's own."""
    if booted.error is not None or not booted.ready:
        boot(booted, server)
    booted.console.clear()
    booted.requests.clear()
    booted.page.evaluate("delete document.body.dataset.slept")
    return booted


def scenario(page: Page, name: str, **args: Any) -> Any:
    script = "([name, args]) => window.__aio_scenario__(name, args)"
    return json.loads(page.evaluate(script, [name, json.dumps(args)]))


def hang_status(server: Server, key: str, wait: float = 5.0) -> dict[str, bool]:
    """What the server saw of /api/hang?id=key, waiting a little for the disconnect to land."""
    deadline = time.monotonic() + wait
    while True:
        with urllib.request.urlopen(f"{server.url}api/hang-status?id={key}") as answer:
            seen: dict[str, bool] = json.load(answer)
        if seen["disconnected"] or time.monotonic() > deadline:
            return seen
        time.sleep(0.1)


def console_errors(app: AppPage) -> list[str]:
    return [line for line in app.console if line.startswith("error")]


def test_a1_timeout_aborts_a_request_the_server_never_answers(app: AppPage, server: Server) -> None:
    report = scenario(app.page, "hang_with_timeout", id="a1", timeout=2)
    assert report["error"] == "RequestTimeout"
    assert "TimeoutError" in report["mro"]
    assert 1.5 <= report["elapsed"] < 3.0
    assert "within 2 s" in report["message"]
    assert hang_status(server, "a1") == {"started": True, "disconnected": True}


def test_a2_without_a_timeout_the_finite_default_applies(app: AppPage, server: Server) -> None:
    report = scenario(app.page, "hang_with_default_timeout", id="a2", default=1.5)
    assert report["error"] == "RequestTimeout"
    assert "within 1.5 s" in report["message"]
    assert report["elapsed"] < 3.0
    assert hang_status(server, "a2")["disconnected"]


@pytest.mark.parametrize("code", [500, 404])
def test_a3_a4_error_statuses_come_back_as_a_request_with_the_body(app: AppPage, code: int) -> None:
    report = scenario(app.page, "status", code=code)
    assert report["result"]["status"] == code
    assert report["result"]["data"] == f"body of a {code}"


@pytest.mark.parametrize(
    ("code", "kind", "reason"),
    [(500, "Server Error", "Internal Server Error"), (404, "Client Error", "Not Found")],
)
def test_a3_a4_raise_for_status_gives_an_http_error(
    app: AppPage, code: int, kind: str, reason: str
) -> None:
    report = scenario(app.page, "status", code=code, raise_for_status=True)
    assert report["error"] == "HTTPError"
    assert "OSError" in report["mro"]
    assert report["message"].startswith(f"{code} {kind}: {reason} for url: http")
    assert f"/api/status/{code}" in report["message"]


def test_a5_refused_connection_is_a_network_error(app: AppPage) -> None:
    report = scenario(app.page, "fetch_url", url="http://127.0.0.1:9/nothing")
    assert report["error"] == "NetworkError"
    assert "OSError" in report["mro"]
    assert "TimeoutError" not in report["mro"]
    assert "failed before any HTTP answer" in report["message"]


def test_a5_cors_refusal_is_a_network_error(app: AppPage, server: Server) -> None:
    foreign = server.url.replace("127.0.0.1", "localhost")  # another origin, no CORS headers
    report = scenario(app.page, "fetch_url", url=f"{foreign}api/echo")
    assert report["error"] == "NetworkError"


def test_a6_cancelling_the_task_aborts_the_request(app: AppPage, server: Server) -> None:
    report = scenario(app.page, "cancel_midway", id="a6")
    assert report["error"] == "CancelledError"
    assert report["running"] == 0
    assert hang_status(server, "a6") == {"started": True, "disconnected": True}
    app.page.wait_for_timeout(300)
    assert console_errors(app) == [], app.diagnostics()


def test_a_resource_shows_only_its_latest_load_and_the_earlier_ones_abort(
    app: AppPage, server: Server
) -> None:
    report = scenario(app.page, "resource_latest", id="res")
    assert report == {"value": "c", "loading": False}
    for superseded in ("res-a", "res-b"):
        assert hang_status(server, superseded) == {"started": True, "disconnected": True}
    assert console_errors(app) == [], app.diagnostics()


def test_a7_retries_honour_retry_after(app: AppPage) -> None:
    report = scenario(app.page, "retry", key="a7-get", retries=2, fails=2, after=1)
    assert report["result"]["status"] == 200
    assert report["result"]["data"] == "ok after 3"
    assert report["result"]["attempts"] == 3
    assert report["elapsed"] >= 2.0  # Retry-After: 1, twice


def test_a7_post_is_not_retried_unless_asked(app: AppPage) -> None:
    report = scenario(app.page, "retry", key="a7-post", method="POST", retries=2, fails=1)
    assert report["result"]["status"] == 503
    assert report["result"]["attempts"] == 1


def test_a8_invalid_json_is_a_json_error_with_a_snippet(app: AppPage) -> None:
    report = scenario(app.page, "bad_json")
    assert report["error"] == "ResponseJSONError"
    assert "JSONDecodeError" in report["mro"]
    assert "ValueError" in report["mro"]
    assert '{"broken": tru' in report["message"]


def test_a10_clicks_are_handled_during_a_long_sleep(app: AppPage) -> None:
    assert scenario(app.page, "background_sleep", seconds=3) == "started"
    button = app.page.locator("#clicks")
    before = int(button.inner_text())  # the page is shared: earlier tests clicked too
    for expected in range(before + 1, before + 6):
        button.click()
        expect(button).to_have_text(str(expected), timeout=500)
    assert app.page.evaluate("document.body.dataset.slept") is None  # still sleeping
    app.page.wait_for_function("() => document.body.dataset.slept !== undefined", timeout=5000)
    assert float(app.page.evaluate("document.body.dataset.slept")) >= 2.9


def test_a12_cancelled_event_wait_removes_its_listeners(app: AppPage) -> None:
    app.page.evaluate(
        """() => {
        const button = document.getElementById("clicks");
        window.__listeners__ = 0;
        const add = button.addEventListener.bind(button);
        const remove = button.removeEventListener.bind(button);
        button.addEventListener = (...args) => { window.__listeners__++; add(...args); };
        button.removeEventListener = (...args) => { window.__listeners__--; remove(...args); };
    }"""
    )
    try:
        report = scenario(app.page, "event_then_cancel")
        assert report["error"] == "CancelledError"
        assert app.page.evaluate("window.__listeners__") == 0
        app.page.locator("#clicks").click()  # nothing waits: no error, no leak
        assert app.error is None
    finally:  # the page is shared: the next tests get the button's own methods back
        app.page.evaluate(
            """() => {
            const button = document.getElementById("clicks");
            delete button.addEventListener;
            delete button.removeEventListener;
        }"""
        )


def test_event_returns_the_first_of_several_events(app: AppPage) -> None:
    assert scenario(app.page, "event_first_of") == "click"


def test_a15_fifty_requests_ten_hanging_time_out_independently(
    app: AppPage, server: Server
) -> None:
    # The hanging ones go to another host name: Chromium allows 6 connections per host, and
    # hanging requests would otherwise hold every connection the fast ones need.
    other_host = server.url.replace("127.0.0.1", "localhost").rstrip("/")
    app.page.evaluate(
        """([base]) => { window.__many__ = window.__aio_scenario__("many",
        JSON.stringify({ok: 40, hanging: 10, timeout: 3, hang_base: base})); }""",
        [other_host],
    )
    button = app.page.locator("#clicks")
    before = int(button.inner_text())
    button.click()
    expect(button).to_have_text(str(before + 1), timeout=1000)  # the page stays responsive
    summary = json.loads(app.page.evaluate("window.__many__"))
    assert summary["ok"] == 40, summary
    assert summary["timeouts"] == 10, summary
    assert summary["other"] == []
    assert summary["elapsed"] < 6


def test_a16_js_rejections_with_non_errors_are_readable(app: AppPage) -> None:
    reports = scenario(app.page, "js_rejections")
    assert [r["type"] for r in reports] == ["JsException"] * 4
    messages = [r["message"] for r in reports]
    assert messages[0] == "PromiseRejection: x"
    assert "without a reason" in messages[1]
    assert messages[2] == "PromiseRejection: {}"
    assert messages[3] == "Error: boom"


def test_formats_binary_data_url_and_bodies(app: AppPage) -> None:
    report = scenario(app.page, "formats")
    assert report["text"] == 300 or report["text"] > 0
    assert report["binary"] == [300, "bytes", "000102"]
    assert report["dataURL"] == "data:application/octet-stream;base64,AAEC"
    assert report["form_body"] == "x=0&y=1"
    assert report["form_type"] == "application/x-www-form-urlencoded"
    assert json.loads(report["json_body"]) == {"a": [1, 2]}
    assert "content-type" in report["headers"]


def test_upload_progress_reaches_the_total(app: AppPage) -> None:
    report = scenario(app.page, "upload_progress", size=3_000_000)
    assert report["status"] == 201
    assert report["data"]["file"] == {"filename": "big.bin", "size": 3_000_000}
    loaded, total = report["progress"]
    assert loaded == total and total > 3_000_000  # multipart adds its boundaries


def test_download_progress_reaches_the_size(app: AppPage) -> None:
    report = scenario(app.page, "download_progress", size=2_000_000)
    assert report["size"] == 2_000_000
    assert report["last"] == [2_000_000, 2_000_000]


def test_cancelling_an_upload_aborts_it(app: AppPage, server: Server) -> None:
    report = scenario(app.page, "cancel_upload", id="upload-cancel")
    assert report["error"] == "CancelledError"
    assert hang_status(server, "upload-cancel")["disconnected"]


# Last on purpose: it leaves the error overlay up, so a test after it would boot afresh.
def test_unhandled_exception_in_a_run_task_reaches_the_overlay(app: AppPage) -> None:
    assert scenario(app.page, "run_reports_error") == "started"
    app.page.wait_for_selector("html[data-error]", state="attached", timeout=5000)
    assert "ValueError: unhandled in a task: code 5531" in app.text("#framework-error")
