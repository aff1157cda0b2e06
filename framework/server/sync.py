"""The sync server an app's `server.py` creates: its synced stores, their WebSocket endpoint and
their SQLite file.

    sync = SyncServer()
    todos = sync.store("todos", list[Todo])          # one copy per identity (the default)
    chat = sync.store("chat", list[Line], shared=True)  # one copy for everyone
    api = sync.api()                                 # served by `framework serve` at /api/sync

Every copy of a store is an `Authority` (framework/sync/authority.py) validated by the store's
pydantic schema; what this module adds is who sees which copy, the connections subscribed to
each, saving, and server code's reads and writes (`await chat.update(fn)`, `todos.of(identity)`).

With `SyncServer(redis="redis://...")` (or $FRAMEWORK_SYNC_REDIS) several processes serve the
same stores: the order of every copy's writes is kept in Redis (framework/server/redis_log.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import sys
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket

from framework.server.connection import CLOSE_RESTART, Connection, QueuedChange
from framework.server.guard import anonymous_identity, new_identity_cookie, origin_allowed
from framework.server.redis_log import REDIS_ENV, RedisLog
from framework.server.storage import Row, SyncDatabase
from framework.sync import Authority, Changes, Limits, Push, encode
from framework.sync.deltas import Json
from framework.sync.messages import DEFAULT_LIMITS, encode_change
from framework.sync.schema import item_validator, json_validator, shape_of

__all__ = [
    "SYNC_PATH",
    "Authorize",
    "Identify",
    "StoreCopy",
    "SyncLimits",
    "SyncServer",
    "SyncedStore",
    "default_database",
]

SYNC_PATH = "/sync"  # under the app's API: ws(s)://host/api/sync
DATABASE_ENV = "FRAMEWORK_SYNC_DATABASE"
Operation = Literal["read", "write"]
Identify = Callable[[WebSocket], "str | None"]
Authorize = Callable[[str, str, Operation], bool]
SHARED = ""  # the scope of a shared store's single copy


@dataclass(frozen=True)
class SyncLimits:
    """What one connection may do; every limit refuses with a clear error or close reason."""

    protocol: Limits = DEFAULT_LIMITS  # message size, mutations per push, ops per mutation
    mutations_per_second: float = 20.0  # on average, per connection
    mutation_burst: int = 200  # at once: a client back online resends up to 100 pending
    stores_per_connection: int = 32
    send_queue_bytes: int = 8_000_000  # queued for a client before it is called too slow
    close_timeout: float = 5.0  # seconds to wait for a close frame to go out


def default_database(server_file: Path) -> Path:
    """$FRAMEWORK_SYNC_DATABASE, else a file in the user's data folder named after the app's
    folder: outside the served tree and the repository, like the upload app's files."""
    configured = os.environ.get(DATABASE_ENV)
    if configured:
        return Path(configured).expanduser()
    folder = server_file.resolve().parent
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    tag = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    return Path(data_home) / "framework" / "sync" / f"{folder.name}-{tag}.sqlite3"


def allow_all(identity: str, store: str, operation: Operation) -> bool:
    """The default authorisation: per-identity copies keep users apart already; a shared
    store is open to every identity unless the app's hook says otherwise."""
    return True


# One running sync server per database file in this process: a reload of server.py starts the
# new one after stopping the old one, so the file has one writer and the clients move over.
_RUNNING: dict[Path, SyncServer] = {}


