"""`storage.json`: JSON helpers over a string storage, for apps that keep dicts and lists.

`set` serialises dicts, lists and other JSON values (a str is stored as it is); `get` parses
JSON and falls back to the raw string when the value is not JSON. A value JSON cannot represent
(a set, bytes, a datetime, an object) raises TypeError before anything is written.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from framework.storage.mapping import Storage

__all__ = ["JsonStorage"]

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


class JsonStorage:
    """JSON values over a `Storage` (`local_storage.storage.json`)."""

    __slots__ = ("_strings",)

    def __init__(self, strings: Storage) -> None:
        self._strings = strings

    def set(self, key: str, value: Any) -> None:
        """Store value: a str as it is, anything else as JSON."""
        self._strings[key] = value if isinstance(value, str) else _to_json(key, value)

    def get(self, key: str, default: Any = None) -> Any:
        """The parsed JSON value, the raw string if it is not JSON, or default if missing."""
        raw = self._strings.get(key)
        if raw is None:
            return default
        try:
            return json.loads(raw)
        except ValueError:
            return raw


def _to_json(key: str, value: Any) -> str:
    try:
        return _encode(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"storage.json.set({key!r}, ...): the value cannot be stored as JSON ({error}); "
            "use dicts, lists, str, int, float (not NaN or infinity), bool or None"
        ) from None
