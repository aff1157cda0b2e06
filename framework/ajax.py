"""`framework.ajax`: Brython's callback API for HTTP (`Ajax`, `get`, `post`, `file_upload` ...).

The same transport as `framework.aio` carries the requests; this module only adds Brython's
shape: an object that moves through XMLHttpRequest's ready states (uninitialized, loading,
loaded, interactive, complete) and calls the functions bound to them with itself. Requests are
always asynchronous: `blocking=True` raises `BlockingNotSupported` (it would freeze the page).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal
from xml.dom import minidom

from framework.aio.body import encode_body, with_query
from framework.aio.client import DEFAULT_TIMEOUT
from framework.aio.errors import BlockingNotSupported, NetworkError
from framework.aio.request import decode_text
from framework.aio.running import run
from framework.aio.transport import Form, HTTPRequest, HTTPResponse, Progress, get_transport

READY_STATES = ("uninitialized", "loading", "loaded", "interactive", "complete")
OTHER_EVENTS = ("timeout", "error", "abort", "progress", "uploadprogress")
EVENTS = READY_STATES + OTHER_EVENTS
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
Mode = Literal["text", "binary", "json", "document"]
MODES: tuple[Mode, ...] = ("text", "binary", "json", "document")


class Ajax:
    """One request, configured with `open`/`set_header`/`set_timeout`, started with `send`."""

    def __init__(self) -> None:
        self.readyState = 0
        self.status = 0
        self.statusText = ""
        self.response_headers: dict[str, str] = {}
        self.mode: Mode = "text"
        self.encoding: str | None = None
        self.url = ""
        self.method = ""
        self._content = b""
        self._content_type: str | None = None
        self._headers: dict[str, str] = {}
        self._callbacks: dict[str, list[Callable[..., Any]]] = {}
        self._timeout: float = DEFAULT_TIMEOUT
        self._on_timeout: Callable[[], Any] | None = None
        self._task: asyncio.Future[None] | None = None

    # -- configuring ---------------------------------------------------------------------------

    def bind(self, evt: str, function: Callable[..., Any]) -> Ajax:
        if evt not in EVENTS:
            raise ValueError(f"unknown Ajax event {evt!r}; use one of: {', '.join(EVENTS)}")
        if not callable(function):
            raise TypeError(f"bind({evt!r}, ...) needs a function, not {function!r}")
        self._callbacks.setdefault(evt, []).append(function)
        return self

    def open(self, method: str, url: str, async_: bool = True) -> None:
        if not async_:
            raise BlockingNotSupported(f"Ajax.open({method!r}, {url!r}, False)")
        self.method, self.url = method.upper(), url
        self._set_state(1)

    def set_header(self, name: str, value: str) -> None:
        self._headers[name] = str(value)

    def setRequestHeader(self, name: str, value: str) -> None:
        self.set_header(name, value)

    def set_timeout(self, duration: float, function: Callable[[], Any] | None = None) -> None:
        """Abandon the request after `duration` seconds and call `function()`."""
        if isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0:
            raise ValueError(f"set_timeout needs a positive number of seconds, not {duration!r}")
        self._timeout, self._on_timeout = float(duration), function

    # -- running -------------------------------------------------------------------------------

    def send(self, data: Any = None) -> None:
        if not self.method:
            raise RuntimeError("call open(method, url) before send()")
        headers = dict(self._headers)
        body = encode_body(data, headers) if self.method in BODY_METHODS else None
        request = HTTPRequest(self.method, self.url, headers, body, cache=True)
        if "uploadprogress" in self._callbacks:
            request.on_upload_progress = lambda p: self._fire("uploadprogress", p)
        if "progress" in self._callbacks:
            request.on_download_progress = lambda p: self._fire("progress", p)
        self._task = run(self._exchange(request))

    def abort(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self._fire("abort")

    async def _exchange(self, request: HTTPRequest) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                response = await get_transport().send(request)
        except TimeoutError:
            if self._on_timeout is not None:
                self._on_timeout()
            self._fire("timeout")
            return
        except NetworkError:
            self._arrived(HTTPResponse(0, "", {}, b"", request.url))
            self._fire("error")
            self._set_state(4)
            return
        self._arrived(response)
        for state in (2, 3, 4):
            self._set_state(state)

    def _arrived(self, response: HTTPResponse) -> None:
        self.status, self.statusText = response.status, response.reason
        self.response_headers = dict(response.headers)
        self._content, self._content_type = response.body, response.header("content-type")

    def _set_state(self, state: int) -> None:
        self.readyState = state
        for function in self._callbacks.get(READY_STATES[state], ()):
            function(self)

    def _fire(self, evt: str, *args: Any) -> None:
        for function in self._callbacks.get(evt, ()):
            if evt == "timeout":
                function()  # Brython: the timeout function takes no argument
            else:
                function(*(args or (self,)))

    # -- reading the answer --------------------------------------------------------------------

    @property
    def responseText(self) -> str:
        return decode_text(self._content, self._content_type, self.encoding)

    @property
    def text(self) -> str | bytes:
        """The body: bytes in "binary" mode, else str (decoded with `encoding`)."""
        return self._content if self.mode == "binary" else self.responseText

    @property
    def json(self) -> Any:
        return json.loads(self.responseText)

    @property
    def xml(self) -> minidom.Document:
        # The app asked its own server for this document; expat refuses entity expansion bombs.
        return minidom.parseString(self._content)  # noqa: S318

    def read(self) -> Any:
        """The body in the request's mode: str, bytes, a JSON value or an XML document."""
        if self.mode == "json":
            return self.json
        if self.mode == "document":
            return self.xml
        return self.text


