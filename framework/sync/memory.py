"""An in-memory sync server and transport: synced stores tested without a network or a browser.

    server = MemoryServer({"todos": Authority("todos", LIST, [], validate=...)})
    set_sync_transport(server)       # every SyncClient without its own transport uses it
    ...                              # edit stores
    server.deliver()                 # carry every message both ways until none is left

It does what framework.server's SyncServer does around the Authority, minus identity and
limits: a hello subscribes the connection and gets `Authority.hello`'s answer, a push's changes
go to every subscribed connection, its ack and errors to the pusher. Messages cross as JSON
text and wait in one queue until `deliver()`, so a test decides when the network moves.
`online = False` makes new connections fail and `drop(code)` closes the open ones.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from framework.sync.authority import Authority
from framework.sync.deltas import Json
from framework.sync.messages import (
    ErrorCode,
    ErrorMessage,
    Hello,
    ProtocolError,
    ServerMessage,
    encode,
    parse_client,
)

__all__ = ["MemoryServer"]

CLOSE_ABNORMAL = 1006  # no close frame: the network failed


class _Connection:
    def __init__(
        self,
        server: MemoryServer,
        on_open: Callable[[], None],
        on_message: Callable[[str], None],
        on_close: Callable[[int, str], None],
    ) -> None:
        self.server = server
        self.on_open, self.on_message, self.on_close = on_open, on_message, on_close
        self.subscribed: set[str] = set()
        self.clients: dict[str, str] = {}
        self.closed = False

    def send(self, text: str) -> None:  # client -> server
        if not self.closed:
            self.server._queue.append(lambda: self.server._handle(self, text))

    def close(self) -> None:
        self.closed = True

    def to_client(self, message: ServerMessage) -> None:
        text = encode(message)
        self.server._queue.append(lambda: None if self.closed else self.on_message(text))


class MemoryServer:
    """Authorities by store name behind a queued in-memory transport (a SyncTransport)."""

    def __init__(self, stores: dict[str, Authority]) -> None:
        self.stores = stores
        self.online = True
        self.urls: list[str] = []  # every URL connected to
        self._connections: list[_Connection] = []
        self._queue: deque[Callable[[], None]] = deque()

    # -- the transport ---------------------------------------------------------------------------

    def connect(
        self,
        url: str,
        on_open: Callable[[], None],
        on_message: Callable[[str], None],
        on_close: Callable[[int, str], None],
    ) -> _Connection:
        self.urls.append(url)
        connection = _Connection(self, on_open, on_message, on_close)
        if self.online:
            self._connections.append(connection)
            self._queue.append(lambda: None if connection.closed else on_open())
        else:
            connection.closed = True
            self._queue.append(lambda: on_close(CLOSE_ABNORMAL, "the server cannot be reached"))
        return connection

    def deliver(self) -> int:
        """Carry the queued messages (and what they cause) until none is left; how many."""
        done = 0
        while self._queue:
            self._queue.popleft()()
            done += 1
        return done

    def drop(self, code: int = CLOSE_ABNORMAL, reason: str = "") -> None:
        """Close every open connection now; queued messages are lost, as on a real network."""
        self._queue.clear()
        connections, self._connections = self._connections, []
        for connection in connections:
            if not connection.closed:
                connection.closed = True
                connection.on_close(code, reason)

    @property
    def connected(self) -> int:
        return sum(not c.closed for c in self._connections)

    # -- the server ------------------------------------------------------------------------------

    def _handle(self, connection: _Connection, text: str) -> None:
        try:
            message = parse_client(text)
        except ProtocolError as error:
            connection.to_client(ErrorMessage(None, error.code, str(error)))
            return
        authority = self.stores.get(message.store)
        if authority is None:
            unknown = f"no synced store {message.store!r} on this server"
            connection.to_client(ErrorMessage(message.store, ErrorCode.UNKNOWN_STORE, unknown))
            return
        if isinstance(message, Hello):
            connection.subscribed.add(message.store)
            connection.clients[message.store] = message.client
            for answer in authority.hello(message.client, message.version):
                connection.to_client(answer)
            return
        client = connection.clients.get(message.store)
        if client is None:
            early = f"a push to {message.store!r} before a hello for it; nothing was applied"
            connection.to_client(ErrorMessage(message.store, ErrorCode.NOT_SUBSCRIBED, early))
            return
        result = authority.push(client, message.mutations)
        if result.changes is not None:
            for other in self._connections:
                if message.store in other.subscribed and not other.closed:
                    other.to_client(result.changes)
        connection.to_client(result.ack)
        for error_message in result.errors:
            connection.to_client(error_message)

    def commit_update(self, store: str, change: Callable[[Json], Json]) -> None:
        """Server code writes a store: the change reaches every subscribed connection."""
        changes = self.stores[store].update(change)
        if changes is not None:
            for other in self._connections:
                if store in other.subscribed and not other.closed:
                    other.to_client(changes)
