"""aio.ajax and its shortcuts over MockTransport: formats, bodies, errors, timeouts, retries.

No network: the transport is a Python function. Time is virtual (run_sync), so "30 s" of
default timeout or a Retry-After of 1 s cost nothing and are measured exactly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any

import pytest

from framework import aio
from framework.aio import HTTPRequest, HTTPResponse
from framework.aio.client import DEFAULT_TIMEOUT, MAX_RETRY_WAIT, backoff, parse_retry_after
from framework.aio.mock import json_response, text_response
from framework.aio.testing import run_sync
from tests.unit.aio_support import Server, mock_server


def serve(coroutine_factory: Any, **routes: Any) -> tuple[Any, Server]:
    """Run the coroutine built by coroutine_factory() with a mock server holding `routes`."""
    with mock_server() as server:
        for path, route in routes.items():
            server.route(path, route)
        return run_sync(coroutine_factory()), server


def echo(request: HTTPRequest) -> HTTPResponse:
    body = request.body
    shown = body if isinstance(body, str | type(None)) else repr(body)
    return json_response(
        200,
        {"method": request.method, "url": request.url, "headers": request.headers, "body": shown},
    )


async def timed(coroutine: Coroutine[Any, Any, Any]) -> tuple[Any, float]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        return await coroutine, loop.time() - start
    except Exception as error:  # noqa: BLE001 - the test inspects it
        return error, loop.time() - start


# -- Brython's formats -------------------------------------------------------------------------


def test_text_is_the_default_format_and_charset_is_honoured() -> None:
    def latin(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(
            200, "OK", {"Content-Type": "text/plain; charset=latin-1"}, "café".encode("latin-1")
        )

    req, _ = serve(lambda: aio.get("/latin"), **{"/latin": latin})
    assert (req.status, req.statusText, req.data) == (200, "OK", "café")
    assert req.response_headers == {"Content-Type": "text/plain; charset=latin-1"}


def test_binary_format_gives_bytes() -> None:
    def blob(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, "OK", {}, bytes(range(5)))

    req, _ = serve(lambda: aio.get("/b", format="binary"), **{"/b": blob})
    assert req.data == b"\x00\x01\x02\x03\x04"


def test_data_url_format_uses_the_content_type() -> None:
    def png(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, "OK", {"content-type": "image/png"}, b"\x89PNG")

    req, _ = serve(lambda: aio.get("/p", format="dataURL"), **{"/p": png})
    assert req.data == "data:image/png;base64,iVBORw=="


def test_json_format_parses_the_body() -> None:
    req, _ = serve(
        lambda: aio.get("/j", format="json"),
        **{"/j": lambda r: json_response(200, {"a": [1, None]})},
    )
    assert req.data == {"a": [1, None]}
    assert req.json() == {"a": [1, None]}


def test_unknown_format_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="'text', 'binary', 'dataURL', 'json'"):
        run_sync(aio.get("/x", format="blob"))  # type: ignore[arg-type]


# -- request bodies and URLs -------------------------------------------------------------------


def test_get_data_dict_becomes_the_query_string() -> None:
    req, _ = serve(
        lambda: aio.get("/echo?a=1", data={"x": 0, "y": "é"}, format="json"), **{"/echo": echo}
    )
    assert req.data["url"] == "/echo?a=1&x=0&y=%C3%A9"
    assert req.data["body"] is None


def test_post_dict_is_form_encoded_with_its_content_type() -> None:
    req, _ = serve(
        lambda: aio.post("/echo", data={"x": 0, "y": 1}, format="json"), **{"/echo": echo}
    )
    assert req.data["body"] == "x=0&y=1"
    assert req.data["headers"] == {"Content-Type": "application/x-www-form-urlencoded"}


def test_post_keeps_the_callers_content_type_whatever_its_case() -> None:
    headers = {"content-type": "text/csv"}
    req, _ = serve(
        lambda: aio.post("/echo", data={"x": 0}, headers=headers, format="json"), **{"/echo": echo}
    )
    assert req.data["headers"] == {"content-type": "text/csv"}


def test_json_argument_sends_json() -> None:
    req, _ = serve(lambda: aio.put("/echo", json={"a": "é"}, format="json"), **{"/echo": echo})
    assert json.loads(req.data["body"]) == {"a": "é"}
    assert req.data["headers"]["Content-Type"] == "application/json"
    assert req.data["method"] == "PUT"


def test_dict_with_a_file_like_value_becomes_multipart_form_fields() -> None:
    upload = object()  # stands for a browser File
    _, server = serve(
        lambda: aio.post("/echo", data={"name": "a", "file": upload}), **{"/echo": echo}
    )
    assert server.requests[0].body == aio.Form((("name", "a"), ("file", upload)))


def test_cache_flag_reaches_the_transport() -> None:
    async def main() -> None:
        await aio.get("/echo")
        await aio.get("/echo", cache=True)

    _, server = serve(main, **{"/echo": echo})
    assert [r.cache for r in server.requests] == [False, True]


@pytest.mark.parametrize(
    ("method", "expected"),
    [("get", "GET"), ("post", "POST"), ("put", "PUT"), ("patch", "PATCH"), ("delete", "DELETE")],
)
def test_shortcuts_send_their_method(method: str, expected: str) -> None:
    req, _ = serve(lambda: getattr(aio, method)("/echo", format="json"), **{"/echo": echo})
    assert req.data["method"] == expected


@pytest.mark.parametrize("method", ["", "GE T", 3])
def test_bad_method_is_refused(method: Any) -> None:
    with pytest.raises(ValueError, match="HTTP method name"):
        run_sync(aio.ajax(method, "/x"))


# -- A3/A4: error statuses ---------------------------------------------------------------------


@pytest.mark.parametrize(("status", "reason"), [(500, "Internal Server Error"), (404, "Not Found")])
def test_a3_a4_error_status_is_a_request_with_a_readable_body(status: int, reason: str) -> None:
    route = {"/e": lambda r: text_response(status, "details here", reason=reason)}
    req, _ = serve(lambda: aio.get("/e"), **route)
    assert (req.status, req.statusText, req.data, req.ok) == (status, reason, "details here", False)


def test_a3_raise_for_status_gives_http_error_with_status_reason_url_and_body() -> None:
    route = {"/e": lambda r: text_response(500, "stack trace", reason="Internal Server Error")}
    error, _ = serve(lambda: timed(aio.get("/e", raise_for_status=True)), **route)
    error = error[0]
    assert isinstance(error, aio.HTTPError) and isinstance(error, OSError)
    assert str(error) == "500 Server Error: Internal Server Error for url: /e"
    assert (error.status, error.reason, error.url, error.body) == (
        500,
        "Internal Server Error",
        "/e",
        b"stack trace",
    )
    assert error.text == "stack trace"


def test_a4_client_error_wording() -> None:
    error, _ = serve(lambda: timed(aio.get("/missing", raise_for_status=True)))
    assert str(error[0]) == "404 Client Error: Not Found for url: /missing"


def test_json_format_on_an_error_page_keeps_the_text() -> None:
    route = {"/e": lambda r: text_response(502, "<html>bad gateway</html>")}
    req, _ = serve(lambda: aio.get("/e", format="json"), **route)
    assert req.data == "<html>bad gateway</html>"


# -- A8/A9: bodies -----------------------------------------------------------------------------


def test_a8_invalid_json_raises_a_json_decode_error_quoting_the_body() -> None:
    route = {"/j": lambda r: HTTPResponse(200, "OK", {}, b'{"broken": tru')}
    result, _ = serve(lambda: timed(aio.get("/j", format="json")), **route)
    error = result[0]
    assert isinstance(error, aio.ResponseJSONError)
    assert isinstance(error, json.JSONDecodeError) and isinstance(error, ValueError)
    assert '{"broken": tru' in str(error) and "/j" in str(error)


def test_a8_snippet_of_a_long_body_is_cut() -> None:
    route = {"/j": lambda r: HTTPResponse(200, "OK", {}, b"x" * 10_000)}
    result, _ = serve(lambda: timed(aio.get("/j", format="json")), **route)
    message = str(result[0])
    assert len(message) < 200 and "x" * 81 not in message and "'..." in message


def test_a9_the_body_can_be_read_any_number_of_times() -> None:
    route = {"/j": lambda r: json_response(200, [1, 2])}
    req, _ = serve(lambda: aio.get("/j"), **route)
    assert req.data == req.text == "[1, 2]"
    assert req.json() == req.json() == [1, 2]
    assert req.content == b"[1, 2]"


# -- A1/A2/A5/A6: timeouts, network errors, cancellation ---------------------------------------


def test_a1_timeout_raises_request_timeout_and_cancels_the_transport() -> None:
    (error, elapsed), server = serve(lambda: timed(aio.get("/hang", timeout=2)))
    assert isinstance(error, aio.RequestTimeout) and isinstance(error, TimeoutError)
    assert elapsed == 2
    assert "GET /hang got no complete answer within 2 s" in str(error)
    assert server.cancelled == server.requests  # the request was aborted


def test_a2_without_timeout_the_documented_default_applies() -> None:
    (error, elapsed), _ = serve(lambda: timed(aio.get("/hang")))
    assert isinstance(error, aio.RequestTimeout)
    assert elapsed == DEFAULT_TIMEOUT == 30


def test_timeout_none_means_no_limit() -> None:
    async def slow(request: HTTPRequest) -> HTTPResponse:
        await asyncio.sleep(3600)
        return text_response(200, "late")

    (req, elapsed), _ = serve(lambda: timed(aio.get("/slow", timeout=None)), **{"/slow": slow})
    assert (req.data, elapsed) == ("late", 3600)


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_bad_timeout_is_refused(timeout: Any) -> None:
    with pytest.raises(ValueError, match="positive number of seconds, or None"):
        run_sync(aio.get("/x", timeout=timeout))


def test_a5_network_error_is_an_os_error_distinct_from_timeout() -> None:
    def refused(request: HTTPRequest) -> HTTPResponse:
        raise aio.NetworkError(request.method, request.url, "connection refused")

    (error, _), _ = serve(lambda: timed(aio.get("/down")), **{"/down": refused})
    assert isinstance(error, aio.NetworkError) and isinstance(error, OSError)
    assert not isinstance(error, TimeoutError)
    assert str(error) == "GET /down failed before any HTTP answer: connection refused"


def test_a6_cancelling_the_caller_cancels_the_transport_and_raises_cancelled() -> None:
    async def main() -> str:
        task = aio.run(aio.get("/hang", timeout=None))
        await aio.sleep(1)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return "cancelled"
        return "finished"

    result, server = serve(main)
    assert result == "cancelled"
    assert len(server.cancelled) == 1


def test_no_transport_installed_says_what_to_do() -> None:
    previous = aio.set_transport(None)
    try:
        with pytest.raises(RuntimeError, match="set_transport"):
            run_sync(aio.get("/x"))
    finally:
        aio.set_transport(previous)


# -- A7: retries -------------------------------------------------------------------------------


def flaky(fails: int, status: int = 503, retry_after: str | None = "1") -> Any:
    """A route answering `status` for the first `fails` calls, then 200."""
    calls: list[float] = []

    def route(request: HTTPRequest) -> HTTPResponse:
        calls.append(asyncio.get_running_loop().time())
        if len(calls) <= fails:
            headers = {"Retry-After": retry_after} if retry_after else {}
            return text_response(status, "busy", headers)
        return text_response(200, f"ok after {len(calls)}")

    route.calls = calls  # type: ignore[attr-defined]
    return route


def test_a7_get_is_retried_after_retry_after_seconds() -> None:
    route = flaky(2)
    req, _ = serve(lambda: aio.get("/f", retries=2), **{"/f": route})
    assert (req.status, req.data, req.attempts) == (200, "ok after 3", 3)
    assert route.calls == [0, 1, 2]  # Retry-After: 1 honoured between attempts


def test_a7_when_retries_run_out_the_last_answer_reports_the_attempts() -> None:
    route = flaky(5)
    req, _ = serve(lambda: aio.get("/f", retries=2), **{"/f": route})
    assert (req.status, req.attempts) == (503, 3)
    error, _ = serve(
        lambda: timed(aio.get("/f", retries=1, raise_for_status=True)), **{"/f": flaky(5)}
    )
    assert str(error[0]).endswith("for url: /f after 2 attempts")


def test_a7_post_is_not_retried_unless_opted_in() -> None:
    route = flaky(1)
    req, _ = serve(lambda: aio.post("/f", retries=2), **{"/f": route})
    assert (req.status, req.attempts) == (503, 1)
    req, _ = serve(lambda: aio.post("/f", retries=2, retry_non_idempotent=True), **{"/f": flaky(1)})
    assert (req.status, req.attempts) == (200, 2)


def test_a7_without_retry_after_the_backoff_doubles_and_is_capped() -> None:
    route = flaky(3, retry_after=None)
    serve(lambda: aio.get("/f", retries=3), **{"/f": route})
    waits = [b - a for a, b in zip(route.calls, route.calls[1:], strict=False)]
    assert waits == [0.5, 1.0, 2.0]
    assert backoff(20) == MAX_RETRY_WAIT


def test_a7_a_huge_retry_after_is_capped() -> None:
    route = flaky(1, retry_after="86400")
    serve(lambda: aio.get("/f", retries=1), **{"/f": route})
    assert route.calls[1] - route.calls[0] == MAX_RETRY_WAIT


def test_a7_timeouts_and_network_errors_of_idempotent_requests_are_retried() -> None:
    calls: list[int] = []

    async def sometimes(request: HTTPRequest) -> HTTPResponse:
        calls.append(1)
        if len(calls) == 1:
            await asyncio.get_running_loop().create_future()  # hangs: times out
        if len(calls) == 2:
            raise aio.NetworkError("GET", request.url, "reset")
        return text_response(200, "third time")

    req, _ = serve(lambda: aio.get("/s", retries=2, timeout=5), **{"/s": sometimes})
    assert (req.data, req.attempts) == ("third time", 3)


def test_a7_exhausted_timeouts_report_the_attempts() -> None:
    (error, elapsed), _ = serve(lambda: timed(aio.get("/hang", retries=1, timeout=2)))
    assert isinstance(error, aio.RequestTimeout) and error.attempts == 2
    assert elapsed == 2 + 0.5 + 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1.0),
        ("120", 120.0),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_parsing(value: str | None, expected: float | None) -> None:
    now = 1792567680.0  # 2026-10-21 07:28:00 UTC
    assert parse_retry_after(value, now=now) == expected


# -- progress ----------------------------------------------------------------------------------


def test_progress_callbacks_reach_the_transport() -> None:
    def report(request: HTTPRequest) -> HTTPResponse:
        assert request.on_upload_progress is not None
        request.on_upload_progress(aio.Progress(5, 10))
        request.on_upload_progress(aio.Progress(10, 10))
        return text_response(201, "stored")

    seen: list[aio.Progress] = []
    req, _ = serve(
        lambda: aio.post("/u", data=b"0123456789", on_upload_progress=seen.append), **{"/u": report}
    )
    assert req.status == 201
    assert seen == [(5, 10), (10, 10)]
    assert [p.fraction for p in seen] == [0.5, 1.0]
    assert aio.Progress(3, None).fraction is None


# -- A15: many requests at once ----------------------------------------------------------------


def test_a15_hanging_requests_time_out_independently_of_the_others() -> None:
    async def quick(request: HTTPRequest) -> HTTPResponse:
        await asyncio.sleep(0.1)
        return text_response(200, "ok")

    async def main() -> list[Any]:
        fast = [aio.get("/quick", timeout=3) for _ in range(40)]
        slow = [aio.get("/hang", timeout=3) for _ in range(10)]
        return await aio.gather(*fast, *slow, return_exceptions=True)

    (results, elapsed), server = serve(lambda: timed(main()), **{"/quick": quick})
    assert sum(getattr(r, "status", None) == 200 for r in results) == 40
    assert sum(isinstance(r, aio.RequestTimeout) for r in results) == 10
    assert elapsed == 3 and len(server.cancelled) == 10


def test_a15_a_shared_limit_caps_requests_in_flight() -> None:
    in_flight: list[int] = [0, 0]  # now, most

    async def counted(request: HTTPRequest) -> HTTPResponse:
        in_flight[0] += 1
        in_flight[1] = max(in_flight)
        await asyncio.sleep(1)
        in_flight[0] -= 1
        return text_response(200, "ok")

    async def main() -> list[Any]:
        limit = aio.Semaphore(3)
        return await aio.gather(*(aio.get("/c", limit=limit, timeout=2) for _ in range(10)))

    (results, elapsed), _ = serve(lambda: timed(main()), **{"/c": counted})
    assert [r.status for r in results] == [200] * 10
    assert in_flight[1] == 3
    assert elapsed == 4  # ceil(10 / 3) rounds of 1 s; queueing did not count as timeout
