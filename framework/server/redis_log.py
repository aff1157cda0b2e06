"""Several server processes serving the same synced stores, kept in step through Redis.

Every copy of a store has one log in Redis (a stream): the writes sent to it, in the one order
every process follows. A process that gets a push (or a write of server code) does not apply it
at once: it appends it to the log, and every process, itself included, applies the log's
entries in order to its `Authority`. Applying is deterministic (the same code, the same schema,
the same state before), so every process computes the same versions, values and refusals; the
process that received a push answers its client (ack, errors), and every process sends the
accepted changes to its own clients.

* **One order.** An entry is appended by a Lua script that gives it the next position in its
  log (`seq`, the entry's stream id `seq-0`), so two processes appending at once get two
  positions, never one.
* **Live.** Each process follows the logs of the copies it holds in memory with one blocking
  XREAD, woken by an entry in a stream of its own when it loads another copy.
* **Durable.** The processes share the app's SQLite file (storage.py): a row holds a copy's
  state and the log position it includes, and a later position replaces it, never an earlier
  one. A push is acknowledged once it is in the log and the receiving process has committed the
  state that includes it, so an acked change is on disk (and in Redis, as durable as Redis is
  configured). A copy is loaded from its row, then caught up from the log; the log keeps its
  last `max_log` entries (the rows are never further behind than the writes being saved).
* **Redis losing its data** (restarted without persistence, flushed): a token key written at
  start is then gone; the first process to notice writes a new one, and each process, on
  noticing, saves what it holds, reloads its copies from the file, and closes its clients'
  connections (1012) so they resume from the reloaded versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy as copying
import itertools
import json
import secrets
import sys
import weakref
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any

from framework.sync import Changes, Mutation, Push, RefusedError, encode
from framework.sync.authority import PushResult
from framework.sync.deltas import Json, diff

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from framework.server.connection import Connection
    from framework.server.sync import StoreCopy, SyncServer

__all__ = ["REDIS_ENV", "RedisLog"]

REDIS_ENV = "FRAMEWORK_SYNC_REDIS"
CLOSE_RESTART = 1012
CLOSE_UNAVAILABLE = 1013  # try again later
_BLOCK_MS = 5_000  # a blocking read returns at least this often (then reads again)
# A command may wait this long for Redis's answer: longer than the blocking read, or an idle
# server's reader times out every time (redis-py's default is 5 s, the block's own length).
_SOCKET_TIMEOUT_S = _BLOCK_MS / 1000 + 10
# Connections to Redis per process; a push waits up to _POOL_WAIT_S for a free one instead of
# failing at once (redis-py's default pool refuses the 101st push in flight: measured under
# 100 clients a process pushing at once, benchmarks/RESULTS.md).
_POOL_SIZE = 64
_POOL_WAIT_S = 20.0
_BATCH = 1_000  # entries read at once
_ANSWER_TIMEOUT = 30.0  # seconds a push waits for its own entry to come back from the log
_RETRY = 0.5  # seconds before reading again after Redis failed

# KEYS: the log, the token. ARGV: the entry, the caller's position, the log's length, the token.
# The next position follows the log's last entry; a log that does not exist yet starts after
# the caller's position (a copy saved before it was first synced through Redis).
_APPEND = """
if redis.call('GET', KEYS[2]) ~= ARGV[4] then
  return -1
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local seq
if last[1] then
  seq = tonumber(string.match(last[1][1], '^(%d+)')) + 1
