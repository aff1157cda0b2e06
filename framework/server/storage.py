"""Synced stores on disk: one SQLite file per app; per copy of a store, a checkpoint and the
changes made since.

A checkpoint holds the copy's whole state (`Authority.dump()`: value, version, the bounded log,
each client's last processed mutation, tombstones); each change accepted since is a row of its
own (its version, who sent it, its ops as applied). Loading takes the checkpoint and replays
the changes after it, so a restarted server resumes its clients exactly where they were. A save
writes only the changes made since the last one, so its cost does not grow with the store: the
whole state is written again once the changes since the last checkpoint outnumber the store's
items (and at least `CHECKPOINT_EVERY`), which keeps a load's replay as short as the store.
(Measured before: a store of 60,000 items took about 100 ms to dump, for every save.)

Saves are batched: every copy changed while the previous write ran is written in the next
transaction, and `save()` returns only once the transaction that holds the change is committed
(`synchronous=FULL`), so nothing is acknowledged before it is durable.

A refused mutation advances its client's progress but makes no change: that progress is saved
with the next checkpoint only. A server that restarts before then may see the refused mutation
again, if its client sends it again, and refuses it again: nothing is applied twice.

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
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from framework.sync import Authority, Shape
from framework.sync.authority import LoggedChange
from framework.sync.deltas import Json

__all__ = ["Row", "SyncDatabase", "read_saved"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stores (
    name TEXT NOT NULL,
    scope TEXT NOT NULL,  -- the identity of a per-identity copy; '' for a shared store
    state TEXT NOT NULL,  -- Authority.dump() as JSON: the checkpoint
    seq INTEGER NOT NULL DEFAULT 0,  -- with Redis: the position in the copy's log it includes
    version INTEGER NOT NULL DEFAULT 0,  -- the checkpoint's version (its state's "version")
    PRIMARY KEY (name, scope)
);
CREATE TABLE IF NOT EXISTS store_changes (
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    version INTEGER NOT NULL,  -- after the checkpoint's version: replayed in this order
    change TEXT NOT NULL,  -- [client, mutation, ops] as JSON (client null: server code)
    seq INTEGER NOT NULL DEFAULT 0,  -- with Redis: the log position the copy had when saved
    PRIMARY KEY (name, scope, version)
) WITHOUT ROWID;
"""
_BUSY_TIMEOUT_MS = 10_000  # another process's write transaction holds the file meanwhile
CHECKPOINT_EVERY = 1_000  # changes since the last checkpoint, at least, before the next one

Key = tuple[str, str]  # (store name, scope)


class Saved(Protocol):
    """What is saved: a copy of a store. The database holds it until it is written, so the copy
    stays in memory (and is the one found) while its file row is older than it."""

    @property
    def authority(self) -> Authority: ...

    @property
    def seq(self) -> int: ...

    # what the file holds of this copy, as far as this process knows (None: write it whole)
    checkpoint_version: int | None
    saved_version: int


@dataclass(frozen=True)
class Row:
    """A saved copy: its checkpoint (`Authority.dump()`), the changes saved after it (to
    replay in order) and the position in its Redis log the whole includes (0 without)."""

    state: dict[str, Any]
    seq: int
    changes: list[LoggedChange] = field(default_factory=list)

    @property
    def checkpoint_version(self) -> int:
        return int(self.state["version"])

    @property
    def version(self) -> int:
        """The version after the changes are replayed."""
        return self.changes[-1].version if self.changes else self.checkpoint_version


# A write of one copy: its whole state (name, scope, state JSON, seq, version) or its changes
# since the last write ((name, scope, version, change JSON, seq) each).
Checkpoint = tuple[str, str, str, int, int]
ChangeRow = tuple[str, str, int, str, int]


