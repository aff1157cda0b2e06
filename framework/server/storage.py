"""Synced stores on disk: one SQLite file per app, one row per copy of a store.

A row holds the copy's whole saved state (`Authority.dump()`: value, version, the bounded log,
each client's last processed mutation, tombstones), so a restarted server resumes its clients
exactly where they were. Saves are batched: every copy changed while the previous write ran is
written in the next transaction, and `save()` returns only once the transaction that holds the
change is committed (`synchronous=FULL`), so nothing is acknowledged before it is durable.

Writes run in a worker thread, so the event loop keeps serving meanwhile; the JSON is made on
the loop's thread, where the copies change.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from framework.sync import Authority

__all__ = ["SyncDatabase"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stores (
    name TEXT NOT NULL,
    scope TEXT NOT NULL,  -- the identity of a per-identity copy; '' for a shared store
    state TEXT NOT NULL,  -- Authority.dump() as JSON
    PRIMARY KEY (name, scope)
)
"""

Key = tuple[str, str]  # (store name, scope)


class Saved(Protocol):
    """What is saved: a copy of a store. The database holds it until it is written, so the copy
    stays in memory (and is the one found) while its file row is older than it."""

    @property
    def authority(self) -> Authority: ...


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
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
        db.execute(_SCHEMA)
        self._db = db
        self._writer = asyncio.create_task(self._write_forever(), name="framework-sync-storage")

    def load(self, key: Key) -> dict[str, Any] | None:
        """The saved state of a copy, None if it was never saved."""
        row = (
            self._connection()
            .execute("SELECT state FROM stores WHERE name = ? AND scope = ?", key)
            .fetchone()
        )
        return None if row is None else json.loads(row[0])

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
                (name, scope, json.dumps(copy.authority.dump(), separators=(",", ":")))
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

    def _write(self, rows: list[tuple[str, str, str]]) -> None:
        db = self._connection()
        with db:  # one transaction for the whole batch
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO stores (name, scope, state) VALUES (?, ?, ?) "
                "ON CONFLICT (name, scope) DO UPDATE SET state = excluded.state",
                rows,
            )
