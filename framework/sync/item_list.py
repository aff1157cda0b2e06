"""A list store's value on the server, kept by id: a mutation costs what it touches.

`deltas.apply_each` builds a new list from the old one for every mutation, which is right for a
client (its value is a list its Store hands out) but makes the server's cost per mutation grow
with the store: 34 ms for one new item in a 10,000-item list, measured (benchmarks/RESULTS.md).
Here the items live in a dict by id and their order in a list of ids; a `put`, `set` or `delete`
changes one entry of each, and the list the rest of the server reads (`value`) is rebuilt only
when someone reads it after a change (a snapshot, a save, server code).

The ops mean exactly what they mean in `deltas.apply_each` (tests/unit/test_sync_item_list.py
replays random ops through both). A mutation is applied whole or not at all: `apply` returns
an `Undo` that puts everything back, for a mutation whose result does not validate.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

from framework.sync.deltas import ItemId, Json, Op, Shape, check_op, insert_after

__all__ = ["ItemList", "Undo"]

Item = dict[str, Json]


class Undo:
    """What puts an `ItemList` back as it was before one `apply`, step by step in reverse."""

    def __init__(self) -> None:
        self._steps: list[tuple[Any, ...]] = []

    def record(self, *step: Any) -> None:
        self._steps.append(step)

    def run(self, target: ItemList) -> None:
        for step in reversed(self._steps):
            target._revert(step)
        self._steps.clear()
        target._list = None


class ItemList:
    """The items of a list store by id, and their order."""

    def __init__(self, items: list[Item], shape: Shape) -> None:
        # a value that passed `deltas.diff(value, value, shape)`: ids unique, str or int
        self.shape = shape
        self._items: dict[ItemId, Item] = {item[shape.id_field]: item for item in items}
        self._order: list[ItemId] = list(self._items)
        self._list: list[Item] | None = items

    @property
    def value(self) -> list[Item]:
        """The items in order, as a list (the same list until the next change)."""
        if self._list is None:
            items = self._items
            self._list = [items[key] for key in self._order]
        return self._list

    def __len__(self) -> int:
        return len(self._order)

    def get(self, key: ItemId) -> Item | None:
        return self._items.get(key)

    def replace(self, key: ItemId, item: Item) -> None:
        """Put a present item's canonical form in its place (validation reshaped it)."""
        self._items[key] = item
        self._list = None

    def apply(
        self, ops: Sequence[Op], tombstones: Container[Any] = ()
    ) -> tuple[list[Op | None], Undo]:
        """Apply the ops in place; for each, what it did (None: dropped), as `apply_each`
        says; and the Undo of all of it. The ops are checked first: a malformed op raises
        DeltaError with nothing applied."""
        for op in ops:
            check_op(op, self.shape)
        undo = Undo()
        done = [self._apply_one(op, tombstones, undo) for op in ops]
        self._list = None
        return done, undo

    def _apply_one(self, op: Op, tombstones: Container[Any], undo: Undo) -> Op | None:
        name, key = op["op"], op["id"]
        items, order = self._items, self._order
        if name == "put":
            return self._put(op, tombstones, undo)
        if key not in items:
            return None  # set, move or delete of an item that is not there
        if name == "set":
            undo.record("item", key, items[key])
            items[key] = {**items[key], **op["fields"]}
            return op
        index = order.index(key)
        del order[index]
        if name == "delete":
            undo.record("deleted", key, items.pop(key), index)
            return op
        undo.record("moved", key, index)
        return {**op, "after": insert_after(self._order, key, op["after"])}

    def _put(self, op: Op, tombstones: Container[Any], undo: Undo) -> Op | None:
        key, items = op["id"], self._items
        if key in items:  # in its place
            undo.record("item", key, items[key])
            items[key] = op["item"]
            return op
        if key in tombstones:
            return None  # deleted on the server: it stays deleted
        after = insert_after(self._order, key, op["after"])
        undo.record("added", key)
        items[key] = op["item"]
        return {**op, "after": after}

    def _revert(self, step: tuple[Any, ...]) -> None:
        kind, key = step[0], step[1]
        if kind == "item":
            self._items[key] = step[2]
        elif kind == "added":
            del self._items[key]
            self._order.remove(key)
        elif kind == "deleted":
            self._items[key] = step[2]
            self._order.insert(step[3], key)
        else:  # moved
            self._order.remove(key)
            self._order.insert(step[2], key)