class SyncDatabase:
    """The SQLite file of an app's synced stores; `open()` before use, `close()` after."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None  # the writer thread's
        self._reads: sqlite3.Connection | None = None  # the event loop's: loads
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
        db.executescript(_SCHEMA)
        columns = {row[1] for row in db.execute("PRAGMA table_info(stores)")}
        for column in ("seq", "version"):  # a file written before the column existed
            if column not in columns:
                db.execute(f"ALTER TABLE stores ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
        self._db = db
        # Loads read in a transaction of their own, on the loop's thread, while the writer
        # thread may be in the middle of one: a checkpoint and its changes as one commit left
        # them, never a checkpoint from before a commit and the changes from after it.
        reads = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        reads.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        self._reads = reads
        self._writer = asyncio.create_task(self._write_forever(), name="framework-sync-storage")

    def load(self, key: Key) -> Row | None:
        """The saved state of a copy, None if it was never saved."""
        return _read(self._connection(self._reads), key)

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
        for db in (self._db, self._reads):
            if db is not None:
                db.close()
        self._db = self._reads = None

    def _connection(self, db: sqlite3.Connection | None) -> sqlite3.Connection:
        if db is None:
            raise RuntimeError(f"the sync database {self.path} is not open")
        return db

    async def _write_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            checkpoints, changes = _rows(self._dirty)
            # the copies stay referenced (in memory) until their rows are written
            writing, self._dirty = self._dirty, {}
            waiting, self._waiting = self._waiting, []
            try:
                await asyncio.to_thread(self._write, checkpoints, changes)
            except Exception as error:  # noqa: BLE001 - each waiter learns the write failed
                _forget_saved(writing)
                for future in waiting:
                    if not future.done():
                        future.set_exception(error)
                continue
            for future in waiting:
                if not future.done():
                    future.set_result(None)
            del writing

    def _write(self, checkpoints: list[Checkpoint], changes: list[ChangeRow]) -> None:
        db = self._connection(self._db)
        with db:  # one transaction for the whole batch
            db.execute("BEGIN IMMEDIATE")  # take the write lock now (other processes wait)
            db.executemany(
                "INSERT INTO stores (name, scope, state, seq, version) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name, scope) DO UPDATE SET state = excluded.state, "
                "seq = excluded.seq, version = excluded.version WHERE excluded.seq >= stores.seq",
                checkpoints,
            )
            # the changes a checkpoint holds are not needed any more (with Redis, another
            # process's later checkpoint may have won: only what it holds goes)
            db.executemany(
                "DELETE FROM store_changes WHERE name = ? AND scope = ? AND version <= "
                "(SELECT version FROM stores WHERE name = ? AND scope = ?)",
                [(name, scope, name, scope) for name, scope, *_ in checkpoints],
            )
            # several processes (Redis) write the same changes: they are the same, one stays
            db.executemany(
                "INSERT OR IGNORE INTO store_changes (name, scope, version, change, seq) "
                "VALUES (?, ?, ?, ?, ?)",
                changes,
            )


def read_saved(path: Path, name: str, shape: Shape, scope: str = "") -> tuple[int, Json] | None:
    """The version and value a file holds of a copy of a store (`scope`: an identity, or ''
    for a shared store; `shape`: the store's, `framework.sync.schema.shape_of(schema)`), as a
    restarted server would load it, but not validated; None if it was never saved. For tools
    and tests that read the file of a stopped server."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        row = _read(db, (name, scope))
    if row is None:
        return None
    authority = Authority.load(row.state, name, shape)
    for change in row.changes:
        authority.replay(change)
    return authority.version, authority.value


def _read(db: sqlite3.Connection, key: Key) -> Row | None:
    """A copy's checkpoint and the changes saved after it, read in one transaction."""
    with db:
        db.execute("BEGIN")
        query = "SELECT state, seq FROM stores WHERE name = ? AND scope = ?"
        row = db.execute(query, key).fetchone()
        if row is None:
            return None
        state: dict[str, Any] = json.loads(row[0])
        found = db.execute(
            "SELECT version, change, seq FROM store_changes "
            "WHERE name = ? AND scope = ? AND version > ? ORDER BY version",
            (*key, state["version"]),
        ).fetchall()
    changes: list[LoggedChange] = []
    seq = row[1]
    for version, change, change_seq in found:
        if version != state["version"] + len(changes) + 1:
            break  # not written by this module: replay what follows the checkpoint only
        client, mutation, ops = json.loads(change)
        changes.append(LoggedChange(version, client, mutation, ops))
        seq = max(seq, change_seq)
    return Row(state, seq, changes)


# Functions of their own, not loops in the writer: a loop variable left in the writer's frame
# would hold the last copy in memory while the writer waits (an idle copy must leave memory).
def _rows(dirty: dict[Key, Saved]) -> tuple[list[Checkpoint], list[ChangeRow]]:
    checkpoints: list[Checkpoint] = []
    changes: list[ChangeRow] = []
    for key, copy in dirty.items():
        _rows_of(key, copy, checkpoints, changes)
    return checkpoints, changes


def _forget_saved(failed: dict[Key, Saved]) -> None:
    for copy in failed.values():
        copy.checkpoint_version = None  # what the file holds is unknown: the next save is whole


def _rows_of(
    key: Key, copy: Saved, checkpoints: list[Checkpoint], changes: list[ChangeRow]
) -> None:
    """What a save of this copy writes: the changes since its last save, or its whole state
    when the file's copy is unknown, the log no longer holds what was not saved, or the
    changes since the checkpoint outnumber the store's items."""
    authority = copy.authority
    since = authority.changes_since(copy.saved_version)
    checkpoint = copy.checkpoint_version
    if (
        since is None
        or checkpoint is None
        or authority.version - checkpoint >= max(CHECKPOINT_EVERY, authority.size)
    ):
        state = json.dumps(authority.dump(), separators=(",", ":"))
        checkpoints.append((*key, state, copy.seq, authority.version))
        copy.checkpoint_version = authority.version
    else:
        for change in since:
            text = json.dumps(
                [change.client, change.mutation, change.ops],
                separators=(",", ":"),
                ensure_ascii=False,
            )
            changes.append((*key, change.version, text, copy.seq))
    copy.saved_version = authority.version


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
