"""A connection's outgoing queue (framework/server/connection.py), with a socket that writes
only when the test lets it: changes queued while a write is under way go out joined in one
message, in order, never past an ack between them, never with a gap of versions, and never over
the client's message limit."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

import pytest

from framework.server import SyncLimits
from framework.server.connection import Connection, QueuedChange
from framework.sync import Ack, Change, Changes, Limits, encode, parse_server
from framework.sync.messages import encode_change


class HeldSocket:
    """A WebSocket whose writes wait until `release()`; what was written, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.open = asyncio.Event()

    async def send_text(self, text: str) -> None:
        await self.open.wait()
        self.sent.append(text)

    def release(self) -> None:
        self.open.set()


def queued(store: str, version: int, title: str = "milk") -> QueuedChange:
    ops = [
        {"op": "put", "id": str(version), "item": {"id": str(version), "t": title}, "after": None}
    ]
    change = Change(version, ops)
    return QueuedChange(store, version, encode_change(change))


def versions(text: str) -> list[int] | str:
    """The versions a changes message carries, or the type of any other message."""
    message = parse_server(text)
    if isinstance(message, Changes):
        return [change.version for change in message.changes]
    return message.type


DEFAULT_LIMITS = SyncLimits()


async def sent_after(
    queue: list[QueuedChange | str], limits: SyncLimits = DEFAULT_LIMITS
) -> list[str]:
    """What the socket gets when the first entry is being written while the rest is queued."""
    socket = HeldSocket()
    server = SimpleNamespace(limits=limits)
    connection = Connection(cast(Any, socket), "someone", cast(Any, server))
    sender = asyncio.create_task(connection._send_forever())
    for entry in queue:
        if isinstance(entry, str):
            connection.send(entry)
        else:
            connection.send_changes([entry])
        await asyncio.sleep(0)  # the sender takes the first entry and waits on the socket
    socket.release()
    while connection._queue:
        await asyncio.sleep(0.001)
    sender.cancel()
    assert connection._queued_bytes == 0
    return socket.sent


ACK = encode(Ack("board", 3, 3))

CASES = {
    "changes queued meanwhile go out as one message": (
        [queued("board", v) for v in (1, 2, 3, 4)],
        [[1], [2, 3, 4]],
    ),
    "an ack between changes ends the message: the client learns it after its change": (
        [queued("board", 1), queued("board", 2), queued("board", 3), ACK, queued("board", 4)],
        [[1], [2, 3], "ack", [4]],
    ),
    "a gap of versions (a hello's answer went between) starts a new message": (
        [queued("board", 1), queued("board", 2), queued("board", 7), queued("board", 8)],
        [[1], [2], [7, 8]],
    ),
    "another store's changes are another message": (
        [queued("board", 1), queued("board", 2), queued("chat", 3), queued("board", 3)],
        [[1], [2], [3], [3]],
    ),
}


@pytest.mark.parametrize(("queue", "expected"), CASES.values(), ids=CASES.keys())
def test_queued_changes_are_joined_in_order(
    queue: list[QueuedChange | str], expected: list[Any]
) -> None:
    sent = asyncio.run(sent_after(queue))
    assert [versions(text) for text in sent] == expected


def test_joined_messages_stay_within_the_client_s_message_limit() -> None:
    limits = SyncLimits(protocol=Limits(max_message_bytes=2_000))
    queue: list[QueuedChange | str] = [queued("board", v, "é" * 40) for v in range(1, 201)]
    sent = asyncio.run(sent_after(queue, limits))
    carried = [versions(text) for text in sent]
    assert [v for message in carried for v in message] == list(range(1, 201))
    assert len(sent) < 200 / 3  # joined, several to a message
    for text in sent:  # the client, with the same limit, takes every one of them
        assert len(text.encode()) <= limits.protocol.max_message_bytes
        parse_server(text, limits.protocol)
