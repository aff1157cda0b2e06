"""The browser's WebSocket transport for synced stores (`framework.sync.client.SyncTransport`).

`SyncClient` connects to a path (`/api/sync`): the socket goes to the page's own host, `ws://`
from an http page and `wss://` from an https one (a full ws(s):// URL is used as it is).

Each connection lends its socket one Python proxy, the listener of the socket's `open`,
`message` and `close` events, and destroys it on `close`. A WebSocket fires `close` exactly
once, also when it never opened (a failed handshake fires `error`, then `close` with code
1006), so that event is the connection's one `on_close` and no proxy outlives its socket. The
callbacks run from the socket's events, never inside `connect`; a socket the browser refuses to
create at all (a malformed URL) reports its close on the next turn of the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import js
from pyodide.ffi import JsDoubleProxy, JsException, create_proxy

from framework.errors import report_error
from framework.sync.client import SyncConnection, retry_every_session_now, set_sync_transport

__all__ = ["BrowserSyncTransport", "WebSocketConnection", "install_sync_transport", "socket_url"]

EVENTS = ("open", "message", "close")
OPEN = 1  # WebSocket.OPEN
CLOSE_ABNORMAL = 1006  # what a browser reports for a socket that closed without a close frame
SOCKET_SCHEMES = {"http": "ws", "https": "wss"}


def install_sync_transport() -> None:
    """Synced stores connect through the browser's WebSocket, and reconnect as soon as the
    device is back online rather than when their backoff runs out."""
    set_sync_transport(BrowserSyncTransport())
    js.window.addEventListener("online", _ONLINE)


def _back_online(_event: Any) -> None:
    retry_every_session_now()


_ONLINE = create_proxy(_back_online)  # one for the page's lifetime


def socket_url(url: str, page: str) -> str:
    """`url` (a path, or a full URL) resolved against the page's address, as ws:// or wss://."""
    parts = urlsplit(urljoin(page, url))
    scheme = SOCKET_SCHEMES.get(parts.scheme, parts.scheme)
    return urlunsplit(parts._replace(scheme=scheme, fragment=""))


class BrowserSyncTransport:
    def connect(
        self,
        url: str,
        on_open: Callable[[], None],
        on_message: Callable[[str], None],
        on_close: Callable[[int, str], None],
    ) -> SyncConnection:
        address = socket_url(url, str(js.location.href))
        return WebSocketConnection(address, on_open, on_message, on_close)


class WebSocketConnection:
    """One WebSocket, reported through the three callbacks; see the module docstring."""

    def __init__(
        self,
        url: str,
        on_open: Callable[[], None],
        on_message: Callable[[str], None],
        on_close: Callable[[int, str], None],
    ) -> None:
        self.url = url
        self._on_open = on_open
        self._on_message = on_message
        self._on_close = on_close
        self._ended = False
        self._socket: Any = None
        self._listener: JsDoubleProxy[Callable[[Any], None]] | None = None
        try:
            self._socket = js.WebSocket.new(url)
        except JsException as error:  # SyntaxError: a URL no socket can open
            reason = f"cannot open a WebSocket to {url}: {error}"
            asyncio.get_event_loop().call_soon(self._end, CLOSE_ABNORMAL, reason)
            return
        self._listener = create_proxy(self._on_event)
        for kind in EVENTS:
            self._socket.addEventListener(kind, self._listener)

    def send(self, text: str) -> None:
        # The client sends only while open; a message racing a close is dropped here, as the
        # socket would drop it, and the client resends what matters on its next connection.
        if self._socket is not None and self._socket.readyState == OPEN:
            self._socket.send(text)

    def close(self) -> None:
        """Close the socket; its close event still ends the connection (and frees the proxy)."""
        if self._socket is not None and not self._ended:
            self._socket.close()

    def _on_event(self, event: Any) -> None:
        kind = str(event.type)
        if self._ended:
            return
        if kind == "close":
            self._end(int(event.code), str(event.reason))
        elif kind == "open":
            self._run(self._on_open)
        elif kind == "message" and isinstance(event.data, str):  # the protocol is text frames
            self._run(self._on_message, event.data)

    def _end(self, code: int, reason: str) -> None:
        if self._ended:
            return
        self._ended = True
        if self._listener is not None:
            for kind in EVENTS:
                self._socket.removeEventListener(kind, self._listener)
            self._listener.destroy()
            self._listener = None
        self._run(self._on_close, code, reason)

    @staticmethod
    def _run[*Ts](callback: Callable[[*Ts], None], *args: *Ts) -> None:
        try:
            callback(*args)
        except Exception as error:  # noqa: BLE001 - a failing store must not kill the socket
            report_error(error)
