"""From a Store's schema to what sync needs: the shape of its JSON value and a validator.

    shape_of(list[Todo])     # Shape("list", id_field="id"): per-item ops
    shape_of(dict[str, int]) # Shape("dict"): per-key ops
    shape_of(Settings)       # Shape("value"): the whole value

`json_validator(schema)` validates a JSON value with the same pydantic model as the client's
Store and returns it in canonical JSON form (`model_dump(mode="json")`, as the Store stores it).
It also refuses fields the model does not have, which pydantic would drop in silence: a client
sending them runs another version of the model, and its change is refused rather than cut.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter

from framework.sync.deltas import DICT, VALUE, Json, Shape

__all__ = ["UnknownFieldError", "item_validator", "json_validator", "shape_of"]


class UnknownFieldError(ValueError):
    """A value holds a field its model does not have."""


def shape_of(schema: Any, id_field: str = "id") -> Shape:
    """How a store of this schema is synced: per item for a list of models that have
    `id_field`, per key for a dict with string keys, else as a whole."""
    while get_origin(schema) is Annotated:
        schema = get_args(schema)[0]
    origin, args = get_origin(schema), get_args(schema)
    if origin is list and len(args) == 1:
        item = args[0]
        if isinstance(item, type) and issubclass(item, BaseModel) and id_field in item.model_fields:
            return Shape("list", id_field)
    if origin is dict and args and args[0] is str:
        return DICT
    return VALUE


def json_validator(schema: Any) -> Callable[[Json], Json]:
    """A function: JSON value -> the same value validated by `schema`, in canonical JSON form;
    it raises pydantic's ValidationError, or UnknownFieldError, when the value is invalid."""
    adapter: TypeAdapter[Any] = TypeAdapter(schema)

    def validate(value: Json) -> Json:
        canonical = adapter.dump_python(adapter.validate_python(value), mode="json")
        try:
            _check_fields(value, canonical)
        except _Unknown as unknown:
            where = "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}"
                for part in reversed(unknown.path)
            )
            raise UnknownFieldError(
                f"value{where} has fields its model does not have: {unknown.fields}"
            ) from None
        return canonical

    return validate


def item_validator(schema: Any) -> Callable[[Json], Json] | None:
    """For `list[X]` or `dict[str, X]` that say nothing about the container itself (no
    `Annotated` length or validator): `json_validator(X)`, so that a change is validated where
    it happened instead of in the whole value, whose cost grows with its size (34 ms a mutation
    at 10,000 items, benchmarks/RESULTS.md). None: only the whole value can be validated."""
    origin, args = get_origin(schema), get_args(schema)
    if origin is list and len(args) == 1:
        return json_validator(args[0])
    if origin is dict and len(args) == 2 and args[0] is str:
        return json_validator(args[1])
    return None


class _Unknown(Exception):  # internal: becomes an UnknownFieldError with its path
    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        self.path: list[str | int] = []


def _check_fields(value: Json, canonical: Json) -> None:
    """Raise _Unknown where `value` holds a dict key that `canonical` (its model's dump) lacks."""
    if isinstance(value, dict):
        if not isinstance(canonical, dict):
            return
        unknown = value.keys() - canonical.keys()
        if unknown:
            raise _Unknown(sorted(map(str, unknown)))
        pairs: Any = ((key, item, canonical[key]) for key, item in value.items())
    elif isinstance(value, list) and isinstance(canonical, list) and len(value) == len(canonical):
        pairs = zip(range(len(value)), value, canonical, strict=True)
    else:
        return
    for where, item, kept in pairs:
        if isinstance(item, dict | list):
            try:
                _check_fields(item, kept)
            except _Unknown as unknown:
                unknown.path.append(where)
                raise
