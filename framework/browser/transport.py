"""The browser's HTTP transport for `framework.aio`: fetch + AbortController, or XMLHttpRequest
when progress is wanted (fetch cannot report upload progress).

Cancelling the awaiting task aborts the request, so the server sees the connection close: that
is how `aio` timeouts and user cancellation reach the network. A failure before any HTTP answer
(refused, DNS, CORS) becomes `NetworkError`; HTTP error statuses are ordinary responses.
"""

from __future__ import annotations

import asyncio
from typing import Any

import js
from pyodide.ffi import JsException, create_proxy, to_js

from framework.aio.errors import NetworkError
from framework.aio.transport import Form, HTTPRequest, HTTPResponse, Progress


class BrowserTransport:
    async def send(self, request: HTTPRequest) -> HTTPResponse:
        if request.on_upload_progress or request.on_download_progress:
            return await send_with_xhr(request)
        return await send_with_fetch(request)


def _js_object(value: dict[str, Any]) -> Any:
    return to_js(value, dict_converter=js.Object.fromEntries)


def js_body(body: Any) -> Any:
    """What fetch/XHR accept as a body: str and browser objects as they are, bytes copied."""
    if body is None or isinstance(body, str):
        return body
    if isinstance(body, bytes):
        return to_js(body)
    if isinstance(body, Form):
        form = js.FormData.new()
        for name, value in body.fields:
            form.append(name, js.Blob.new([to_js(value)]) if isinstance(value, bytes) else value)
        return form
    return body  # FormData, Blob, File, URLSearchParams, ArrayBuffer ...


def reason_of(error: BaseException) -> str:
    """A readable message even when JavaScript rejected with "x", undefined or {}."""
    text = str(error).strip()
    return text or type(error).__name__


async def send_with_fetch(request: HTTPRequest) -> HTTPResponse:
    controller = js.AbortController.new()
    init: dict[str, Any] = {
        "method": request.method,
        "headers": request.headers,
        "signal": controller.signal,
        "cache": "default" if request.cache else "no-store",
        "credentials": "same-origin",
    }
    if request.body is not None:
        init["body"] = js_body(request.body)
    try:
        response = await js.fetch(request.url, _js_object(init))
        buffer = await response.arrayBuffer()
    except asyncio.CancelledError:
        controller.abort()  # the server sees the connection close
        raise
    except JsException as error:
        raise NetworkError(request.method, request.url, reason_of(error)) from None
    headers = js.Object.fromEntries(response.headers.entries()).to_py()
    body = buffer.to_bytes()
    return HTTPResponse(response.status, response.statusText, headers, body, response.url)


async def send_with_xhr(request: HTTPRequest) -> HTTPResponse:
    loop = asyncio.get_running_loop()
    finished: asyncio.Future[None] = loop.create_future()
    xhr = js.XMLHttpRequest.new()
    xhr.open(request.method, request.url, True)
    xhr.responseType = "arraybuffer"
    for name, value in request.headers.items():
        xhr.setRequestHeader(name, value)

    def on_event(event: Any) -> None:
        kind = event.type
        if kind == "progress":
            uploading = event.target.constructor.name == "XMLHttpRequestUpload"
            report = request.on_upload_progress if uploading else request.on_download_progress
            if report is not None:
                report(
                    Progress(
                        int(event.loaded), int(event.total) if event.lengthComputable else None
                    )
                )
        elif finished.done():
            return
        elif kind == "load":
            finished.set_result(None)
        elif kind == "error":
            finished.set_exception(NetworkError(request.method, request.url, "network error"))

    handler = create_proxy(on_event)
    listeners = [(xhr, "load"), (xhr, "error"), (xhr, "progress"), (xhr.upload, "progress")]
    for target, kind in listeners:
        target.addEventListener(kind, handler)
    try:
        xhr.send(js_body(request.body))
        await finished
    except asyncio.CancelledError:
        xhr.abort()
        raise
    finally:
        for target, kind in listeners:
            target.removeEventListener(kind, handler)
        handler.destroy()
    body = js.Uint8Array.new(xhr.response).to_bytes() if xhr.response else b""
    headers = parse_header_block(xhr.getAllResponseHeaders())
    return HTTPResponse(xhr.status, xhr.statusText, headers, body, xhr.responseURL)


def parse_header_block(block: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip()] = value.strip()
    return headers
