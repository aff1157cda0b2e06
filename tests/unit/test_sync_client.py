"""The page's sync session: reconnect with backoff and jitter, close codes, resume, one
connection for every store (over framework.sync.memory's in-memory server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from framework.sync import LIST, Authority, Replica
from framework.sync.client import (
    CLOSE_POLICY,
    CLOSE_RELOAD,
    Backoff,
    SyncClient,
    retry_every_session_now,
    set_sync_transport,
)
from framework.sync.memory import MemoryServer

from .clock_support import Clock


def todo(key: str) -> dict[str, Any]:
    return {"id": key, "title": key, "completed": False}


def world(*stores: str) -> tuple[MemoryServer, Clock]:
    return MemoryServer({name: Authority(name, LIST, []) for name in stores}), Clock()


def session(
    server: MemoryServer, clock: Clock, draw: Callable[[], float] = lambda: 1.0
) -> SyncClient:
    return SyncClient(transport=server, timer=clock, draw=draw)


@pytest.mark.parametrize("draw", [0.0, 0.3, 0.999])
@pytest.mark.parametrize("attempt", [0, 1, 4, 10, 60])
def test_the_backoff_is_full_jitter_under_an_exponential_ceiling_and_a_cap(
    attempt: int, draw: float
) -> None:
    backoff = Backoff(base=0.5, cap=30.0)
    ceiling = min(30.0, 0.5 * 2**attempt)
    assert backoff.delay(attempt, 1006, lambda: draw) == pytest.approx(draw * ceiling)


def test_failed_connections_wait_longer_each_time_up_to_the_cap() -> None:
    server, clock = world("todos")
    server.online = False
    client = session(server, clock)
    client.add(Replica("todos", LIST, [], client="c"), lambda: None)
    for _ in range(9):
        server.deliver()
        clock.advance(60)
    assert client.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


@pytest.mark.parametrize(
    ("code", "smallest", "largest"),
    [
        pytest.param(CLOSE_POLICY, 30.0, 30.0, id="1008-rate-limited-waits-long"),
        pytest.param(CLOSE_RELOAD, 0.0, 0.5, id="1012-server-reloaded-comes-back-soon"),
    ],
)
def test_close_codes_set_the_wait(code: int, smallest: float, largest: float) -> None:
    server, clock = world("todos")
    client = session(server, clock, draw=lambda: 0.1)
    client.add(Replica("todos", LIST, [], client="c"), lambda: None)
    server.deliver()
    client.attempt = 3  # as if it had failed before
    server.drop(code)
    assert smallest <= client.delays[-1] <= largest


def test_a_stable_connection_resets_the_backoff() -> None:
    server, clock = world("todos")
    client = session(server, clock)
    client.add(Replica("todos", LIST, [], client="c"), lambda: None)
    server.deliver()
    server.drop()
    clock.advance(60)
    server.deliver()
    assert client.attempt == 1
    clock.advance(client.backoff.stable)
    assert client.attempt == 0


def test_every_store_shares_one_connection_and_resumes_from_its_version() -> None:
    server, clock = world("todos", "done")
    client = session(server, clock)
    todos, done = (Replica(name, LIST, [], client="c") for name in ("todos", "done"))
    client.add(todos, lambda: None)
    client.add(done, lambda: None)
    server.deliver()
    client.send(todos.edit([todo("1")]))
    server.deliver()
    assert server.connected == 1 and todos.version == 1 and done.version == 0
    server.drop()
    client.send(todos.edit([todo("1"), todo("2")]))  # offline: kept, sent on reconnect
    server.stores["todos"].update(lambda items: [*items, todo("s")])
    clock.advance(60)
    server.deliver()
    assert todos.value == server.stores["todos"].value
    assert sorted(item["id"] for item in todos.value) == ["1", "2", "s"]
    assert todos.pending_count == 0


def test_back_online_skips_the_backoff_and_cancels_the_waiting_retry() -> None:
    server, clock = world("todos")
    client = session(server, clock)
    replica = Replica("todos", LIST, [], client="c")
    client.add(replica, lambda: None)
    server.deliver()
    server.drop()
    assert client.delays == [0.5] and server.connected == 0
    retry_every_session_now()  # the device is back online (the browser's `online` event)
    server.deliver()
    assert client.open and server.connected == 1 and len(server.urls) == 2
    clock.advance(60)  # the cancelled retry does not open a second connection
    server.deliver()
    assert server.connected == 1 and len(server.urls) == 2


def test_retry_now_while_connected_or_closed_does_nothing() -> None:
    server, clock = world("todos")
    client = session(server, clock)
    client.add(Replica("todos", LIST, [], client="c"), lambda: None)
    server.deliver()
    client.retry_now()
    client.close()
    client.retry_now()
    server.deliver()
    assert len(server.urls) == 1 and not client.open


def test_without_a_transport_the_session_stays_offline() -> None:
    previous = set_sync_transport(None)
    try:
        client = SyncClient(timer=Clock())
        replica = Replica("todos", LIST, [], client="c")
        client.add(replica, lambda: None)
        assert client.send(replica.edit([todo("1")])) is None
        assert not client.open and replica.pending_count == 1
    finally:
        set_sync_transport(previous)
