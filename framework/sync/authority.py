"""The server's copy of one synced store: the value every client converges to.

The server decides the order of all writes. For each store it keeps:

* the value and its version (0 at the start, +1 per accepted mutation);
* a log of the accepted changes: (version, client, mutation id, ops as applied), as many as the
  store has items and at least `log_length`, so a client that comes back at a version still in
  the log gets only what it missed, and one that comes back older gets a snapshot;
* per client, the id of the last mutation it processed (applied or refused): a mutation sent
  again after a lost ack has an id at or below it and is skipped, so it is applied once;
* tombstones: the ids of items deleted within the log's horizon, so that a late `put` of a
  deleted id is dropped rather than bringing the item back.

A mutation is applied whole or not at all: its ops are applied (by the rule of
`framework.sync.deltas`), then the result goes through the app's validator (the store's pydantic
model, see `framework.sync.schema.json_validator`); if anything fails, nothing of the mutation is
applied and an error goes to its client only. The validator returns the value in its canonical
JSON form; when that differs from the applied result (pydantic coerced a field), the change
logged and broadcast is the diff to the canonical value, so that every client holds exactly
what the server holds.

Pure and synchronous (no network, no storage): the transport turns `push`, `hello` and `commit`
into messages, storage saves `dump()` and restores with `Authority.load`.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from framework.sync.deltas import (
    DeltaError,
    ItemId,
    Json,
    Op,
    Shape,
    apply_each,
    diff,
    item_ops,
    same,
)
from framework.sync.item_list import ItemList
from framework.sync.messages import (
    DEFAULT_LIMITS,
    Ack,
    Change,
    Changes,
    ErrorCode,
    ErrorMessage,
    Limits,
    Mutation,
    Snapshot,
)

__all__ = ["Authority", "LoggedChange", "PushResult", "RefusedError", "Validator"]

# Takes the store's JSON value, returns it in canonical JSON form; raises if it is invalid.
Validator = Callable[[Json], Json]
_MAX_REASON = 1_000  # characters of a validation error sent back to a client
DUMP_FORMAT = 1


class RefusedError(ValueError):
    """A mutation that was not applied; `code` is an ErrorCode value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class LoggedChange:
    """One accepted mutation: the version it made, who sent it (None: server code)."""

    version: int
    client: str | None
    mutation: int | None
    ops: list[Op]


@dataclass
class PushResult:
    """What a push leads to: `changes` go to every client of the store (the pusher too: it
    advances its confirmed value with them), `ack` and `errors` to the pusher alone."""

    changes: Changes | None
    ack: Ack
    errors: list[ErrorMessage] = field(default_factory=list)


def _invalid(error: Exception) -> RefusedError:
    return RefusedError(
        ErrorCode.INVALID,
        f"the value after this mutation is invalid, so nothing of it was applied: "
        f"{str(error)[:_MAX_REASON]}",
    )


def _last_writes(applied: list[Op]) -> dict[ItemId, int]:
    """For each item a mutation wrote (put or set) and did not delete after, the index of the
    last op that wrote it."""
    last: dict[ItemId, int] = {}
    for index, op in enumerate(applied):
        if op["op"] in ("put", "set"):
            last[op["id"]] = index
        elif op["op"] == "delete":
            last.pop(op["id"], None)
    return last


