"""A client's copy of one synced store: optimistic local edits on top of the server's value.

A replica holds:

* the **confirmed** value and its version: the server's value as of the last change received;
* the **pending** mutations, in order: local edits (id, ops) the server has not yet processed;
* the **visible** value (`value`): the confirmed value with the pending mutations applied on top.
  This is what the app shows and edits.

A local edit (`edit(new_value)`) becomes a pending mutation of the smallest ops that make it
(`framework.sync.deltas.diff`) and is pushed at once when online. Changes from the server advance
the confirmed value; an ack drops the pending mutations the server processed (applied or
refused); the mutations still pending are then rebased: applied again on the new confirmed
value, where an op on an item deleted meanwhile is dropped (the conflict rule), and a mutation
left with no op is dropped. Since every replica applies the server's changes in the server's
order, everyone converges to the server's value once the pending mutations are processed.

The replica is sans-IO: its methods return the messages to send, and `receive` takes the
messages that arrive. `connect()` after each (re)connection sends a hello with the confirmed
version (the server answers with what was missed, or a snapshot) and resends every pending
mutation (the server skips the ones it already processed). While offline, edits accumulate;
past `max_pending`, the ones not yet sent are squashed into one mutation (their net change),
so the queue stays bounded and nothing is lost.

`dump()` is the whole state as JSON data, `Replica.load` restores it: saved after every edit
(before its push is sent), a reload or a crash while offline loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from framework.sync.deltas import DeltaError, Json, Shape, apply, apply_each, check_op, diff
from framework.sync.messages import (
    DEFAULT_LIMITS,
    Ack,
    Changes,
    ClientMessage,
    ErrorMessage,
    Hello,
    Limits,
    Mutation,
    Push,
    ServerMessage,
    Snapshot,
)

__all__ = ["Replica", "ReplicaStateError"]

DUMP_FORMAT = 1


class ReplicaStateError(ValueError):
    """Saved replica state that cannot be loaded (not from `Replica.dump`, or another store)."""


class Replica:
    """One client's copy of one store; see the module docstring."""

    def __init__(
        self,
        store: str,
        shape: Shape,
        value: Json,
        *,
        client: str,
        version: int | None = None,
        max_pending: int = 100,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        if max_pending < 1:
            raise ValueError(f"max_pending must be 1 or more, not {max_pending}")
        diff(value, value, shape)  # a value that does not fit the shape fails here
        self.store = store
        self.shape = shape
        self.client = client
        self.confirmed: Json = value
        self.version = version  # None: never synced
        self.value: Json = value
        self.max_pending = max_pending
        self.limits = limits
        self.online = False
        self.last_error: ErrorMessage | None = None
        self._pending: list[Mutation] = []
        self._next_id = 1
        self._sent_through = 0  # the last mutation id sent on this connection
        self._pushed_through = 0  # the last mutation id ever sent (saved: a reload keeps it)
        self._ack: Ack | None = None  # an ack for a version not received yet
        self._resuming = False  # a hello is on its way: changes that do not follow are ignored

    @property
    def pending(self) -> tuple[Mutation, ...]:
        return tuple(self._pending)

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    # -- local edits -------------------------------------------------------------------------------

    def edit(self, new: Json) -> list[ClientMessage]:
        """Make `new` the visible value; what to send (nothing while offline)."""
        ops = diff(self.value, new, self.shape)
        if not ops:
            return []
        self.value = new
        for chunk in _chunks(ops, self.limits.max_ops):
            self._pending.append(Mutation(self._next_id, chunk))
            self._next_id += 1
        if len(self._pending) > self.max_pending:
            self._squash_unsent()
        return self._push_unsent()

    def _squash_unsent(self) -> None:
        """Replace the mutations never sent by their net change. One sent on an earlier
        connection may have reached the server: it keeps its id, so it is applied once."""
        sent = [m for m in self._pending if m.id <= self._pushed_through]
        if len(sent) >= len(self._pending) - 1:
            return
        base = self.confirmed
        for mutation in sent:
            base = apply(base, mutation.ops, self.shape)
        self._pending = sent
        for chunk in _chunks(diff(base, self.value, self.shape), self.limits.max_ops):
            self._pending.append(Mutation(self._next_id, chunk))
            self._next_id += 1

    # -- the connection ----------------------------------------------------------------------------

    def connect(self) -> list[ClientMessage]:
        """The messages that open a (new) connection: a hello to resume from the confirmed
        version, then every pending mutation (the ones the server has are skipped there)."""
        self.online = True
        self._sent_through = 0
        self._resuming = True
        return [Hello(self.store, self.client, self.version), *self._push_unsent()]

    def disconnect(self) -> None:
        self.online = False
        self._ack = None

    def _push_unsent(self) -> list[ClientMessage]:
        if not self.online:
            return []
        unsent = [m for m in self._pending if m.id > self._sent_through]
        if not unsent:
            return []
        self._sent_through = unsent[-1].id
        self._pushed_through = max(self._pushed_through, self._sent_through)
        return [Push(self.store, chunk) for chunk in _chunks(unsent, self.limits.max_mutations)]

    # -- what the server sends ---------------------------------------------------------------------

    def receive(self, message: ServerMessage) -> list[ClientMessage]:
        """Take a message from the server; what to send in return (a hello after a gap)."""
        if message.store not in (self.store, None):
            raise ValueError(f"a message for store {message.store!r} reached {self.store!r}")
        reply: list[ClientMessage] = []
        if isinstance(message, Snapshot):
            self.confirmed, self.version = message.value, message.version
            self._resuming = False
        elif isinstance(message, Changes):
            reply = self._advance(message)
        elif isinstance(message, Ack):
            self._ack = message
        else:
            self.last_error = message
            if message.mutation is not None:  # refused: the server will never apply it
                self._pending = [m for m in self._pending if m.id != message.mutation]
        self._take_ack()
        self._rebase()
        return reply

    def _advance(self, message: Changes) -> list[ClientMessage]:
        for change in message.changes:
            if self.version is not None and change.version <= self.version:
                continue  # already here (a resume overlaps what was broadcast)
            if self.version is None or change.version != self.version + 1:
                if self._resuming:
                    return []  # the answer to our hello will cover it
                self._resuming = True
                return [Hello(self.store, self.client, self.version)]
            self.confirmed = apply(self.confirmed, change.ops, self.shape)
            self.version = change.version
        self._resuming = False
        return []

    def _take_ack(self) -> None:
        ack = self._ack
        if ack is not None and self.version is not None and self.version >= ack.version:
            self._pending = [m for m in self._pending if m.id > ack.mutation]
            self._ack = None

    def _rebase(self) -> None:
        """Visible = confirmed + pending, dropping list ops whose item is gone: a deleted item
        never comes back, so they could never apply again. (A dict key can be set again, so a
        dict op is kept and the server's order decides.)"""
        value = self.confirmed
        kept: list[Mutation] = []
        for mutation in self._pending:
            value, done = apply_each(value, mutation.ops, self.shape)
            ops = mutation.ops
            if self.shape.kind == "list":
                ops = [op for op, applied in zip(ops, done, strict=True) if applied is not None]
            if ops:
                kept.append(
                    mutation if len(ops) == len(mutation.ops) else Mutation(mutation.id, ops)
                )
        self._pending = kept
        self.value = value

    # -- saving and restoring ----------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON data (for localStorage); `Replica.load` restores it."""
        return {
            "format": DUMP_FORMAT,
            "store": self.store,
            "client": self.client,
            "version": self.version,
            "confirmed": self.confirmed,
            "pending": [[m.id, m.ops] for m in self._pending],
            "next_id": self._next_id,
            "pushed": self._pushed_through,
        }

    @classmethod
    def load(
        cls,
        data: object,
        store: str,
        shape: Shape,
        *,
        max_pending: int = 100,
        limits: Limits = DEFAULT_LIMITS,
    ) -> Replica:
        """The replica `dump()` saved, offline; ReplicaStateError if `data` is not one."""
        try:
            return cls._load(data, store, shape, max_pending, limits)
        except (KeyError, TypeError, ValueError) as error:
            raise ReplicaStateError(
                f"saved sync state of {store!r} cannot be loaded ({error}); start from the "
                "server's value instead"
            ) from None

    @classmethod
    def _load(
        cls, data: object, store: str, shape: Shape, max_pending: int, limits: Limits
    ) -> Replica:
        if not isinstance(data, dict) or data.get("format") != DUMP_FORMAT:
            raise ValueError(f"not the dump of a replica (format {DUMP_FORMAT})")
        if data["store"] != store:
            raise ValueError(f"it is the state of store {data['store']!r}")
        version, next_id, pushed = data["version"], data["next_id"], data["pushed"]
        if not (version is None or _is_count(version)) or not _is_count(next_id):
            raise ValueError(f"bad version {version!r} or next id {next_id!r}")
        if not _is_count(pushed) or pushed >= next_id:
            raise ValueError(f"bad last pushed id {pushed!r}")
        replica = cls(
            store,
            shape,
            data["confirmed"],
            client=_text(data["client"]),
            version=version,
            max_pending=max_pending,
            limits=limits,
        )
        replica._pending = [_saved_mutation(entry, shape, next_id) for entry in data["pending"]]
        ids = [m.id for m in replica._pending]
        if ids != sorted(set(ids)):
            raise ValueError(f"pending mutation ids must increase, not {ids!r:.60}")
        replica._next_id = next_id
        replica._pushed_through = pushed
        replica._rebase()
        return replica


def _saved_mutation(entry: object, shape: Shape, next_id: int) -> Mutation:
    if not isinstance(entry, list) or len(entry) != 2:
        raise ValueError(f"a pending mutation is [id, ops], not {entry!r:.60}")
    mutation_id, ops = entry
    if not _is_count(mutation_id) or mutation_id >= next_id or not isinstance(ops, list):
        raise ValueError(f"bad pending mutation {entry!r:.60}")
    try:
        return Mutation(mutation_id, [check_op(op, shape) for op in ops])
    except DeltaError as error:
        raise ValueError(str(error)) from None


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"bad client id {value!r:.60}")
    return value


_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int) -> list[list[_T]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]
