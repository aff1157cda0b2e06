"""Synced stores in their SQLite file (framework/server/storage.py), through a real file: a
restarted server finds exactly what it acknowledged, whether it was saved as a checkpoint or as
the changes after one; a save between checkpoints writes only what changed; a failed write is
followed by a whole one; a file from before the changes table still loads."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from framework.server import SyncServer
from framework.server.storage import CHECKPOINT_EVERY, SyncDatabase, read_saved
from framework.server.sync import StoreCopy
from framework.sync import Mutation
from framework.sync.schema import shape_of


class Item(BaseModel):
    id: str
    title: str
    done: bool = False


def put(key: str, title: str = "t") -> dict[str, Any]:
    return {
        "op": "put",
        "id": key,
        "item": {"id": key, "title": title, "done": False},
        "after": None,
    }


def make_sync(database: Path) -> SyncServer:
    sync = SyncServer(database=database)
    sync.store("board", list[Item], shared=True)
    return sync


async def pushed(copy: StoreCopy, client: str, mutations: list[Mutation]) -> None:
    """A client's push as the server handles it: applied, then saved before any ack."""
    copy.authority.push(client, mutations)
    await copy.save()


def rows(database: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


async def restarted(database: Path) -> StoreCopy:
    sync = make_sync(database)
    sync._database = SyncDatabase(database)
    sync._database.open()
    return sync.stores["board"].copy_for("")


@pytest.mark.parametrize("edits", [3, CHECKPOINT_EVERY + 10, 2 * CHECKPOINT_EVERY + 1])
def test_a_restart_finds_what_was_acknowledged(tmp_path: Path, edits: int) -> None:
    database = tmp_path / "sync.sqlite3"

    async def scenario() -> None:
        sync = make_sync(database)
        async with sync.running():
            copy = sync.stores["board"].copy_for("")
            for n in range(1, edits + 1):
                ops = [put(f"i{n}", f"edit {n}")]
                if n % 3 == 0:
                    ops.append({"op": "delete", "id": f"i{n - 1}"})
                await pushed(copy, "c", [Mutation(n, ops)])
            expected = copy.authority.dump()
            since = max(0, copy.version - 5)
            expected_pull = copy.authority.pull(since)
        again = await restarted(database)
        assert again.authority.dump() == expected  # value, version, log, clients, tombstones
        assert again.authority.pull(since) == expected_pull  # a client resumes without a snapshot
        resend = again.authority.push("c", [Mutation(edits, [put("x")])])
        assert resend.changes is None  # applied before the restart: not applied twice
        late = again.authority.push("d", [Mutation(1, [put(f"i{edits - 1}")])])
        if edits % 3 == 0:  # deleted before the restart: it stays deleted
            assert late.changes is not None and late.changes.changes[0].ops == []
        assert read_saved(database, "board", shape_of(list[Item])) == (
            expected["version"],
            expected["value"],
        )

    asyncio.run(scenario())


def test_a_save_between_checkpoints_writes_only_the_change(tmp_path: Path) -> None:
    database = tmp_path / "sync.sqlite3"

    async def scenario() -> None:
        sync = make_sync(database)
        async with sync.running():
            copy = sync.stores["board"].copy_for("")
            await pushed(copy, "c", [Mutation(1, [put(f"i{n}") for n in range(500)])])
            (checkpoint,) = rows(database, "stores")
            await pushed(copy, "c", [Mutation(2, [put("new")])])
            assert rows(database, "stores") == [checkpoint]  # the 500 items are not written again
            (change,) = rows(database, "store_changes")
            assert json.loads(change[3]) == ["c", 2, [put("new") | {"after": None}]]

    asyncio.run(scenario())


def test_after_a_failed_write_the_next_save_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "sync.sqlite3"
    write = SyncDatabase._write

    def failing_once(self: SyncDatabase, *rows: Any) -> None:
        monkeypatch.setattr(SyncDatabase, "_write", write)
        raise sqlite3.OperationalError("disk I/O error")

    async def scenario() -> None:
        sync = make_sync(database)
        async with sync.running():
            copy = sync.stores["board"].copy_for("")
            await pushed(copy, "c", [Mutation(1, [put("a")])])
            monkeypatch.setattr(SyncDatabase, "_write", failing_once)
            with pytest.raises(sqlite3.OperationalError):  # its client gets no ack
                await pushed(copy, "c", [Mutation(2, [put("b")])])
            await pushed(copy, "c", [Mutation(3, [put("c")])])
            expected = copy.authority.dump()
        assert (await restarted(database)).authority.dump() == expected  # "b" too

    asyncio.run(scenario())


def test_a_file_from_before_the_changes_table_loads(tmp_path: Path) -> None:
    database = tmp_path / "sync.sqlite3"
    state = {
        "format": 1,
        "version": 1,
        "value": [{"id": "a", "title": "t", "done": False}],
        "log": [[1, "c", 1, [put("a")]]],
        "clients": {"c": 1},
        "tombstones": [],
    }
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE stores (name TEXT, scope TEXT, state TEXT, PRIMARY KEY (name, scope))"
        )
        db.execute("INSERT INTO stores VALUES ('board', '', ?)", (json.dumps(state),))

    async def scenario() -> None:
        sync = make_sync(database)
        async with sync.running():
            copy = sync.stores["board"].copy_for("")
            assert copy.authority.dump() == state
            await pushed(copy, "c", [Mutation(2, [put("b")])])
            expected = copy.authority.dump()
        assert (await restarted(database)).authority.dump() == expected

    asyncio.run(scenario())
