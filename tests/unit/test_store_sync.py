"""Store(..., server=name): a Store synced with the app's server, over the in-memory server.

Each "device" is its own storage, sync session and Store; one MemoryServer (Authority-backed)
serves them all. `deliver()` moves the network; `clock.advance` runs the reconnect timers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field

from framework.reactive import effect, flush
from framework.storage.memory import MemoryStorage
from framework.store import Store
from framework.store_sync import SYNC_SUFFIX, SyncStatus
from framework.sync import LIST, Authority
from framework.sync.client import SyncClient
from framework.sync.memory import MemoryServer
from framework.sync.schema import json_validator

from .clock_support import Clock


class Todo(BaseModel):
    id: str
    title: str = Field(max_length=40)
    completed: bool = False


class World:
    def __init__(self, value: list[dict[str, Any]] | None = None) -> None:
        authority = Authority("todos", LIST, value or [], validate=json_validator(list[Todo]))
        self.server = MemoryServer({"todos": authority})
        self.clock = Clock()

    def device(self, storage: MemoryStorage | None = None) -> Device:
        return Device(self, storage or MemoryStorage(persistent=True))

    def deliver(self) -> None:
        self.server.deliver()
        flush()

    def reconnect(self) -> None:
        """Network back: every waiting client retries (longest backoff is under a minute)."""
        self.deliver()  # failed connections report their close
        self.server.online = True
        self.clock.advance(60)
        self.deliver()

    def offline(self) -> None:
        self.server.online = False
        self.server.drop()


class Device:
    def __init__(self, world: World, storage: MemoryStorage) -> None:
        self.storage = storage
        self.client = SyncClient(transport=world.server, timer=world.clock, draw=lambda: 0.5)
        self.store: Store[list[Todo]] = Store(
            "todos", list[Todo], backend=storage, server="todos", sync_client=self.client
        )

    def titles(self) -> list[str]:
        return [todo.title for todo in self.store.value]

    def add(self, key: str, title: str = "") -> None:
        self.store.update(lambda items: [*items, Todo(id=key, title=title or key)])
        flush()

    def rename(self, key: str, title: str) -> None:
        self.store.update(
            lambda items: [
                t.model_copy(update={"title": title}) if t.id == key else t for t in items
            ]
        )
        flush()

    def quit(self) -> None:
        """The page goes away (a reload or a crash): nothing more is sent."""
        self.store.close()
        self.client.close()


def test_an_add_on_one_device_reaches_the_other() -> None:
    world = World()
    a, b = world.device(), world.device()
    world.deliver()
    a.add("1", "milk")
    world.deliver()
    assert b.titles() == ["milk"] and a.titles() == ["milk"]
    assert world.server.stores["todos"].value == [{"id": "1", "title": "milk", "completed": False}]
    assert str(a.store.status) == str(b.store.status) == "synced"


def test_a_server_change_re_renders_the_store() -> None:
    world = World()
    a = world.device()
    world.deliver()
    seen: list[list[str]] = []
    effect(lambda: seen.append([t.title for t in a.store.value]))
    world.server.commit_update("todos", lambda items: [*items, {"id": "s", "title": "from server"}])
    world.deliver()
    assert seen[-1] == ["from server"]


def test_offline_edits_on_both_devices_converge_by_the_rule() -> None:
    world = World([{"id": "1", "title": "milk", "completed": False}])
    a, b = world.device(), world.device()
    world.deliver()
    world.offline()
    a.add("a", "from a")
    a.rename("1", "milk (a)")
    b.add("b", "from b")
    b.rename("1", "milk (b)")
    assert a.store.status == SyncStatus("offline", 2)
    world.reconnect()
    # both adds are kept; the same field written on both sides: server order decides (a
    # reconnected first, so b's write came later and wins)
    assert a.titles() == b.titles()
    assert sorted(a.titles()) == ["from a", "from b", "milk (b)"]
    assert a.store.status == b.store.status == SyncStatus("synced")


def test_an_item_deleted_offline_on_one_device_and_edited_on_the_other_stays_deleted() -> None:
    world = World([{"id": "1", "title": "milk", "completed": False}])
    a, b = world.device(), world.device()
    world.deliver()
    world.offline()
    a.store.value = []
    flush()
    b.rename("1", "milk, edited")
    world.reconnect()
    assert a.titles() == b.titles() == []
    assert world.server.stores["todos"].value == []


def test_a_reload_while_offline_loses_no_pending_edit() -> None:
    world = World()
    a = world.device()
    world.deliver()
    world.offline()
    a.add("1", "one")
    a.add("2", "two")
    saved = json.loads(a.storage.get_item("todos" + SYNC_SUFFIX) or "null")
    assert len(saved["pending"]) == 2  # written before any push was attempted
    a.quit()
    reloaded = world.device(a.storage)
    assert reloaded.titles() == ["one", "two"]
    assert reloaded.store.status == SyncStatus("offline", 2)
    world.reconnect()
    assert [t["title"] for t in world.server.stores["todos"].value] == ["one", "two"]
    assert reloaded.store.status == SyncStatus("synced")


def test_status_goes_offline_pending_synced() -> None:
    world = World()
    a = world.device()
    seen: list[str] = []
    effect(lambda: seen.append(str(a.store.status)))
    world.deliver()
    a.add("1")
    world.deliver()
    assert seen == ["offline", "synced", "pending 1", "synced"]


def test_a_static_build_with_no_server_stays_offline_and_works_locally() -> None:
    world = World()
    world.server.online = False
    a = world.device()
    world.deliver()
    a.add("1", "local")
    world.clock.advance(600)
    world.deliver()
    assert a.titles() == ["local"]
    assert a.store.status == SyncStatus("offline", 1)
    assert json.loads(a.storage.get_item("todos") or "")["data"][0]["title"] == "local"


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        pytest.param({"id": "x", "title": "t" * 41}, "at most 40", id="too-long"),
        pytest.param({"id": "x", "title": "ok", "extra": 1}, "does not have", id="unknown-field"),
    ],
)
def test_an_invalid_value_from_the_server_is_refused_and_reported(
    bad: dict[str, Any], why: str
) -> None:
    world = World()
    world.server.stores["todos"]._validate = None  # a server that lets anything through
    a = world.device()
    world.deliver()
    world.server.commit_update("todos", lambda items: [*items, bad])
    world.deliver()
    assert a.titles() == []
    status = a.store.status
    assert status is not None and status.state == "error" and why in (status.message or "")


def test_a_store_without_server_has_no_status_and_no_sync_key() -> None:
    storage = MemoryStorage(persistent=True)
    store = Store("todos", list[Todo], backend=storage)
    store.value = [Todo(id="1", title="a")]
    store.save()
    assert store.status is None
    assert storage.keys() == ["todos"]


def test_the_newest_tab_syncs_and_an_older_tab_follows() -> None:
    world = World()
    first = world.device()
    world.deliver()
    second = world.device(first.storage.another_tab())
    world.deliver()
    first.add("1", "typed in the older tab")
    world.deliver()
    status = first.store.status
    assert (
        status is not None and status.state == "offline" and "another tab" in (status.message or "")
    )
    assert [t["title"] for t in world.server.stores["todos"].value] == ["typed in the older tab"]
    assert second.titles() == ["typed in the older tab"]


def test_a_change_no_delta_can_say_is_undone_and_reported() -> None:
    world = World()
    a = world.device()
    world.deliver()
    a.add("1", "one")
    a.add("1", "same id")
    assert a.titles() == ["one"]
    world.deliver()
    status = a.store.status
    assert (
        status is not None
        and status.state == "error"
        and "cannot be synced" in (status.message or "")
    )
    assert a.titles() == ["one"]
    assert [t["title"] for t in world.server.stores["todos"].value] == ["one"]


def test_a_store_the_server_does_not_have_reports_it() -> None:
    world = World()
    client = SyncClient(transport=world.server, timer=world.clock)
    store = Store("notes", list[Todo], backend=MemoryStorage(), server="notes", sync_client=client)
    world.deliver()
    status = store.status
    assert (
        status is not None
        and status.state == "error"
        and "no synced store" in (status.message or "")
    )


def test_unusable_saved_sync_state_is_set_aside_and_reported() -> None:
    world = World()
    storage = MemoryStorage(persistent=True)
    storage.set_item("todos" + SYNC_SUFFIX, '{"format": 99}')
    a = world.device(storage)
    status = a.store.status
    assert status is not None and status.state == "error"
    assert "todos.sync.quarantine" in (status.message or "")
    assert storage.get_item("todos.sync.quarantine") == '{"format": 99}'