else
  seq = tonumber(ARGV[2]) + 1
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], seq .. '-0', 'e', ARGV[1])
return seq
"""

Outcome = tuple["Changes | None", "int | None", "PushResult | Changes | RefusedError"]
Appended = tuple[int, "asyncio.Future[Any]", int]  # request id, its answer, its log position


class LogGoneError(RuntimeError):
    """Redis no longer holds the logs this process followed (see the module docstring)."""


class RedisLog:
    """The logs of one SyncServer's copies in Redis; `start()` in the server's lifespan."""

    def __init__(
        self, server: SyncServer, url: str, *, prefix: str = "framework:sync", max_log: int = 10_000
    ) -> None:
        self.server, self.url, self.prefix, self.max_log = server, url, prefix, max_log
        self.process = secrets.token_hex(8)
        self.token = ""
        self._redis: Redis | None = None
        self._append_script: Any = None
        self._requests: dict[int, asyncio.Future[Any]] = {}
        self._request_ids = itertools.count(1)
        self._reader: asyncio.Task[None] | None = None
        self._wake_key = f"{prefix}:wake:{self.process}"
        self._woken = "0-0"
        self._waking: set[asyncio.Task[None]] = set()
        self._resetting: asyncio.Lock | None = None
        self._catching_up: weakref.WeakKeyDictionary[StoreCopy, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        # per copy: done when its last applied batch is sent (see _applied)
        self._sent: weakref.WeakKeyDictionary[StoreCopy, asyncio.Future[None]] = (
            weakref.WeakKeyDictionary()
        )

    # -- running -----------------------------------------------------------------------------------

    async def start(self) -> None:
        # host-only and optional: imported when configured
        from redis.asyncio import BlockingConnectionPool, Redis

        pool = BlockingConnectionPool.from_url(
            self.url,
            decode_responses=True,
            max_connections=_POOL_SIZE,
            timeout=_POOL_WAIT_S,
            socket_timeout=_SOCKET_TIMEOUT_S,
        )
        client: Redis = Redis.from_pool(pool)  # closing the client closes the pool
        try:
            await client.ping()
        except Exception as error:  # noqa: BLE001 - whatever it is, say where and what to do
            await client.aclose()
            raise RuntimeError(
                f"sync: cannot reach Redis at {self.url} ({error}); start redis-server, or "
                f"leave SyncServer(redis=...) and ${REDIS_ENV} unset to serve from one process"
            ) from None
        self._redis = client
        self._append_script = client.register_script(_APPEND)
        self._resetting = asyncio.Lock()
        self.token = await self._token()
        self._reader = asyncio.create_task(self._follow(), name="framework-sync-redis")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.delete(self._wake_key)
            await self._redis.aclose()
            self._redis = None

    @property
    def redis(self) -> Redis:
        if self._redis is None:
            raise RuntimeError("sync: the Redis log is not started")
        return self._redis

    def key(self, copy: StoreCopy) -> str:
        # JSON keeps any store name and identity apart (a ':' in either is not a separator)
        return f"{self.prefix}:log:{json.dumps([copy.store.name, copy.scope])}"

    def watch(self, copy: StoreCopy) -> None:
        """A copy was loaded: wake the reader so that it follows this copy's log too."""
        copy.token = self.token
        if self._reader is not None:
            task = asyncio.get_running_loop().create_task(self._wake())
            self._waking.add(task)
            task.add_done_callback(self._waking.discard)

    async def _wake(self) -> None:
        with contextlib.suppress(Exception):  # the reader reads again within _BLOCK_MS anyway
            await self.redis.xadd(self._wake_key, {"w": "1"}, maxlen=10)

    async def _token(self) -> str:
        await self.redis.set(f"{self.prefix}:token", secrets.token_hex(8), nx=True)
        return str(await self.redis.get(f"{self.prefix}:token"))

    # -- writing -----------------------------------------------------------------------------------

    async def push(
        self, copy: StoreCopy, sender: Connection, client: str, push: Push
    ) -> Awaitable[None]:
        """Append the client's push to the log now (a connection's pushes enter the log in the
        order it read them); what is returned waits until it is applied and saved, then
        answers, and may run while the connection reads its next message."""
        mutations = [[mutation.id, mutation.ops] for mutation in push.mutations]
        try:
            appended = await self._append(copy, {"c": client, "m": mutations})
        except Exception as error:  # noqa: BLE001 - Redis unreachable: the client resends later
            self._unreachable(sender, error)
            return asyncio.sleep(0)
        return self._answer_push(copy, sender, appended)

    async def _answer_push(self, copy: StoreCopy, sender: Connection, appended: Appended) -> None:
        try:
            result = await self._applied_answer(copy, appended)
        except Exception as error:  # noqa: BLE001 - Redis unreachable: the client resends later
            self._unreachable(sender, error)
            return
        assert isinstance(result, PushResult)
        for error_message in result.errors:
            sender.send(encode(error_message))
        sender.send(encode(result.ack))

    def _unreachable(self, sender: Connection, error: Exception) -> None:
        print(f"framework: sync: a push could not go through Redis: {error}", file=sys.stderr)
        sender.disconnect(CLOSE_UNAVAILABLE, "sync: the server cannot reach Redis; reconnect")

    async def update(self, copy: StoreCopy, change: Any) -> Json:
        """Server code's write: the smallest delta from the value this process holds, applied
        in the log's order like a client's mutation (RefusedError if it does not validate)."""
        await self.catch_up(copy)
        value = copy.authority.value
        ops = diff(value, change(copying.deepcopy(value)), copy.store.shape)
        if ops:
            result = await self._applied_answer(copy, await self._append(copy, {"o": ops}))
            if isinstance(result, RefusedError):
                raise result
        return copy.authority.value

    async def _append(self, copy: StoreCopy, entry: dict[str, Any]) -> Appended:
        """Append an entry to the copy's log; its request id, the future its outcome will be
        set on once a process applied and saved it (`_applied_answer` waits for it), and its
        position in the log."""
        request = next(self._request_ids)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._requests[request] = answer
        try:
            text = json.dumps({"p": self.process, "r": request, **entry}, separators=(",", ":"))
            for _ in range(2):
                seq = await self._append_script(
                    keys=[self.key(copy), f"{self.prefix}:token"],
                    args=[text, copy.seq, self.max_log, copy.token],
                )
                if int(seq) >= 0:
                    return request, answer, int(seq)
                await self.reset()  # Redis lost the logs: reload, then append again
            raise LogGoneError("sync: Redis lost the logs twice in a row")
        except BaseException:
            self._requests.pop(request, None)
            raise

    async def _applied_answer(self, copy: StoreCopy, appended: Appended) -> Any:
        request, answer, seq = appended
        try:
            await self.catch_up(copy, through=seq)  # usually applies our entry (or the reader)
            return await asyncio.wait_for(asyncio.shield(answer), _ANSWER_TIMEOUT)
        finally:
            self._requests.pop(request, None)

    # -- reading -----------------------------------------------------------------------------------

    async def catch_up(self, copy: StoreCopy, through: int | None = None) -> None:
        """Apply what the copy's log holds beyond the copy's position (with `through`: at
        least up to that position), then wait until it is saved and sent. One catch-up of a
        copy reads Redis at a time: the pushes waiting behind it usually find their entries
        applied by then and read nothing (hundreds of pushes in flight, each reading the log
        at once, emptied the pool of Redis connections: benchmarks/RESULTS.md, 2026-12-07)."""
        finishing = []
        lock = self._catching_up.setdefault(copy, asyncio.Lock())
        async with lock:
            while through is None or copy.seq < through:
                entries: list[Any] = (
                    await self.redis.xrange(
                        self.key(copy), min=f"({copy.seq}-0", max="+", count=_BATCH
                    )
                    or []
                )
                if entries:
                    finishing.append(self._applied(copy, entries))
                if len(entries) < _BATCH:
                    break
        await asyncio.gather(*finishing)

    async def _follow(self) -> None:
        while True:
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis went away: read again later
                print(f"framework: sync: reading from Redis failed: {error}", file=sys.stderr)
                await asyncio.sleep(_RETRY)
                with contextlib.suppress(Exception):
                    if await self.redis.get(f"{self.prefix}:token") != self.token:
                        await self.reset()

    async def _read(self) -> None:
        streams, followed = self._followed()
        answer: Any = await self.redis.xread(streams, count=_BATCH, block=_BLOCK_MS)
        # [[key, entries], ...] in RESP2, {key: entries} in RESP3
        items: list[Any] = list(answer.items() if isinstance(answer, dict) else answer or [])
        finishing = []
        for key, entries in items:
            if key == self._wake_key:
                self._woken = entries[-1][0]
                continue
            found = followed.get(key)
            copy = found() if found else None
            if copy is not None and entries:
                finishing.append(self._applied(copy, entries))
        await asyncio.gather(*finishing)

    def _followed(self) -> tuple[dict[Any, Any], dict[str, weakref.ref[StoreCopy]]]:
        """Where each followed log is read from, and its copy held weakly: an idle identity's
        copy may leave memory while the reader waits."""
        streams: dict[Any, Any] = {self._wake_key: self._woken}
        followed: dict[str, weakref.ref[StoreCopy]] = {}
        for copy in self.server.loaded_copies():
            key = self.key(copy)
            streams[key] = f"{copy.seq}-0"
            followed[key] = weakref.ref(copy)
        return streams, followed

    def _apply(self, copy: StoreCopy, entries: list[Any]) -> list[Outcome]:
        """Apply the entries beyond the copy's position, in order (synchronously: nothing else
        changes the copy meanwhile)."""
        outcomes: list[Outcome] = []
        for entry_id, fields in entries:
            seq = int(entry_id.split("-")[0])
            if seq > copy.seq + 1:
                self._fill_gap(copy, seq)
            if seq <= copy.seq:
                continue  # applied already (read twice: by the reader and a catch-up)
            entry = json.loads(fields["e"])
            mine = entry["r"] if entry["p"] == self.process else None
            result: PushResult | Changes | RefusedError
            if "m" in entry:
                result = copy.authority.push(
                    entry["c"], [Mutation(id, ops) for id, ops in entry["m"]]
                )
                changes = result.changes
            else:
                try:
                    result = changes = copy.authority.commit(entry["o"])
                except RefusedError as refused:
                    result, changes = refused, None
            copy.seq = seq
            outcomes.append((changes, mine, result))
        return outcomes

    def _fill_gap(self, copy: StoreCopy, seq: int) -> None:
        """Entries between the copy's position and `seq` are no longer in the log: another
        process saved a later state in the file; or Redis lost them (see reset)."""
        copy.reload()
        if copy.seq < seq - 1:
            print(
                f"framework: sync: the log of store {copy.store.name!r} misses entries "
                f"{copy.seq + 1} to {seq - 1} and the database does not have them; going on "
                "from the database's state",
                file=sys.stderr,
            )
            copy.seq = seq - 1

    def _applied(self, copy: StoreCopy, entries: list[Any]) -> Coroutine[Any, Any, None]:
        """Apply the entries now, in the log's order, and return what saves and sends them.
        Sending waits until the copy's previous batch is sent: the reader and a hello's
        catch-up both apply, and their saves may end in either order, but clients must get the
        changes in version order (out of order, each gap cost them a resync)."""
        outcomes = self._apply(copy, entries)
        previous = self._sent.get(copy)
        sent = asyncio.get_running_loop().create_future()
        self._sent[copy] = sent
        return self._finish(copy, outcomes, previous, sent)

    async def _finish(
        self,
        copy: StoreCopy,
        outcomes: list[Outcome],
        previous: asyncio.Future[None] | None,
        sent: asyncio.Future[None],
    ) -> None:
        """Save what was applied, then, after the previous batch, send it: changes to this
        process's clients of the copy, each push's answer to the coroutine that waits for it."""
        try:
            failure: Exception | None = None
            if outcomes:
                try:
                    await copy.save()
                except Exception as error:  # noqa: BLE001 - told to the waiting pushes below
                    failure = error
            if previous is not None:
                await previous
            if failure is not None:  # the waiting pushes learn it failed, the caller too
                for _, mine, _ in outcomes:
                    self._answer(mine, error=failure)
                raise failure
            for changes, mine, result in outcomes:
                if changes is not None:
                    copy.broadcast(changes)
                self._answer(mine, result)
        finally:
            if not sent.done():
                sent.set_result(None)

    def _answer(
        self, request: int | None, result: Any = None, error: Exception | None = None
    ) -> None:
        answer = self._requests.get(request) if request is not None else None
        if answer is None or answer.done():
            return
        if error is None:
            answer.set_result(result)
        else:
            answer.set_exception(error)

    # -- Redis lost its data -----------------------------------------------------------------------

    async def reset(self) -> None:
        """Take the new token, reload every copy from the file (after saving its state) and
        close this process's connections so that their clients resume from the file."""
        assert self._resetting is not None
        async with self._resetting:
            token = await self._token()
            if token == self.token:
                return  # another coroutine of this process did it
            print(
                "framework: sync: Redis lost the logs (restarted without persistence?); "
                "reloading the synced stores from the database",
                file=sys.stderr,
            )
            copies = self.server.loaded_copies()
            await asyncio.gather(*(copy.save() for copy in copies))
            for copy in copies:
                copy.reload(force=True)
                copy.token = token
            self.token = token
            for connection in list(self.server.connections):
                connection.disconnect(CLOSE_RESTART, "sync: the server reloaded its stores")
