"""framework.ajax (Brython's callback API) over MockTransport: ready states, reading the
answer in each mode, timeouts, uploads, and the clear refusal of blocking requests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from framework import aio, ajax
from framework.aio import HTTPRequest, HTTPResponse
from framework.aio.mock import json_response, text_response
from framework.aio.testing import run_sync
from tests.unit.aio_support import Server, mock_server


def drive(start: Callable[[], Any], settle: float = 60, **routes: Any) -> Server:
    """Call start() inside a loop with a mock server, then let `settle` seconds pass."""

    async def main() -> None:
        start()
        await aio.sleep(settle)

    with mock_server() as server:
        for path, route in routes.items():
            server.route(path, route)
        run_sync(main())
    return server


def test_brython_ajax_example_bind_open_set_header_send() -> None:
    seen: list[tuple[int, str]] = []

    def on_complete(req: ajax.Ajax) -> None:
        if req.status == 200 or req.status == 0:  # noqa: PLR1714 - as in Brython's docs
            seen.append((req.status, req.text))
        else:
            seen.append((req.status, "error " + req.text))

    def start() -> None:
        url = "/echo"
        req = ajax.Ajax()
        req.bind("complete", on_complete)
        req.open("POST", url, True)
        req.set_header("content-type", "application/x-www-form-urlencoded")
        req.send({"x": 0, "y": 1})

    server = drive(start, **{"/echo": lambda r: text_response(200, f"got {r.body}")})
    assert seen == [(200, "got x=0&y=1")]
    assert server.requests[0].headers == {"content-type": "application/x-www-form-urlencoded"}


def test_ready_state_callbacks_run_in_order_with_the_request() -> None:
    states: list[tuple[str, int]] = []

    def start() -> None:
        req = ajax.Ajax()
        for name in ajax.READY_STATES:
            req.bind(name, lambda r, name=name: states.append((name, r.readyState)))
        req.open("GET", "/ok", True)
        req.send()

    drive(start, **{"/ok": lambda r: text_response(200, "fine")})
    assert states == [("loading", 1), ("loaded", 2), ("interactive", 3), ("complete", 4)]


def test_get_with_oncomplete_reads_text() -> None:
    texts: list[Any] = []
    drive(
        lambda: ajax.get("/t", oncomplete=lambda req: texts.append(req.text)),
        **{"/t": lambda r: text_response(200, "hello")},
    )
    assert texts == ["hello"]


def test_get_with_an_encoding_decodes_with_it() -> None:
    def latin(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, "OK", {"Content-Type": "text/plain"}, "é".encode("latin-1"))

    texts: list[Any] = []
    drive(
        lambda: ajax.get("/l", encoding="latin1", oncomplete=lambda r: texts.append(r.text)),
        **{"/l": latin},
    )
    assert texts == ["é"]


def test_binary_mode_text_and_read_are_bytes() -> None:
    got: list[Any] = []

    def start() -> None:
        ajax.get("/b", mode="binary", oncomplete=lambda req: got.extend([req.text, req.read()]))

    drive(start, **{"/b": lambda r: HTTPResponse(200, "OK", {}, b"\x89PNG")})
    assert got == [b"\x89PNG", b"\x89PNG"]


def test_json_mode_parses() -> None:
    got: list[Any] = []
    drive(
        lambda: ajax.get(
            "/j", mode="json", oncomplete=lambda req: got.extend([req.json, req.read()])
        ),
        **{"/j": lambda r: json_response(200, {"a": 1})},
    )
    assert got == [{"a": 1}, {"a": 1}]


def test_document_mode_gives_an_xml_tree() -> None:
    got: list[Any] = []

    def xml(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, "OK", {"Content-Type": "text/xml"}, b"<a><b>x</b><b>y</b></a>")

    drive(
        lambda: ajax.get("/x", mode="document", oncomplete=lambda req: got.append(req.xml)),
        **{"/x": xml},
    )
    assert [node.firstChild.data for node in got[0].getElementsByTagName("b")] == ["x", "y"]


def test_get_data_goes_in_the_query_and_cache_false_makes_each_url_unique() -> None:
    def start() -> None:
        ajax.get("/q", data={"a": 1})
        ajax.get("/q", data={"a": 1})
        ajax.get("/q", data="b=2", cache=True)

    server = drive(start, **{"/q": lambda r: text_response(200)})
    first, second, cached = (r.url for r in server.requests)
    assert first.startswith("/q?a=1&_=") and second.startswith("/q?a=1&_=") and first != second
    assert cached == "/q?b=2"


def test_post_sends_data_as_a_form_body_with_the_brython_default_header() -> None:
    server = drive(lambda: ajax.post("/p", data={"x": "1"}), **{"/p": lambda r: text_response(201)})
    request = server.requests[0]
    assert (request.method, request.body) == ("POST", "x=1")
    assert request.headers == {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("name", ["get", "head", "options", "delete", "post", "put", "patch"])
def test_every_shortcut_sends_its_method(name: str) -> None:
    server = drive(lambda: getattr(ajax, name)("/m"), **{"/m": lambda r: text_response(200)})
    assert server.requests[0].method == name.upper()


def test_error_status_reaches_oncomplete() -> None:
    got: list[Any] = []
    drive(lambda: ajax.get("/missing", oncomplete=lambda req: got.append((req.status, req.text))))
    assert got == [(404, "no route /missing")]


def test_timeout_abandons_the_request_and_calls_ontimeout_without_arguments() -> None:
    calls: list[str] = []

    def start() -> None:
        ajax.get(
            "/hang",
            timeout=2,
            ontimeout=lambda: calls.append("timeout"),
            oncomplete=lambda req: calls.append("complete"),
        )

    server = drive(start)
    assert calls == ["timeout"]
    assert server.cancelled == server.requests


def test_set_timeout_calls_its_function() -> None:
    calls: list[str] = []

    def start() -> None:
        req = ajax.Ajax()
        req.open("GET", "/hang", True)
        req.set_timeout(1.5, lambda: calls.append("gave up"))
        req.send()

    drive(start)
    assert calls == ["gave up"]


def test_network_error_completes_with_status_zero_and_fires_onerror() -> None:
    def refused(request: HTTPRequest) -> HTTPResponse:
        raise aio.NetworkError(request.method, request.url, "refused")

    calls: list[Any] = []
    drive(
        lambda: ajax.get(
            "/down",
            onerror=lambda r: calls.append("error"),
            oncomplete=lambda r: calls.append(("complete", r.status)),
        ),
        **{"/down": refused},
    )
    assert calls == ["error", ("complete", 0)]


def test_abort_cancels_the_request() -> None:
    calls: list[str] = []

    async def main() -> None:
        req = ajax.get(
            "/hang",
            onabort=lambda r: calls.append("abort"),
            oncomplete=lambda r: calls.append("complete"),
        )
        await aio.sleep(1)
        req.abort()
        await aio.sleep(1)

    with mock_server() as server:
        run_sync(main())
    assert calls == ["abort"]
    assert len(server.cancelled) == 1


def test_file_upload_sends_the_file_as_a_form_field_and_reports_progress() -> None:
    upload = object()  # stands for a browser File
    seen: list[Any] = []

    def store(request: HTTPRequest) -> HTTPResponse:
        assert request.on_upload_progress is not None
        request.on_upload_progress(aio.Progress(4, 4))
        return text_response(201, "stored")

    def start() -> None:
        ajax.file_upload(
            "/up",
            upload,
            oncomplete=lambda req: seen.append(req.status),
            onuploadprogress=seen.append,
        )

    server = drive(start, **{"/up": store})
    assert server.requests[0].body == aio.Form((("filetosave", upload),))
    assert server.requests[0].method == "POST"
    assert seen == [(4, 4), 201]


def test_file_upload_method_and_field_name() -> None:
    server = drive(
        lambda: ajax.file_upload("/up", "file", method="PUT", field_name="doc"),
        **{"/up": lambda r: text_response(201)},
    )
    assert (server.requests[0].method, server.requests[0].body) == (
        "PUT",
        aio.Form((("doc", "file"),)),
    )


def test_blocking_requests_are_refused_with_the_reason() -> None:
    with pytest.raises(ajax.BlockingNotSupported, match="would freeze the page"):
        ajax.get("/t", blocking=True)
    with pytest.raises(ajax.BlockingNotSupported, match=r"open\('GET', '/t', False\)"):
        ajax.Ajax().open("GET", "/t", False)


def test_unknown_callback_names_are_refused_with_the_valid_ones() -> None:
    with pytest.raises(TypeError, match="oncomplete"):
        ajax.get("/t", onfinish=print)
    with pytest.raises(ValueError, match="unknown Ajax event 'done'"):
        ajax.Ajax().bind("done", print)


def test_send_before_open_says_so() -> None:
    async def main() -> None:
        ajax.Ajax().send()

    with pytest.raises(RuntimeError, match="open"):
        run_sync(main())


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        ajax.get("/t", mode="blob")


def test_an_exception_in_a_callback_reaches_the_loop_handler() -> None:
    errors: list[BaseException] = []

    def broken(req: ajax.Ajax) -> None:
        raise ValueError("callback failed")

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda loop, context: errors.append(context["exception"])
        )
        ajax.get("/t", oncomplete=broken)
        await aio.sleep(1)

    with mock_server() as server:
        server.route("/t", lambda r: text_response(200))
        run_sync(main())
    assert [str(e) for e in errors] == ["callback failed"]
