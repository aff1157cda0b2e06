"""Deltas: small JSON changes to a synced store's value, and how they apply.

A synced store is exchanged as its JSON form (pydantic's `model_dump(mode="json")`), and a change
to it travels as a list of ops, each a JSON object. The ops depend on the value's shape:

* a **list** of objects that each have an id field (`list[Todo]`):
  `{"op": "put", "id": ID, "item": {...all fields...}, "after": ID | null}` adds an item after
  another (`null`: at the front); `{"op": "set", "id": ID, "fields": {...}}` sets some fields of
  an item; `{"op": "delete", "id": ID}`; `{"op": "move", "id": ID, "after": ID | null}`.
* a **dict** (`dict[str, X]`): `{"op": "set_key", "key": K, "value": V}`,
  `{"op": "delete_key", "key": K}`.
* anything else: `{"op": "replace", "value": V}`.

`diff(old, new, shape)` gives the smallest ops (one changed field is one `set` of that field;
reordering moves only the items outside the longest run that kept its order) and
`apply(value, ops, shape)` applies them: `apply(old, diff(old, new, shape), shape) == new`.

How an op applies to a value that changed since it was made is the conflict rule (the same code
runs on the server, on every client and when a client rebases its pending edits, so everyone
computes the same result from the same order of ops):

* `set` writes only the fields it names: other fields of the item keep their value.
* An op on an item that is not there (`set`, `move`, `delete`) does nothing: it is dropped.
* A `put` of an id in `tombstones` (ids the server saw deleted) is dropped: a deleted item stays
  deleted. A `put` of an id that is there replaces the item's fields where it stands.
* `after` names an item that is not there: the item goes to the end of the list.
* `set_key` and `delete_key` are last-writer-wins in the order applied (a key set after it was
  deleted exists again: dict keys are names, reused on purpose, unlike item ids).

Values are never changed in place: `apply` returns a new value that shares unchanged parts.
Item ids are JSON strings or integers (never booleans) and unique in the list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "DICT",
    "LIST",
    "VALUE",
    "DeltaError",
    "Json",
    "Op",
    "Shape",
    "apply",
    "apply_each",
    "check_op",
    "diff",
    "same",
]

Json: TypeAlias = Any  # a JSON value: None, bool, int, float, str, list or dict with str keys
Op: TypeAlias = dict[str, Any]
ItemId: TypeAlias = "str | int"

ShapeKind = Literal["list", "dict", "value"]


# Each op's fields, exactly: an op with a missing or an extra field is refused.
_OP_FIELDS: dict[str, frozenset[str]] = {
    "put": frozenset({"op", "id", "item", "after"}),
    "set": frozenset({"op", "id", "fields"}),
    "delete": frozenset({"op", "id"}),
    "move": frozenset({"op", "id", "after"}),
    "set_key": frozenset({"op", "key", "value"}),
    "delete_key": frozenset({"op", "key"}),
    "replace": frozenset({"op", "value"}),
}
_OPS_BY_KIND: dict[str, frozenset[str]] = {
    "list": frozenset({"put", "set", "delete", "move"}),
    "dict": frozenset({"set_key", "delete_key"}),
    "value": frozenset({"replace"}),
}


@dataclass(frozen=True)
class Shape:
    """How a store's value is cut into ops: per item (`list`), per key (`dict`) or whole."""

    kind: ShapeKind
    id_field: str = "id"  # for `list`: the field that identifies an item

    def __post_init__(self) -> None:
        if self.kind not in _OPS_BY_KIND:
            raise ValueError(f"Shape kind must be 'list', 'dict' or 'value', not {self.kind!r}")


LIST = Shape("list")
DICT = Shape("dict")
VALUE = Shape("value")


class DeltaError(ValueError):
    """An op that is malformed or does not fit the value's shape, or a value that does not fit
    its shape (a list item without its id, two items with the same id)."""


# -- equality --------------------------------------------------------------------------------------


