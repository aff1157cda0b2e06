"""Synced stores on disk: one SQLite file per app, one row per copy of a store.

A row holds the copy's whole saved state (`Authority.dump()`: value, version, the bounded log,
each client's last processed mutation, tombstones), so a restarted server resumes its clients
exactly where they were. Saves are batched: every copy changed while the previous write ran is
written in the next transaction, and `save()` returns only once the transaction that holds the
change is committed (`synchronous=FULL`), so nothing is acknowledged before it is durable.

With Redis (framework/server/redis_log.py) several processes share the file: a row also holds
`seq`, the position in the copy's Redis log its state includes, and a row is only replaced by
a state at the same position or later, so a process that is behind never overwrites a newer
state. Without Redis `seq` stays 0 and every save replaces the row, as before.

Writes run in a worker thread, so the event loop keeps serving meanwhile; the JSON is made on
the loop's thread, where the copies change.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from framework.sync import Authority

__all__ = ["Row", "SyncDatabase"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stores (
    name TEXT NOT NULL,
    scope TEXT NOT NULL,  -- the identity of a per-identity copy; '' for a shared store
    state TEXT NOT NULL,  -- Authority.dump() as JSON
    seq INTEGER NOT NULL DEFAULT 0,  -- with Redis: the position in the copy's log it includes
    PRIMARY KEY (name, scope)
)
"""
_BUSY_TIMEOUT_MS = 10_000  # another process's write transaction holds the file meanwhile

Key = tuple[str, str]  # (store name, scope)


class Saved(Protocol):
    """What is saved: a copy of a store. The database holds it until it is written, so the copy
    stays in memory (and is the one found) while its file row is older than it."""

    @property
    def authority(self) -> Authority: ...

    @property
    def seq(self) -> int: ...


@dataclass(frozen=True)
class Row:
    """A saved copy: its `Authority.dump()` and the position in its Redis log (0 without)."""

    state: dict[str, Any]
    seq: int


class SyncDatabase:
    """The SQLite file of an app's synced stores; `open()` before use, `close()` after."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._dirty: dict[Key, Saved] = {}
        self._waiting: list[asyncio.Future[None]] = []
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # first: another process opening the file at once holds it while it sets it up
        db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        _set_wal(db)
        db.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
        db.execute(_SCHEMA)
        columns = {row[1] for row in db.execute("PRAGMA table_info(stores)")}
        if "seq" not in columns:  # a file written before the column existed
            db.execute("ALTER TABLE stores ADD COLUMN seq INTEGER NOT NULL DEFAULT 0")
        self._db = db
        self._writer = asyncio.create_task(self._write_forever(), name="framework-sync-storage")

    def load(self, key: Key) -> Row | None:
        """The saved state of a copy, None if it was never saved."""
        row = (
            self._connection()
            .execute("SELECT state, seq FROM stores WHERE name = ? AND scope = ?", key)
            .fetchone()
        )
        return None if row is None else Row(json.loads(row[0]), row[1])

    async def save(self, key: Key, copy: Saved) -> None:
        """Returns once the copy's current state is committed to the file."""
        self._dirty[key] = copy
        done = asyncio.get_running_loop().create_future()
        self._waiting.append(done)
        self._wake.set()
        await asyncio.shield(done)

    async def close(self) -> None:
        """Write what is pending, then close the file."""
        if self._writer is not None:
            self._wake.set()
            while self._dirty or self._waiting:
                await asyncio.sleep(0.005)
            self._writer.cancel()
            self._writer = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"the sync database {self.path} is not open")
        return self._db

    async def _write_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            rows = [
                (name, scope, json.dumps(copy.authority.dump(), separators=(",", ":")), copy.seq)
                for (name, scope), copy in self._dirty.items()
            ]
            # the copies stay referenced (in memory) until their rows are written
            writing, self._dirty = self._dirty, {}
            waiting, self._waiting = self._waiting, []
            try:
                await asyncio.to_thread(self._write, rows)
            except Exception as error:  # noqa: BLE001 - each waiter learns the write failed
                for future in waiting:
                    if not future.done():
                        future.set_exception(error)
                continue
            for future in waiting:
                if not future.done():
                    future.set_result(None)
            del writing

    def _write(self, rows: list[tuple[str, str, str, int]]) -> None:
        db = self._connection()
        with db:  # one transaction for the whole batch
            db.execute("BEGIN IMMEDIATE")  # take the write lock now (other processes wait)
            db.executemany(
                "INSERT INTO stores (name, scope, state, seq) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name, scope) DO UPDATE SET state = excluded.state, "
                "seq = excluded.seq WHERE excluded.seq >= stores.seq",
                rows,
            )


def _set_wal(db: sqlite3.Connection) -> None:
    """WAL mode; SQLite does not wait (busy_timeout) for another process that opens a new file
    at the same moment, so this does."""
    for _ in range(200):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    db.execute("PRAGMA journal_mode=WAL")