def _request(
    method: str,
    url: str,
    *,
    blocking: bool,
    headers: Mapping[str, str] | None,
    mode: Mode,
    encoding: str | None,
    timeout: float | None,
    cache: bool,
    data: Any,
    callbacks: dict[str, Callable[..., Any]],
) -> Ajax:
    if blocking:
        raise BlockingNotSupported(f"ajax.{method.lower()}({url!r}, blocking=True)")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}, not {mode!r}")
    req = Ajax()
    req.mode, req.encoding = mode, encoding
    _bind_callbacks(req, callbacks)
    if method not in BODY_METHODS and data:
        url = with_query(url, data)
    if not cache and method == "GET":
        url = with_query(url, {"_": _cache_buster()})
    req.open(method, url, True)
    for name, value in (headers or {}).items():
        req.set_header(name, value)
    if timeout is not None:
        req.set_timeout(timeout)
    req.send(data if method in BODY_METHODS else None)
    return req


def _bind_callbacks(req: Ajax, callbacks: dict[str, Callable[..., Any]]) -> None:
    for key, function in callbacks.items():
        if not key.startswith("on") or key[2:] not in EVENTS:
            names = ", ".join("on" + e for e in EVENTS)
            raise TypeError(f"unknown argument {key!r}; callbacks are named: {names}")
        req.bind(key[2:], function)


_requests_sent = itertools.count()


def _cache_buster() -> str:
    """A query value no earlier request used, so the browser cache cannot answer (as Brython)."""
    return f"{time.time_ns()}{next(_requests_sent)}"


def _without_body(method: str) -> Callable[..., Ajax]:
    def shortcut(  # noqa: PLR0917 - Brython's positional signature
        url: str,
        blocking: bool = False,
        headers: Mapping[str, str] | None = None,
        mode: Mode = "text",
        encoding: str | None = "utf-8",
        timeout: float | None = None,
        cache: bool = False,
        data: Any = "",
        **callbacks: Callable[..., Any],
    ) -> Ajax:
        return _request(
            method,
            url,
            blocking=blocking,
            headers=headers,
            mode=mode,
            encoding=encoding,
            timeout=timeout,
            cache=cache,
            data=data,
            callbacks=callbacks,
        )

    shortcut.__name__ = shortcut.__qualname__ = method.lower()
    shortcut.__doc__ = f"Send a {method} request; callbacks are on<event>=function."
    return shortcut


def _with_body(method: str) -> Callable[..., Ajax]:
    def shortcut(  # noqa: PLR0917 - Brython's positional signature
        url: str,
        blocking: bool = False,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        data: Any = "",
        mode: Mode = "text",
        encoding: str | None = "utf-8",
        **callbacks: Callable[..., Any],
    ) -> Ajax:
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return _request(
            method,
            url,
            blocking=blocking,
            headers=all_headers,
            mode=mode,
            encoding=encoding,
            timeout=timeout,
            cache=True,
            data=data,
            callbacks=callbacks,
        )

    shortcut.__name__ = shortcut.__qualname__ = method.lower()
    shortcut.__doc__ = f"Send a {method} request with data as its body; callbacks: on<event>."
    return shortcut


get = _without_body("GET")
head = _without_body("HEAD")
options = _without_body("OPTIONS")
delete = _without_body("DELETE")
connect = _without_body("CONNECT")
trace = _without_body("TRACE")
post = _with_body("POST")
put = _with_body("PUT")
patch = _with_body("PATCH")


def file_upload(  # noqa: PLR0917 - Brython's positional signature
    url: str,
    file: Any,
    method: str = "POST",
    field_name: str = "filetosave",
    timeout: float | None = None,
    headers: Mapping[str, str] | None = None,
    **callbacks: Callable[..., Any],
) -> Ajax:
    """Send `file` as the multipart field `field_name`; `onuploadprogress` gets `Progress`."""
    req = Ajax()
    _bind_callbacks(req, callbacks)
    req.open(method, url, True)
    for name, value in (headers or {}).items():
        req.set_header(name, value)
    if timeout is not None:
        req.set_timeout(timeout)
    req.send(Form(((field_name, file),)))
    return req


__all__ = [
    "EVENTS",
    "Ajax",
    "BlockingNotSupported",
    "Progress",
    "connect",
    "delete",
    "file_upload",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "trace",
]
