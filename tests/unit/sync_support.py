"""A server and its clients joined by message queues, for the sync tests.

Every message crosses as JSON text (`encode`, then `parse_client` / `parse_server`), one queue
per direction per client, delivered one at a time in the order the test (or a random schedule)
chooses. A disconnect drops the connection as a dying WebSocket does: of the messages on their
way to the server, the first `delivered` arrive (in order) and the rest are lost; what was on
its way to the client is lost. The server side does what a transport will do: a hello registers
the connection and gets `Authority.hello`'s answer, a push's changes go to every connected
client, its ack and errors to the pusher.
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from framework.sync import (
    LIST,
    Authority,
    Hello,
    Replica,
    Shape,
    encode,
    parse_client,
    parse_server,
)
from framework.sync.messages import ClientMessage, ServerMessage
from framework.sync.schema import item_validator, json_validator


class Todo(BaseModel):
    id: str
    title: str = Field(max_length=40)
    completed: bool = False


validate_todos = json_validator(list[Todo])
validate_todo = item_validator(list[Todo])  # what the server uses after each mutation
STORE = "todos"


def todo(key: str, title: str = "", completed: bool = False) -> dict[str, Any]:
    return {"id": key, "title": title or key, "completed": completed}


class Network:
    def __init__(
        self,
        value: Any,
        clients: tuple[str, ...] = ("a", "b"),
        *,
        shape: Shape = LIST,
        validate: Callable[[Any], Any] | None = validate_todos,
        log_length: int = 1_000,
        max_pending: int = 100,
    ) -> None:
        self.shape = shape
        self.max_pending = max_pending
        # as the server does for list[Todo]: each mutation validates the items it wrote
        per_item = validate_todo if validate is validate_todos and shape == LIST else None
        self.server = Authority(
            STORE, shape, value, validate=validate, validate_item=per_item, log_length=log_length
        )
        self.replicas = {
            name: Replica(STORE, shape, value, client=f"client-{name}", max_pending=max_pending)
            for name in clients
        }
        self.up: dict[str, deque[str]] = {name: deque() for name in clients}
        self.down: dict[str, deque[str]] = {name: deque() for name in clients}
        self.connected: set[str] = set()  # connections the server knows (hello processed)
        self.received: dict[str, list[ServerMessage]] = {name: [] for name in clients}
        self.resent = 0  # mutations that reached the server again (skipped there)

    # -- the client side ---------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        return self.replicas[name].value

    def edit(self, name: str, change: Callable[[Any], Any]) -> None:
        replica = self.replicas[name]
        self._send(name, replica.edit(change(replica.value)))

    def connect(self, name: str) -> None:
        self._send(name, self.replicas[name].connect())

    def disconnect(self, name: str, delivered: int = 0) -> None:
        """Close the connection after the server got the next `delivered` messages."""
        for _ in range(min(delivered, len(self.up[name]))):
            self.deliver_up(name)
        self.up[name].clear()
        self.connected.discard(name)
        self.down[name].clear()
        self.replicas[name].disconnect()

    def reload(self, name: str, delivered: int = 0) -> None:
        """A page reload: the socket closes, the state comes back from its saved JSON."""
        saved = json.loads(json.dumps(self.replicas[name].dump()))
        self.disconnect(name, delivered)
        self.replicas[name] = Replica.load(saved, STORE, self.shape, max_pending=self.max_pending)

    def _send(self, name: str, messages: list[ClientMessage]) -> None:
        self.up[name].extend(encode(message) for message in messages)

    # -- delivering ----------------------------------------------------------------------------------

    def deliver_up(self, name: str) -> None:
        self._serve(name, self.up[name].popleft())

    def deliver_down(self, name: str) -> None:
        message = parse_server(self.down[name].popleft())
        self.received[name].append(message)
        self._send(name, self.replicas[name].receive(message))

    def settle(self) -> None:
        """Deliver everything, in both directions, until nothing is on its way."""
        while any(self.up.values()) or any(self.down.values()):
            for name in self.replicas:
                while self.up[name]:
                    self.deliver_up(name)
                while self.down[name]:
                    self.deliver_down(name)

    def sync(self, *names: str) -> None:
        """Connect the named clients (all when none is named) and settle."""
        for name in names or tuple(self.replicas):
            self.connect(name)
        self.settle()

    # -- the server side ------------------------------------------------------------------------------

    def _serve(self, name: str, text: str) -> None:
        message = parse_client(text)
        client = self.replicas[name].client
        if isinstance(message, Hello):
            self.connected.add(name)
            self.down[name].extend(encode(m) for m in self.server.hello(client, message.version))
            return
        processed = self.server.ack(client).mutation
        self.resent += sum(mutation.id <= processed for mutation in message.mutations)
        result = self.server.push(client, message.mutations)
        if result.changes is not None:
            self.broadcast(encode(result.changes))
        if name in self.connected:
            self.down[name].extend(encode(m) for m in [*result.errors, result.ack])

    def broadcast(self, text: str) -> None:
        for name in self.connected:
            self.down[name].append(text)

    def server_update(self, change: Callable[[Any], Any]) -> None:
        """Server code writes the store."""
        changes = self.server.update(change)
        if changes is not None:
            self.broadcast(encode(changes))

    def converged(self) -> bool:
        return all(
            replica.value == self.server.value
            and replica.version == self.server.version
            and not replica.pending
            for replica in self.replicas.values()
        )


def ids(value: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in value]


def pick(rng: random.Random, items: list[Any]) -> Any:
    return items[rng.randrange(len(items))]