class SyncServer:
    """An app's synced stores and the WebSocket endpoint that serves them."""

    def __init__(
        self,
        *,
        database: str | Path | None = None,
        limits: SyncLimits | None = None,
        allowed_origins: Sequence[str] = (),
        identify: Identify | None = None,
        authorize: Authorize = allow_all,
        path: str = SYNC_PATH,
        redis: str | None = None,
        redis_prefix: str = "framework:sync",
    ) -> None:
        caller = Path(sys._getframe(1).f_globals.get("__file__") or Path.cwd() / "server.py")
        self.database_path = Path(database) if database else default_database(caller)
        self.limits = limits or SyncLimits()
        self.allowed_origins = tuple(allowed_origins)
        self.identify = identify
        self.authorize = authorize
        self.path = path
        self.stores: dict[str, SyncedStore] = {}
        self.connections: set[Connection] = set()
        self._database: SyncDatabase | None = None
        # several processes: the order of the writes lives in Redis; None: this process decides
        self.redis_url = redis or os.environ.get(REDIS_ENV) or None
        self.redis_prefix = redis_prefix
        self.log: RedisLog | None = None

    # -- declaring stores --------------------------------------------------------------------------

    def store(
        self,
        name: str,
        schema: Any,
        *,
        shared: bool = False,
        initial: Json = None,
        id_field: str = "id",
    ) -> SyncedStore:
        """Declare a synced store: `schema` is the client Store's (pydantic validates every
        change with it); `shared=True` gives every identity the same copy."""
        if name in self.stores:
            raise ValueError(f"the synced store {name!r} is declared twice")
        store = SyncedStore(self, name, schema, shared=shared, initial=initial, id_field=id_field)
        self.stores[name] = store
        return store

    # -- serving -----------------------------------------------------------------------------------

    @property
    def route(self) -> BaseRoute:
        return WebSocketRoute(self.path, self.endpoint)

    def api(self, *routes: BaseRoute) -> Starlette:
        """A Starlette app with the sync endpoint (and `routes`), to be server.py's `api`."""
        return Starlette(routes=[self.route, *routes], lifespan=lambda _: self.running())

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Open the database, serve, then close every connection and write what is pending."""
        key = self.database_path.resolve()
        previous = _RUNNING.get(key)
        if previous is not None:
            await previous.stop()
        database = SyncDatabase(self.database_path)
        database.open()
        self._database = database
        _RUNNING[key] = self
        try:
            if self.redis_url:
                log = RedisLog(self, self.redis_url, prefix=self.redis_prefix)
                await log.start()
                self.log = log
            yield
        finally:
            await self.stop()

    async def stop(self) -> None:
        for connection in list(self.connections):
            connection.disconnect(CLOSE_RESTART, "the server restarts; reconnect")
        log, self.log = self.log, None
        if log is not None:
            await log.stop()
        database, self._database = self._database, None
        if database is not None:
            await database.close()
        for store in self.stores.values():
            store.forget_copies()
        key = self.database_path.resolve()
        if _RUNNING.get(key) is self:
            del _RUNNING[key]

    def loaded_copies(self) -> list[StoreCopy]:
        """Every copy of every store that is in memory now."""
        return [copy for store in self.stores.values() for copy in store.loaded_copies()]

    @property
    def database(self) -> SyncDatabase:
        if self._database is None:
            raise RuntimeError(
                "synced stores are reachable while the sync server runs: use them from a "
                "request, a WebSocket or a task started in the api's lifespan (sync.api() runs "
                "it; with an api of your own, enter `sync.running()` in its lifespan)"
            )
        return self._database

    async def endpoint(self, websocket: WebSocket) -> None:
        if not origin_allowed(websocket, self.allowed_origins):
            origin = websocket.headers.get("origin")
            await self._refuse(websocket, f"sync: the origin {origin} is not allowed")
            return
        headers: list[tuple[bytes, bytes]] = []
        if self.identify is None:
            identity = anonymous_identity(websocket)
            if identity is None:
                identity, cookie = new_identity_cookie(secure=websocket.url.scheme == "wss")
                headers.append((b"set-cookie", cookie.encode("latin-1")))
        else:
            identity = self.identify(websocket)
            if identity is None:
                await self._refuse(websocket, "sync: who you are is unknown; sign in first")
                return
        if self._database is None:
            await self._refuse(websocket, "sync: the server is not running", status=503)
            return
        await websocket.accept(headers=headers)
        connection = Connection(websocket, identity, self)
        self.connections.add(connection)
        try:
            await connection.run()
        finally:
            self.connections.discard(connection)
        await connection.close()

    async def _refuse(self, websocket: WebSocket, reason: str, status: int = 403) -> None:
        print(f"framework: {reason}", file=sys.stderr, flush=True)
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(PlainTextResponse(reason, status_code=status))
        else:
            await websocket.close(1008, reason[:123])


class SyncedStore:
    """A store declared by the app: one copy (shared) or one copy per identity."""

    def __init__(
        self,
        server: SyncServer,
        name: str,
        schema: Any,
        *,
        shared: bool,
        initial: Json,
        id_field: str,
    ) -> None:
        self.server, self.name, self.schema, self.shared = server, name, schema, shared
        self.shape = shape_of(schema, id_field)
        self.validate = json_validator(schema)
        self.validate_item = item_validator(schema)  # None: each change validates the whole
        if initial is None:
            initial = {"list": [], "dict": {}}.get(self.shape.kind)
            if initial is None:
                raise ValueError(
                    f"sync.store({name!r}, ...): a store of this schema needs an initial value: "
                    "pass initial=..."
                )
        self.initial = self.validate(initial)  # a wrong initial value fails at declaration
        # A per-identity copy stays in memory while something holds it (a connection, server
        # code, a save not written yet), then is loaded from the file again when needed.
        self._copies: weakref.WeakValueDictionary[str, StoreCopy] = weakref.WeakValueDictionary()
        self._shared: StoreCopy | None = None

    def copy_for(self, identity: str) -> StoreCopy:
        """The copy this identity sees (the shared one, or its own), loaded on first use."""
        if self.shared:
            if self._shared is None:
                self._shared = self._load(SHARED)
            return self._shared
        found = self._copies.get(identity)
        if found is None:
            found = self._load(identity)
            self._copies[identity] = found
        return found

    def of(self, identity: str) -> StoreCopy:
        """The copy of one identity (a per-identity store), for server code."""
        if self.shared:
            raise TypeError(f"the store {self.name!r} is shared: use its value and update()")
        return self.copy_for(identity)

    @property
    def copies_in_memory(self) -> int:
        """How many copies are loaded (an idle identity's copy is not: it waits in the file)."""
        return len(self._copies) + (self._shared is not None)

    def loaded_copies(self) -> list[StoreCopy]:
        shared = [] if self._shared is None else [self._shared]
        return [*shared, *self._copies.values()]

    def forget_copies(self) -> None:
        self._copies.clear()
        self._shared = None

    def _shared_copy(self) -> StoreCopy:
        if not self.shared:
            raise TypeError(
                f"the store {self.name!r} has one copy per identity: use "
                f"{self.name}.of(identity).value / .update(...), or declare it shared=True"
            )
        return self.copy_for(SHARED)

    @property
    def value(self) -> Json:
        return self._shared_copy().value

    @property
    def version(self) -> int:
        return self._shared_copy().version

    async def update(self, change: Callable[[Json], Json]) -> Json:
        return await self._shared_copy().update(change)

    def _load(self, scope: str) -> StoreCopy:
        saved = self.server.database.load((self.name, scope))
        copy = StoreCopy(self, scope, self.authority_from(saved))
        copy.take_saved(saved)
        if self.server.log is not None:
            self.server.log.watch(copy)
        return copy

    def authority_from(self, saved: Row | None) -> Authority:
        """A copy's Authority as saved (its checkpoint, then the changes saved after it), or
        at the initial value if it never was."""
        if saved is None:
            return Authority(
                self.name,
                self.shape,
                self.initial,
                validate=self.validate,
                validate_item=self.validate_item,
                limits=self.server.limits.protocol,
            )
        state = saved.state
        if saved.changes:
            # replayed as they were accepted, then validated whole by today's model, like a
            # checkpoint: the model may have changed since
            replayed = Authority.load(state, self.name, self.shape)
            for change in saved.changes:
                replayed.replay(change)
            state = replayed.dump()
        return Authority.load(
            state,
            self.name,
            self.shape,
            validate=self.validate,
            validate_item=self.validate_item,
            limits=self.server.limits.protocol,
        )


class StoreCopy:
    """One copy of a store (an identity's, or the shared one) and the connections that see it."""

    def __init__(self, store: SyncedStore, scope: str, authority: Authority) -> None:
        self.store, self.scope, self.authority = store, scope, authority
        self.subscribers: set[Connection] = set()
        self.seq = 0  # with Redis: the position in the copy's log that `authority` includes
        self.token = ""  # with Redis: the log's token when the copy was loaded (redis_log.py)
        # what the file holds of this copy (storage.py): None, unknown: the next save is whole
        self.checkpoint_version: int | None = None
        self.saved_version = 0
        self._last_sent: asyncio.Future[None] | None = None  # done when its changes are sent

    def take_saved(self, saved: Row | None) -> None:
        """The authority was just made from `saved`: remember what the file holds."""
        if saved is not None:
            self.seq = saved.seq
            self.checkpoint_version, self.saved_version = saved.checkpoint_version, saved.version

    @property
    def value(self) -> Json:
        """The current value, as JSON data (what `model_dump(mode="json")` gives)."""
        return self.authority.value

    @property
    def version(self) -> int:
        return self.authority.version

    async def update(self, change: Callable[[Json], Json]) -> Json:
        """value = change(value) (given a copy: editing it in place is fine), validated by the
        schema (RefusedError if it does not), saved, then sent to every connected client."""
        log = self.store.server.log
        if log is not None:
            return await log.update(self, change)
        changes = self.authority.update(change)
        if changes is not None:
            await self._saved_then_sent(changes, lambda: None)
        return self.authority.value

    async def push(self, sender: Connection, client: str, push: Push) -> Awaitable[None]:
        """Apply a client's push now, in the order its connection read it; what is returned
        saves it and then answers (changes to every client, ack and errors to the sender),
        and may run while the connection reads its next message."""
        log = self.store.server.log
        if log is not None:
            return await log.push(self, sender, client, push)
        result = self.authority.push(client, push.mutations)

        def answer() -> None:
            for error in result.errors:
                sender.send(encode(error))
            sender.send(encode(result.ack))

        return self._saved_then_sent(result.changes, answer)

    async def _saved_then_sent(self, changes: Changes | None, answer: Callable[[], None]) -> None:
        """Save what was applied (nothing is sent before it is on disk), then, once what was
        applied before it is sent, broadcast the changes and answer: every client gets the
        changes in version order, whichever save of the two ends first."""
        previous = self._last_sent
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last_sent = sent
        try:
            await self.save()
            if previous is not None:
                await previous
            if changes is not None:
                self.broadcast(changes)
            answer()
        finally:
            sent.set_result(None)
            if self._last_sent is sent:
                self._last_sent = None

    def broadcast(self, changes: Changes) -> None:
        """Send changes to every subscribed client (the pusher too), each change encoded once;
        a client's queue joins them with its neighbours (Connection.send_changes)."""
        queued = [
            QueuedChange(changes.store, change.version, encode_change(change))
            for change in changes.changes
        ]
        for connection in list(self.subscribers):
            connection.send_changes(queued)

    def subscribe(self, connection: Connection) -> None:
        self.subscribers.add(connection)

    def unsubscribe(self, connection: Connection) -> None:
        self.subscribers.discard(connection)

    async def save(self) -> None:
        """Returns once the copy's current state is committed to the file."""
        await self.store.server.database.save((self.store.name, self.scope), self)

    def reload(self, *, force: bool = False) -> None:
        """Take the saved state if it is further along the log than this copy (or whatever it
        is, if `force`): another process saved it (with Redis)."""
        saved = self.store.server.database.load((self.store.name, self.scope))
        if saved is not None and (force or saved.seq > self.seq):
            self.authority = self.store.authority_from(saved)
            self.take_saved(saved)
