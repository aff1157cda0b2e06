"""One client's WebSocket to the sync server: the messages it sends, in order, and a bounded
queue of what goes back to it.

Each message is handled whole before the next is read, so a client's pushes are applied, saved
and answered in the order it sent them. What goes out is queued and written by a task of its
own: a broadcast never waits for a slow client. The queue is bounded in bytes; a client that
lets it fill up is disconnected (close code 1013, "try again later") instead of being buffered
without bound, and resumes from its version when it reconnects.

Changes queued one after another for the same store go out as one `changes` message: a server
that applies mutations faster than it writes to its sockets sends each client one message per
turn of its loop, not one per change (200 clients x 1,000 changes a second would otherwise be
200,000 writes a second, each a system call). Nothing is reordered: an ack or an error queued
between two changes ends the message, so a client still learns of its ack after the change.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import deque
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.websockets import WebSocket, WebSocketDisconnect

from framework.server.guard import TokenBucket
from framework.sync import ErrorCode, ErrorMessage, Hello, ProtocolError, Push, encode, parse_client
from framework.sync.messages import encode_changes

if TYPE_CHECKING:
    from framework.server.sync import StoreCopy, SyncServer

__all__ = ["CLOSE_POLICY", "CLOSE_SLOW", "Connection", "QueuedChange"]

CLOSE_POLICY = 1008  # the client broke a rule (a flood of mutations)
CLOSE_SLOW = 1013  # try again later: the client did not keep up
CLOSE_RESTART = 1012  # the server restarts (a reload of server.py): reconnect
CLOSE_ERROR = 1011  # the server failed (a save did not go through): reconnect and resend
# Pushes of one connection being saved while it reads the next message: a connection that waits
# for each save before reading again leaves its socket unread meanwhile (uvicorn reads a
# socket only when the app asks for a message), keepalive pongs included, and was closed with
# 1011 "keepalive ping timeout" under load (benchmarks/RESULTS.md, 2026-12-06).
MAX_PUSHES_IN_FLIGHT = 16
# A character takes at most 4 bytes in UTF-8: changes joined within this share of the message
# limit never make a message the client refuses.
_UTF8_MAX = 4


@dataclass(frozen=True)
class QueuedChange:
    """One change waiting to be sent, encoded once for every client (`encode_change`)."""

    store: str
    version: int
    text: str


class Connection:
    """A connected client tab: its identity, the stores it said hello to, its outgoing queue."""

    def __init__(self, websocket: WebSocket, identity: str, server: SyncServer) -> None:
        self.websocket, self.identity, self.server = websocket, identity, server
        limits = server.limits
        self.bucket = TokenBucket(limits.mutations_per_second, limits.mutation_burst)
        self.subscriptions: dict[str, tuple[StoreCopy, str]] = {}  # store -> (copy, client key)
        self._queue: deque[str | QueuedChange] = deque()
        self._queued_bytes = 0
        self._ready = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._handling = False  # a message is being handled: it is finished, not cut short
        self._in_flight: set[asyncio.Task[None]] = set()  # pushes applied, being saved
        self.close_reason: tuple[int, str] | None = None
        self._flush = False

    # -- running -----------------------------------------------------------------------------------

    async def run(self) -> None:
        """Serve the connection until the client leaves or is disconnected."""
        sender = asyncio.create_task(self._send_forever())
        self._reader = asyncio.create_task(self._read())
        limits = self.server.limits
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            if self.close_reason is not None and self._flush:
                # what was queued before the reason (its error message) goes out first
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._drained(), limits.close_timeout)
        finally:
            sender.cancel()
            self._reader.cancel()
            for copy, _ in self.subscriptions.values():
                copy.unsubscribe(self)
            self.subscriptions.clear()

    async def close(self) -> None:
        """Close the socket with the reason of `disconnect`, if it was called."""
        if self.close_reason is not None:
            code, reason = self.close_reason
            # A client that does not read may never take the close frame: bounded wait.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.websocket.close(code, reason), self.server.limits.close_timeout
                )

    def disconnect(self, code: int, reason: str, *, flush: bool = False) -> None:
        """Stop serving this client and close its socket with `reason` (at most 123 bytes),
        after sending what is queued if `flush`."""
        if self.close_reason is None:
            self.close_reason, self._flush = (code, reason), flush
        # A push cut short while its save runs would be applied and saved but never broadcast:
        # the reader stops after the message it handles.
        if self._reader is not None and not self._handling:
            self._reader.cancel()

    async def _drained(self) -> None:
        while self._queue:
            await asyncio.sleep(0.005)

    def send(self, text: str) -> None:
        """Queue a message; a client whose queue is full is disconnected rather than buffered."""
        self._enqueue(text, len(text))

    def send_changes(self, changes: Sequence[QueuedChange]) -> None:
        """Queue changes of a store, to go out joined with the changes queued next to them."""
        for change in changes:
            self._enqueue(change, len(change.text))

    def _enqueue(self, entry: str | QueuedChange, size: int) -> None:
        if self.close_reason is not None:
            return
        limit = self.server.limits.send_queue_bytes
        if self._queued_bytes + size > limit and self._queue:
            self.disconnect(
                CLOSE_SLOW, f"too slow: over {limit:,} bytes waiting to be sent; reconnect"
            )
            return
        self._queue.append(entry)
        self._queued_bytes += size
        self._ready.set()

    async def _send_forever(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self._queue:
                text, taken = self._next_message()
                await self.websocket.send_text(text)
                for _ in range(taken):  # what was queued meanwhile is behind these
                    entry = self._queue.popleft()
                    self._queued_bytes -= len(entry if isinstance(entry, str) else entry.text)

    def _next_message(self) -> tuple[str, int]:
        """The next message to write and how many queued entries it carries: a message as
        queued, or the run of consecutive changes of one store at the head, joined."""
        head = self._queue[0]
        if isinstance(head, str):
            return head, 1
        budget = self.server.limits.protocol.max_message_bytes // _UTF8_MAX
        run: list[str] = []
        version, used = head.version - 1, 0
        for entry in self._queue:
            if (
                not isinstance(entry, QueuedChange)
                or entry.store != head.store
                or entry.version != version + 1  # a client refuses a gap within a message
                or (run and used + len(entry.text) + 1 > budget)
            ):
                break
            run.append(entry.text)
            version, used = entry.version, used + len(entry.text) + 1
        return encode_changes(head.store, run), len(run)

    async def _read(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while self.close_reason is None:
                message = await self.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                data = message.get("text")
                if data is None:
                    data = message.get("bytes") or b""
                self._handling = True
                try:
                    await self.handle(data)
                finally:
                    self._handling = False

    # -- what the client sends ---------------------------------------------------------------------

    async def handle(self, data: str | bytes) -> None:
        try:
            message = parse_client(data, self.server.limits.protocol)
        except ProtocolError as error:
            if self._within_rate(None, 1):
                self._error(None, error.code, str(error))
            return
        # a push costs its mutations, any other message one: a flood of hellos (each answered
        # with a snapshot) or of garbage is refused like a flood of mutations
        cost = len(message.mutations) if isinstance(message, Push) else 1
        if not self._within_rate(message.store, cost):
            return
        if isinstance(message, Hello):
            # its answer (the ack above all) says what is processed: only once it is saved
            await self._settled()
            await self._hello(message)
        else:
            await self._push(message)

    async def _settled(self) -> None:
        while self._in_flight:
            await asyncio.wait(set(self._in_flight))

    async def _finish_in_flight(self, finishing: Awaitable[None]) -> None:
        """Let a push's save and answer run while the next message is read (at most
        MAX_PUSHES_IN_FLIGHT at once)."""
        while len(self._in_flight) >= MAX_PUSHES_IN_FLIGHT:
            await asyncio.wait(set(self._in_flight), return_when=asyncio.FIRST_COMPLETED)
        task = asyncio.ensure_future(self._finished(finishing))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _finished(self, finishing: Awaitable[None]) -> None:
        try:
            await finishing
        except Exception as error:  # noqa: BLE001 - the client resends what was not acked
            print(f"framework: sync: a push failed: {error!r}", file=sys.stderr, flush=True)
            self.disconnect(CLOSE_ERROR, "sync: the server could not save; reconnect")

    def _within_rate(self, store: str | None, cost: int) -> bool:
        if self.bucket.take(cost):
            return True
        limits = self.server.limits
        self._error(
            store,
            ErrorCode.RATE_LIMITED,
            f"over {limits.mutations_per_second:g} mutations per second (bursts of "
            f"{limits.mutation_burst}); nothing of this message was applied: reconnect and "
            "send it again",
        )
        self.disconnect(CLOSE_POLICY, "too many mutations per second; reconnect later", flush=True)
        return False

    async def _hello(self, hello: Hello) -> None:
        store = self.server.stores.get(hello.store)
        if store is None:
            known = ", ".join(sorted(self.server.stores)) or "none"
            self._error(
                hello.store,
                ErrorCode.UNKNOWN_STORE,
                f"no synced store {hello.store!r} on this server (it has: {known}); declare it "
                "in server.py with sync.store(...)",
            )
            return
        if not self.server.authorize(self.identity, hello.store, "read"):
            self._error(
                hello.store, ErrorCode.FORBIDDEN, f"you may not read the store {hello.store!r}"
            )
            return
        most = self.server.limits.stores_per_connection
        if hello.store not in self.subscriptions and len(self.subscriptions) >= most:
            self._error(
                hello.store,
                ErrorCode.TOO_MANY_STORES,
                f"a connection may sync at most {most} stores; this one has "
                f"{len(self.subscriptions)}",
            )
            return
        copy = store.copy_for(self.identity)
        if self.server.log is not None:
            # answer with what the other processes wrote too (Redis unreachable: with what
            # this process has; the client resumes from it later)
            with contextlib.suppress(Exception):
                await self.server.log.catch_up(copy)
        previous = self.subscriptions.get(hello.store)
        if previous is not None:
            previous[0].unsubscribe(self)
        client = f"{self.identity}/{hello.client}"
        self.subscriptions[hello.store] = (copy, client)
        copy.subscribe(self)
        for answer in copy.authority.hello(client, hello.version):
            self.send(encode(answer))

    async def _push(self, push: Push) -> None:
        subscribed = self.subscriptions.get(push.store)
        if subscribed is None:
            self._error(
                push.store,
                ErrorCode.NOT_SUBSCRIBED,
                f"a push to {push.store!r} before a hello for it on this connection; nothing "
                "was applied",
            )
            return
        if not self.server.authorize(self.identity, push.store, "write"):
            self._error(
                push.store,
                ErrorCode.FORBIDDEN,
                f"you may not write to the store {push.store!r}; nothing was applied",
            )
            return
        copy, client = subscribed
        await self._finish_in_flight(await copy.push(self, client, push))

    def _error(self, store: str | None, code: str, message: str) -> None:
        self.send(encode(ErrorMessage(store, code, message)))
