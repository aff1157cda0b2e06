"""`aio.ajax` and its shortcuts: Brython's signature, plus a finite timeout, retries and progress.

The request runs in the caller's task, so cancelling that task (or the timeout, which is a
cancellation) cancels the transport's `send`, which aborts the request on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import Any

from framework.aio.body import encode_body, encode_json, with_query
from framework.aio.errors import NetworkError, RequestTimeout
from framework.aio.request import FORMATS, Format, Request
from framework.aio.transport import (
    HTTPRequest,
    HTTPResponse,
    ProgressCallback,
    Transport,
    get_transport,
)

DEFAULT_TIMEOUT = 30.0
"""Seconds a request may take when the caller gives no `timeout` (fetch itself has none)."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_START = 0.5
"""Seconds before the first retry when the server gives no Retry-After; doubles each time."""
MAX_RETRY_WAIT = 30.0
"""No wait between attempts is longer than this, whatever Retry-After asks for."""
QUERY_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


class _DefaultTimeout:
    def __repr__(self) -> str:
        return f"DEFAULT_TIMEOUT ({DEFAULT_TIMEOUT:g} s)"


DEFAULT: Any = _DefaultTimeout()
_UNLIMITED = contextlib.nullcontext()
_NO_JSON: Any = object()


async def ajax(  # noqa: PLR0917 - Brython's positional signature
    method: str,
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    cache: bool = False,
    timeout: float | None = DEFAULT,
    *,
    json: Any = _NO_JSON,
    raise_for_status: bool = False,
    retries: int = 0,
    retry_non_idempotent: bool = False,
    on_upload_progress: ProgressCallback | None = None,
    on_download_progress: ProgressCallback | None = None,
    limit: asyncio.Semaphore | None = None,
) -> Request:
    """Send an HTTP request and return the finished `Request` (4xx/5xx too, unless
    `raise_for_status`). `timeout` bounds each attempt; `timeout=None` means no limit.
    `limit`, a semaphore shared by several requests, caps how many run at once; the time spent
    waiting for it does not count against the timeout."""
    method = _check_method(method)
    _check_format(format)
    seconds = _check_timeout(timeout)
    _check_retries(retries)
    request = _build(method, url, headers=headers, data=data, json=json, cache=cache)
    request.on_upload_progress = on_upload_progress
    request.on_download_progress = on_download_progress
    retry = retries if (method in IDEMPOTENT_METHODS or retry_non_idempotent) else 0
    async with limit or _UNLIMITED:
        response, attempts = await _send_with_retries(get_transport(), request, seconds, retry)
    result = Request(method, response, format, attempts)
    if raise_for_status:
        result.raise_for_status()
    return result


async def get(  # noqa: PLR0917 - Brython's positional signature
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    cache: bool = False,
    timeout: float | None = DEFAULT,
    **options: Any,
) -> Request:
    return await ajax("GET", url, format, headers, data, cache, timeout, **options)


async def post(
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    timeout: float | None = DEFAULT,
    **options: Any,
) -> Request:
    return await ajax("POST", url, format, headers, data, False, timeout, **options)


async def put(
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    timeout: float | None = DEFAULT,
    **options: Any,
) -> Request:
    return await ajax("PUT", url, format, headers, data, False, timeout, **options)


async def patch(
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    timeout: float | None = DEFAULT,
    **options: Any,
) -> Request:
    return await ajax("PATCH", url, format, headers, data, False, timeout, **options)


async def delete(
    url: str,
    format: Format = "text",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    timeout: float | None = DEFAULT,
    **options: Any,
) -> Request:
    return await ajax("DELETE", url, format, headers, data, False, timeout, **options)


def _build(
    method: str, url: str, *, headers: Mapping[str, str] | None, data: Any, json: Any, cache: bool
) -> HTTPRequest:
    if not isinstance(url, str) or not url:
        raise TypeError(f"url must be a non-empty str, not {url!r}")
    all_headers = dict(headers or {})
    if json is not _NO_JSON:
        if data is not None:
            raise TypeError("pass either data= or json=, not both")
        return HTTPRequest(method, url, all_headers, encode_json(json, all_headers), cache)
    if data is not None and method in QUERY_METHODS:
        return HTTPRequest(method, with_query(url, data), all_headers, None, cache)
    return HTTPRequest(method, url, all_headers, encode_body(data, all_headers), cache)


async def _send_with_retries(
    transport: Transport, request: HTTPRequest, seconds: float | None, retries: int
) -> tuple[HTTPResponse, int]:
    attempt = 1
    while True:
        try:
            response = await _send_once(transport, request, seconds)
        except (NetworkError, RequestTimeout) as error:
            if attempt > retries:
                error.attempts = attempt
                raise
            await asyncio.sleep(backoff(attempt))
        else:
            if response.status not in RETRY_STATUSES or attempt > retries:
                return response, attempt
            await asyncio.sleep(retry_wait(response, attempt))
        attempt += 1


async def _send_once(
    transport: Transport, request: HTTPRequest, seconds: float | None
) -> HTTPResponse:
    try:
        async with asyncio.timeout(seconds):
            response = await transport.send(request)
    except TimeoutError:
        raise RequestTimeout(request.method, request.url, seconds or 0) from None
    if not response.url:
        response.url = request.url
    return response


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): 0.5, 1, 2 ... capped."""
    return min(BACKOFF_START * 2.0 ** (attempt - 1), MAX_RETRY_WAIT)


def retry_wait(response: HTTPResponse, attempt: int) -> float:
    """Retry-After (seconds or an HTTP date) when the server sent it, else the backoff."""
    asked = parse_retry_after(response.header("retry-after"))
    return min(asked, MAX_RETRY_WAIT) if asked is not None else backoff(attempt)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except TypeError, ValueError:
        return None  # unreadable: fall back to our own backoff
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _check_method(method: Any) -> str:
    if not isinstance(method, str) or not method.strip().isalpha():
        raise ValueError(f"method must be an HTTP method name such as 'GET', not {method!r}")
    return method.strip().upper()


def _check_format(fmt: Any) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}, not {fmt!r}")


def _check_timeout(timeout: Any) -> float | None:
    if timeout is DEFAULT:
        return DEFAULT_TIMEOUT
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError(
            f"timeout must be a positive number of seconds, or None for no limit; not {timeout!r}"
        )
    return float(timeout)


def _check_retries(retries: Any) -> None:
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an int >= 0, not {retries!r}")