def same(a: Json, b: Json) -> bool:
    """JSON equality: unlike `==`, `1`, `1.0` and `true` differ, as they do in JSON text."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    return bool(a == b)


# -- checking ops ----------------------------------------------------------------------------------


def check_op(op: object, shape: Shape | None = None) -> Op:
    """The op itself if it is well formed (and fits `shape`, when given); else DeltaError."""
    if not isinstance(op, dict):
        raise DeltaError(f"an op must be a JSON object, not {_short(op)}")
    name = op.get("op")
    if not isinstance(name, str) or name not in _OP_FIELDS:
        raise DeltaError(f'"op" must be one of {", ".join(_OP_FIELDS)}, not {_short(name)}')
    fields = op.keys()
    if fields != _OP_FIELDS[name]:
        missing = sorted(_OP_FIELDS[name] - fields)
        extra = sorted(fields - _OP_FIELDS[name])
        raise DeltaError(
            f"a {name!r} op has fields {sorted(_OP_FIELDS[name])}: " + _fix(missing, extra)
        )
    if shape is not None and name not in _OPS_BY_KIND[shape.kind]:
        allowed = ", ".join(sorted(_OPS_BY_KIND[shape.kind]))
        raise DeltaError(f"a {name!r} op does not fit a {shape.kind} store (its ops: {allowed})")
    if "id" in op:
        _check_id(op["id"], "id")
    if name in ("put", "move") and op["after"] is not None:
        _check_id(op["after"], "after")
    if name in ("set_key", "delete_key") and not isinstance(op["key"], str):
        raise DeltaError(f'"key" must be a string, not {_short(op["key"])}')
    if name == "set":
        _check_fields(op["fields"], shape)
    if name == "put":
        _check_item(op["item"], op["id"], shape)
    if name == "move" and _same_id(op["after"], op["id"]):
        raise DeltaError(f"an item cannot move after itself ({op['id']!r})")
    return op


def _check_id(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DeltaError(
            f'"{name}" must be an item id (a string or an integer), not {_short(value)}'
        )


def _check_fields(fields: object, shape: Shape | None) -> None:
    if not isinstance(fields, dict) or not fields:
        raise DeltaError(f'"fields" must be a non-empty JSON object, not {_short(fields)}')
    if shape is not None and shape.id_field in fields:
        raise DeltaError(
            f"a 'set' op cannot change an item's id field {shape.id_field!r}: delete the item "
            "and put one with the new id"
        )


def _check_item(item: object, item_id: object, shape: Shape | None) -> None:
    if not isinstance(item, dict):
        raise DeltaError(f'"item" must be a JSON object, not {_short(item)}')
    if shape is not None and not _same_id(item.get(shape.id_field), item_id):
        raise DeltaError(
            f"a 'put' op's item must hold its id in {shape.id_field!r} ({item_id!r}), not "
            f"{_short(item.get(shape.id_field))}"
        )


def _fix(missing: list[str], extra: list[str]) -> str:
    parts = [f"missing {missing}"] if missing else []
    parts += [f"unexpected {extra}"] if extra else []
    return ", ".join(parts)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _same_id(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


# -- diff ------------------------------------------------------------------------------------------


def diff(old: Json, new: Json, shape: Shape) -> list[Op]:
    """The smallest ops that turn `old` into `new`."""
    if shape.kind == "list":
        return _diff_list(old, new, shape.id_field)
    if shape.kind == "dict":
        return _diff_dict(old, new)
    return [] if same(old, new) else [{"op": "replace", "value": new}]


def _diff_list(old: Json, new: Json, id_field: str) -> list[Op]:
    old_items = _by_id(old, id_field)
    new_items = _by_id(new, id_field)
    ops: list[Op] = [{"op": "delete", "id": key} for key in old_items if key not in new_items]
    for key, item in new_items.items():
        if key in old_items:
            ops += item_ops(key, old_items[key], item)
    position = {key: index for index, key in enumerate(k for k in old_items if k in new_items)}
    kept = [key for key in new_items if key in position]
    in_place = _longest_increasing_run(kept, position)
    # Walking the new order, each item that is added or out of place goes right after its new
    # predecessor, which by then stands where it should: the ops rebuild the order exactly.
    previous: ItemId | None = None
    for key, item in new_items.items():
        if key not in old_items:
            ops.append({"op": "put", "id": key, "item": item, "after": previous})
        elif key not in in_place:
            ops.append({"op": "move", "id": key, "after": previous})
        previous = key
    return ops


def item_ops(key: ItemId, old: dict[str, Json], new: dict[str, Json]) -> list[Op]:
    """The ops that turn one item of a list into another: a `set` of the changed fields, or a
    `put` of the whole item when a field went away."""
    if old.keys() - new.keys():  # a field went away: `set` cannot say so, replace the item
        return [{"op": "put", "id": key, "item": new, "after": None}]
    changed = {field: value for field, value in new.items() if not same(old.get(field, _NO), value)}
    return [{"op": "set", "id": key, "fields": changed}] if changed else []


_NO = object()  # no such field: differs from every JSON value


def _longest_increasing_run(keys: list[ItemId], position: dict[ItemId, int]) -> set[ItemId]:
    """The largest set of keys whose old positions already increase in the new order."""
    tails: list[int] = []  # tails[n]: smallest old position ending a run of length n + 1
    tail_index: list[int] = []  # index in `keys` of that tail
    before: list[int] = []  # for each key, the index of the key before it in its best run
    for index, key in enumerate(keys):
        length = bisect_left(tails, position[key])
        if length == len(tails):
            tails.append(position[key])
            tail_index.append(index)
        else:
            tails[length] = position[key]
            tail_index[length] = index
        before.append(tail_index[length - 1] if length else -1)
    run: set[ItemId] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        run.add(keys[index])
        index = before[index]
    return run


def _diff_dict(old: Json, new: Json) -> list[Op]:
    _check_dict(old)
    _check_dict(new)
    ops: list[Op] = [{"op": "delete_key", "key": key} for key in old if key not in new]
    ops += [
        {"op": "set_key", "key": key, "value": value}
        for key, value in new.items()
        if key not in old or not same(old[key], value)
    ]
    return ops


# -- apply -----------------------------------------------------------------------------------------


def apply(value: Json, ops: Sequence[Op], shape: Shape, tombstones: Container[Any] = ()) -> Json:
    """The value after the ops, by the conflict rule (ops that do not apply are dropped)."""
    return apply_each(value, ops, shape, tombstones)[0]


def apply_each(
    value: Json, ops: Sequence[Op], shape: Shape, tombstones: Container[Any] = ()
) -> tuple[Json, list[Op | None]]:
    """The value after the ops, and for each op what it did: None when it was dropped, else the
    op as applied (`after` naming an item that was not there becomes the item it went after), so
    that the applied ops, replayed on the same value, give the same result without tombstones."""
    for op in ops:
        check_op(op, shape)
    if shape.kind == "list":
        return _apply_list(value, ops, shape.id_field, tombstones)
    if shape.kind == "dict":
        _check_dict(value)
        result = dict(value)
        done: list[Op | None] = []
        for op in ops:
            if op["op"] == "set_key":
                result[op["key"]] = op["value"]
            elif result.pop(op["key"], _NO) is _NO:
                done.append(None)
                continue
            done.append(op)
        return result, done
    for op in ops:
        value = op["value"]
    return value, list(ops)


def _apply_list(
    value: Json, ops: Sequence[Op], id_field: str, tombstones: Container[Any]
) -> tuple[Json, list[Op | None]]:
    items = _by_id(value, id_field)  # insertion order is the list order
    order = list(items)
    done: list[Op | None] = []
    for op in ops:
        name, key = op["op"], op["id"]
        if name == "put" and key not in items and key in tombstones:
            done.append(None)  # deleted on the server: it stays deleted
        elif name == "put":
            placed = op if key in items else {**op, "after": insert_after(order, key, op["after"])}
            items[key] = op["item"]
            done.append(placed)
        elif key not in items:
            done.append(None)  # set, move or delete of an item that is not there
        elif name == "set":
            items[key] = {**items[key], **op["fields"]}
            done.append(op)
        elif name == "delete":
            del items[key]
            order.remove(key)
            done.append(op)
        else:
            order.remove(key)
            done.append({**op, "after": insert_after(order, key, op["after"])})
    return [items[key] for key in order], done


def insert_after(order: list[ItemId], key: ItemId, after: ItemId | None) -> ItemId | None:
    """Put key after `after` (None: first; not in the list: last); return where it went."""
    if after is None:
        order.insert(0, key)
        return None
    if order and order[-1] == after:  # appending, the usual case: no search of a long list
        order.append(key)
        return after
    try:
        index = order.index(after)
    except ValueError:
        after = order[-1] if order else None
        index = len(order) - 1
    order.insert(index + 1, key)
    return after


def _by_id(value: Json, id_field: str) -> dict[ItemId, dict[str, Json]]:
    """The items by id, in list order; DeltaError if the value is not a list of such items."""
    if not isinstance(value, list):
        raise DeltaError(f"a list store's value must be a JSON array, not {_short(value)}")
    try:  # the common case at C speed; anything odd takes the checking loop below
        items = dict(zip([item[id_field] for item in value], value, strict=True))
    except (TypeError, KeyError, IndexError):
        pass
    else:
        if len(items) == len(value) and set(map(type, items)) <= {str, int}:
            return items
    return _by_id_checked(value, id_field)


def _by_id_checked(value: list[Json], id_field: str) -> dict[ItemId, dict[str, Json]]:
    items: dict[ItemId, dict[str, Json]] = {}
    for index, item in enumerate(value):
        key = item.get(id_field) if isinstance(item, dict) else None
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise DeltaError(
                f"item {index} of a synced list must be an object with an id in {id_field!r} "
                f"(a string or an integer), not {_short(item)}"
            )
        if key in items:
            raise DeltaError(
                f"two items of a synced list have the id {key!r}: give each item its own id "
                "(for example a uuid4) so that edits find the right one"
            )
        items[key] = item
    return items


def _check_dict(value: Json) -> None:
    if not isinstance(value, dict):
        raise DeltaError(f"a dict store's value must be a JSON object, not {_short(value)}")
