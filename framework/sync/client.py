"""A page's sync session: every synced store's replica over ONE connection to the server.

The network is a seam, as for HTTP (`framework.aio.set_transport`): a `SyncTransport` opens a
connection to a URL and reports `on_open`, `on_message(text)` and `on_close(code, reason)`; the
browser layer installs one built on WebSocket at boot (framework/browser/sync_transport.py),
the tests an in-memory one (`framework.sync.memory`). Without a transport the session stays
offline and the stores keep working locally.

The session (sans timers of its own: `Timer` is a seam too, asyncio's `call_later` by default):

* on open, each replica sends its hello (with its confirmed version: a resume) and resends its
  pending mutations in order; messages from the server go to the replica of their store, and
  its replies (a hello after a gap) are sent back;
* on close, it reconnects after an exponential backoff with full jitter:
  `uniform(0, min(cap, base * 2**attempt))`; a connection that stayed open `stable` seconds
  resets the attempt count. Close code 1008 (rate limited) waits at least `policy_wait`; 1012
  (server reloaded) reconnects soon (attempt 0). `retry_now()` skips the wait (the browser
  calls it when the device comes back online: a backoff of 30 s is not worth waiting out then).
* each replica's `listener` is called after anything that may change its value or status.
"""

from __future__ import annotations

import asyncio
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from framework.sync.messages import (
    ClientMessage,
    ErrorMessage,
    ProtocolError,
    encode,
    parse_server,
)
from framework.sync.replica import Replica

__all__ = [
    "CLOSE_POLICY",
    "CLOSE_RELOAD",
    "Backoff",
    "SyncClient",
    "SyncConnection",
    "SyncTransport",
    "Timer",
    "retry_every_session_now",
    "set_sync_transport",
    "sync_transport",
]

CLOSE_POLICY = 1008  # rate limited (or another policy): back off longer
CLOSE_RELOAD = 1012  # the server restarted: reconnect soon
DEFAULT_URL = "/api/sync"


class SyncConnection(Protocol):
    def send(self, text: str) -> None: ...
    def close(self) -> None: ...


class SyncTransport(Protocol):
    def connect(
        self,
        url: str,
        on_open: Callable[[], None],
        on_message: Callable[[str], None],
        on_close: Callable[[int, str], None],
    ) -> SyncConnection:
        """Start opening a connection and return it at once. The callbacks run later, never
        from inside `connect` (as WebSocket's events do); exactly one on_close ends it, also
        when it never opened."""
        ...


# Timer(delay in seconds, callback) -> a function that cancels it
Timer = Callable[[float, Callable[[], None]], Callable[[], None]]


def asyncio_timer(delay: float, callback: Callable[[], None]) -> Callable[[], None]:
    return asyncio.get_event_loop().call_later(delay, callback).cancel


@dataclass(frozen=True)
class Backoff:
    """How long to wait before reconnecting (seconds)."""

    base: float = 0.5
    cap: float = 30.0
    stable: float = 10.0  # open this long: the next failure starts again from attempt 0
    policy_wait: float = 30.0  # after close code 1008, at least this long

    def delay(self, attempt: int, code: int, draw: Callable[[], float]) -> float:
        ceiling: float = min(self.cap, self.base * 2.0 ** min(attempt, 30))
        # full jitter: clients that failed together do not return together
        wait: float = draw() * ceiling
        return max(wait, self.policy_wait) if code == CLOSE_POLICY else wait


_transport: SyncTransport | None = None


def set_sync_transport(transport: SyncTransport | None) -> SyncTransport | None:
    """Install the transport synced stores connect through (the browser's WebSocket, installed
    at boot; an in-memory one in tests); returns the previous one. None: no network (offline)."""
    global _transport
    previous, _transport = _transport, transport
    return previous


def sync_transport() -> SyncTransport | None:
    return _transport


_sessions: weakref.WeakSet[SyncClient] = weakref.WeakSet()


def retry_every_session_now() -> None:
    """`retry_now()` on every session of the page: the device is back online."""
    for session in list(_sessions):
        session.retry_now()