class Authority:
    """One store's value, version, log and per-client progress; see the module docstring."""

    def __init__(
        self,
        name: str,
        shape: Shape,
        value: Json,
        *,
        validate: Validator | None = None,
        validate_item: Validator | None = None,
        version: int = 0,
        limits: Limits = DEFAULT_LIMITS,
        log_length: int = 1_000,
    ) -> None:
        if log_length < 1:
            raise ValueError(f"log_length must be 1 or more, not {log_length}")
        self.name = name
        self.shape = shape
        self._validate = validate
        # list and dict shapes: after a mutation, only the items it wrote are validated (the
        # others are canonical already); the whole value only when created or loaded
        self._validate_item = validate_item if shape.kind != "value" else None
        self.limits = limits
        value = self._canonical(value) if validate else value
        diff(value, value, shape)  # a value that does not fit the shape fails here
        # A list whose mutations validate per item (or not at all) is kept by id, so that a
        # mutation costs what it touches (framework/sync/item_list.py); else a plain value.
        per_item = shape.kind == "list" and (self._validate_item is not None or validate is None)
        self._items: ItemList | None = ItemList(value, shape) if per_item else None
        self._value: Json = None if per_item else value
        self.version = version
        # The log keeps as many changes as the store has items, and at least log_length: a
        # client behind by fewer catches up with them; one further behind gets a snapshot,
        # which is then no bigger than the changes it missed. (A fixed 1,000 was 1.25 s of a
        # busy store's history, and every client back from a short disconnect got the whole
        # 60,000-item value: benchmarks/RESULTS.md, 2026-12-07.)
        self._log_minimum = log_length
        self._log: deque[LoggedChange] = deque()
        self._last_mutation: dict[str, int] = {}
        self._tombstones: dict[Any, int] = {}  # item id -> version that deleted it

    @property
    def value(self) -> Json:
        """The store's value as JSON data (do not edit it: `update` takes a function)."""
        return self._value if self._items is None else self._items.value

    # -- what clients send -------------------------------------------------------------------------

    def hello(self, client: str, version: int | None) -> list[Snapshot | Changes | Ack]:
        """The answer to a client's hello: what it missed since `version`, then its ack."""
        return [self.pull(version), self.ack(client)]

    def push(self, client: str, mutations: Sequence[Mutation]) -> PushResult:
        """Apply the client's mutations in order, each whole or not at all; skip the ones
        already processed (a resend)."""
        if len(mutations) > self.limits.max_mutations:
            error = ErrorMessage(
                self.name,
                ErrorCode.TOO_MANY_MUTATIONS,
                f"{len(mutations)} mutations in one push, over the limit of "
                f"{self.limits.max_mutations}; nothing was applied",
            )
            return PushResult(None, self.ack(client), [error])
        applied: list[Change] = []
        errors: list[ErrorMessage] = []
        for mutation in mutations:
            if mutation.id <= self._last_mutation.get(client, 0):
                continue  # processed before: its ack was lost, or it was sent twice
            self._last_mutation[client] = mutation.id
            try:
                applied.append(self._accept(mutation.ops, client, mutation.id))
            except RefusedError as refused:
                errors.append(ErrorMessage(self.name, refused.code, refused.message, mutation.id))
        changes = Changes(self.name, applied) if applied else None
        return PushResult(changes, self.ack(client), errors)

    def pull(self, since: int | None) -> Snapshot | Changes:
        """The changes after version `since`, or a snapshot when the log no longer reaches back
        that far (or `since` is None, or ahead of the server: a server restored from an older
        copy)."""
        oldest = self._log[0].version if self._log else self.version + 1
        if since is None or since < oldest - 1 or since > self.version:
            return Snapshot(self.name, self.version, self.value)
        missed = [Change(c.version, c.ops) for c in self._log if c.version > since]
        return Changes(self.name, missed)

    def ack(self, client: str) -> Ack:
        return Ack(self.name, self._last_mutation.get(client, 0), self.version)

    # -- what server code does ---------------------------------------------------------------------

    def commit(self, ops: Sequence[Op]) -> Changes:
        """Apply ops written by server code, like a client's mutation (validated, logged);
        RefusedError if they do not validate, and nothing is applied."""
        return Changes(self.name, [self._accept(list(ops), None, None)])

    def update(self, change: Callable[[Json], Json]) -> Changes | None:
        """value = change(value), sent as the smallest delta; None when nothing changed. The
        function gets a copy of the JSON value: editing it in place is fine."""
        ops = diff(self.value, change(copy.deepcopy(self.value)), self.shape)
        return self.commit(ops) if ops else None

    # -- applying ----------------------------------------------------------------------------------

    def _accept(self, ops: list[Op], client: str | None, mutation: int | None) -> Change:
        if len(ops) > self.limits.max_ops:
            raise RefusedError(
                ErrorCode.TOO_MANY_OPS,
                f"a mutation of {len(ops)} ops, over the limit of {self.limits.max_ops}; "
                "nothing of it was applied",
            )
        if self._items is not None:
            applied = self._accept_items(self._items, ops)
        else:
            applied = self._accept_value(ops)
        self.version += 1
        self._remember_deletes(applied)
        self._logged(LoggedChange(self.version, client, mutation, applied))
        self._forget_old_tombstones()
        return Change(self.version, applied)

    def _accept_items(self, items: ItemList, ops: list[Op]) -> list[Op]:
        """Apply a mutation to a list kept by id, validating only the items it wrote; what
        it applied, as sent to clients."""
        try:
            done, undo = items.apply(ops, self._tombstones)
        except DeltaError as error:
            raise RefusedError(ErrorCode.BAD_OPS, f"{error}; nothing of it was applied") from None
        applied = [op for op in done if op is not None]
        if self._validate_item is None:
            return applied
        written = _last_writes(applied)
        try:
            canonical = {key: self._validate_item(items.get(key)) for key in written}
        except Exception as error:  # noqa: BLE001 - any failure of the app's validator refuses
            undo.run(items)
            raise _invalid(error) from None
        reshaped: list[Op] = []
        for key, item in canonical.items():
            before = items.get(key)
            assert before is not None
            if same(item, before):
                continue
            # validation changed what the ops wrote (a "3" became 3): send what the server holds
            items.replace(key, item)
            last = applied[written[key]]
            if last["op"] == "put":
                applied[written[key]] = {**last, "item": item}
            else:
                reshaped += item_ops(key, before, item)
        return applied + reshaped

    def _accept_value(self, ops: list[Op]) -> list[Op]:
        """Apply a mutation to a plain value: the ops, then the whole result validated (only
        the values it wrote, for a dict store validated per value)."""
        try:
            result, done = apply_each(self._value, ops, self.shape, self._tombstones)
        except DeltaError as error:
            raise RefusedError(ErrorCode.BAD_OPS, f"{error}; nothing of it was applied") from None
        applied = [op for op in done if op is not None]
        try:
            canonical, reshaped = self._canonical_after(result, applied)
        except Exception as error:  # noqa: BLE001 - any failure of the app's validator refuses
            raise _invalid(error) from None
        if reshaped:  # validation changed what the ops wrote (a "3" became 3): send that
            applied = diff(self._value, canonical, self.shape)
        self._value = canonical
        return applied

    def _canonical_after(self, result: Json, applied: list[Op]) -> tuple[Json, bool]:
        """The value after a mutation in canonical form, and whether validating changed it."""
        if self._validate_item is not None:
            return self._canonical_values(result, applied, self._validate_item)
        if self._validate is None:
            return result, False
        canonical = self._validate(result)
        return canonical, canonical is not result and not same(canonical, result)

    def _canonical_values(
        self, result: Json, applied: list[Op], validate: Validator
    ) -> tuple[Json, bool]:
        """Validate only the values of a dict store that the applied ops wrote."""
        assert isinstance(result, dict)
        keys = [op["key"] for op in applied if op["op"] == "set_key"]
        if not keys:  # deletes only: nothing new to validate, nothing to copy
            return result, False
        written = dict(result)
        reshaped = False
        for key in keys:
            canonical = validate(written[key])
            reshaped = reshaped or not same(canonical, written[key])
            written[key] = canonical
        return written, reshaped

    def _canonical(self, value: Json) -> Json:
        assert self._validate is not None
        return self._validate(value)

    def _logged(self, change: LoggedChange) -> None:
        self._log.append(change)
        self._trim_log()

    def _trim_log(self) -> None:
        longest = max(self._log_minimum, self.size)
        while len(self._log) > longest:
            self._log.popleft()

    def _remember_deletes(self, ops: list[Op]) -> None:
        for op in ops:
            if op["op"] == "delete":
                self._tombstones[op["id"]] = self.version

    def _forget_old_tombstones(self) -> None:
        """Tombstones last as long as the log: older clients get a snapshot anyway. They are
        kept in the order of their versions, so the old ones are at the front."""
        horizon = self._log[0].version
        while self._tombstones:
            oldest = next(iter(self._tombstones))
            if self._tombstones[oldest] >= horizon:
                break
            del self._tombstones[oldest]

    # -- saving and restoring ----------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Items of a list, keys of a dict, 1 for a plain value: what a whole dump grows with."""
        if self._items is not None:
            return len(self._items)
        return len(self._value) if isinstance(self._value, list | dict) else 1

    def changes_since(self, version: int) -> list[LoggedChange] | None:
        """The logged changes after `version`, or None when the log no longer reaches back
        that far (a whole dump is then the only way to save them)."""
        if version >= self.version:
            return []
        if not self._log or self._log[0].version > version + 1:
            return None
        return [change for change in self._log if change.version > version]

    def replay(self, change: LoggedChange) -> None:
        """Apply a change this authority logged before (saved after its last dump): its ops
        as applied, with no validation, since they were valid when accepted."""
        if change.version != self.version + 1:
            raise ValueError(
                f"store {self.name!r}: a saved change of version {change.version} does not follow "
                f"version {self.version}"
            )
        if self._items is not None:
            self._items.apply(change.ops)
        else:
            self._value = apply_each(self._value, change.ops, self.shape)[0]
        self.version = change.version
        if change.client is not None and change.mutation is not None:
            last = self._last_mutation.get(change.client, 0)
            self._last_mutation[change.client] = max(last, change.mutation)
        self._remember_deletes(change.ops)
        self._logged(change)
        self._forget_old_tombstones()

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON data, for storage; `Authority.load` restores it."""
        return {
            "format": DUMP_FORMAT,
            "version": self.version,
            "value": self.value,
            "log": [[c.version, c.client, c.mutation, c.ops] for c in self._log],
            "clients": self._last_mutation,
            # JSON keys are strings, ids may be integers: a list of pairs keeps the type
            "tombstones": list(self._tombstones.items()),
        }

    @classmethod
    def load(
        cls,
        data: dict[str, Any],
        name: str,
        shape: Shape,
        *,
        validate: Validator | None = None,
        validate_item: Validator | None = None,
        limits: Limits = DEFAULT_LIMITS,
        log_length: int = 1_000,
    ) -> Authority:
        """An Authority in the state `dump()` returned (the value is validated again: the
        model may have changed since)."""
        if data.get("format") != DUMP_FORMAT:
            raise ValueError(
                f"not a saved sync state of format {DUMP_FORMAT}: {data.get('format')!r}"
            )
        authority = cls(
            name,
            shape,
            data["value"],
            validate=validate,
            validate_item=validate_item,
            version=data["version"],
            limits=limits,
            log_length=log_length,
        )
        if same(authority.value, data["value"]):
            authority._log.extend(LoggedChange(*entry) for entry in data["log"])
            authority._trim_log()
        # else the model changed what the value holds: the log no longer leads to it, and
        # every client gets a snapshot
        authority._last_mutation = dict(data["clients"])
        authority._tombstones = dict(data["tombstones"])
        return authority