class SyncClient:
    """One connection carrying the replicas of several stores; see the module docstring."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        transport: SyncTransport | None = None,
        timer: Timer = asyncio_timer,
        backoff: Backoff | None = None,
        draw: Callable[[], float] = random.random,
    ) -> None:
        self.url = url
        self._transport = transport
        self._timer = timer
        self.backoff = backoff or Backoff()
        self._draw = draw
        self._replicas: dict[str, tuple[Replica, Callable[[], None]]] = {}
        self._connection: SyncConnection | None = None
        self.open = False  # the connection is open (its hellos are sent)
        self.attempt = 0  # failed connections since the last stable one
        self.delays: list[float] = []  # every reconnect delay chosen (for tests and logs)
        self.last_close: tuple[int, str] | None = None
        self._cancel_retry: Callable[[], None] | None = None
        self._cancel_stable: Callable[[], None] | None = None
        _sessions.add(self)

    # -- stores ------------------------------------------------------------------------------------

    def add(self, replica: Replica, listener: Callable[[], None]) -> None:
        """Sync `replica` over this session; `listener()` runs after each change to it."""
        if replica.store in self._replicas:
            raise ValueError(f"store {replica.store!r} is already synced on this page")
        self._replicas[replica.store] = (replica, listener)
        if self.open:
            self.send(replica.connect())
        elif self._connection is None and self._cancel_retry is None:
            self._connect()

    def remove(self, store: str) -> None:
        entry = self._replicas.pop(store, None)
        if entry is not None:
            entry[0].disconnect()

    def send(self, messages: list[ClientMessage]) -> None:
        """Send a replica's messages now (it returns none while offline)."""
        if self._connection is None or not self.open:
            return
        for message in messages:
            self._connection.send(encode(message))

    def close(self) -> None:
        """Stop syncing: close the connection, no reconnect."""
        for cancel in (self._cancel_retry, self._cancel_stable):
            if cancel is not None:
                cancel()
        self._cancel_retry = self._cancel_stable = None
        connection, self._connection = self._connection, None
        self._went_offline()
        if connection is not None:
            connection.close()

    def retry_now(self) -> None:
        """Reconnect now if waiting to (the network is back); the backoff's count is kept, so a
        network that comes and goes does not make a client hammer the server."""
        if self._cancel_retry is None:
            return  # connected, connecting, closed for good, or nothing to sync
        self._cancel_retry()
        self._connect()

    # -- the connection ----------------------------------------------------------------------------

    def _connect(self) -> None:
        self._cancel_retry = None
        transport = self._transport or _transport
        if transport is None:
            return  # no network here: offline until a transport is installed and a store added
        holder: list[SyncConnection] = []

        def on_open() -> None:
            if holder and self._connection is holder[0]:
                self._opened()

        def on_message(text: str) -> None:
            if holder and self._connection is holder[0]:
                self._received(text)

        def on_close(code: int, reason: str) -> None:
            if holder and self._connection is holder[0]:
                self._closed(code, reason)

        self._connection = transport.connect(self.url, on_open, on_message, on_close)
        holder.append(self._connection)

    def _opened(self) -> None:
        self.open = True
        self._cancel_stable = self._timer(self.backoff.stable, self._stable)
        for replica, listener in list(self._replicas.values()):
            self.send(replica.connect())
            listener()

    def _stable(self) -> None:
        self._cancel_stable = None
        self.attempt = 0

    def _closed(self, code: int, reason: str) -> None:
        self._connection = None
        self.last_close = (code, reason)
        if self._cancel_stable is not None:
            self._cancel_stable()
            self._cancel_stable = None
        self._went_offline()
        if code == CLOSE_RELOAD:
            self.attempt = 0
        delay = self.backoff.delay(self.attempt, code, self._draw)
        self.attempt += 1
        self.delays.append(delay)
        self._cancel_retry = self._timer(delay, self._connect)

    def _went_offline(self) -> None:
        was_open, self.open = self.open, False
        for replica, listener in list(self._replicas.values()):
            replica.disconnect()
            if was_open:
                listener()

    def _received(self, text: str) -> None:
        try:
            message = parse_server(text)
        except ProtocolError as error:
            message = ErrorMessage(None, error.code, f"the server sent a bad message: {error}")
        targets = (
            list(self._replicas.values())
            if message.store is None
            else [self._replicas[message.store]]
            if message.store in self._replicas
            else []
        )
        for replica, listener in targets:
            self.send(replica.receive(message))
            listener()
