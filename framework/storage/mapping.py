"""`Storage`: a dict-like view of a storage area, compatible with Brython's
`browser.local_storage.storage` and `browser.session_storage.storage`.

Keys and values are strings; anything else raises TypeError and writes nothing. `keys()`,
`values()` and `items()` return list copies, as in Brython. Unlike Brython, an empty string
round-trips as an empty string (Brython's `get` and `[]` treat "" as missing). `storage.json`
adds JSON helpers for dicts and lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from framework.storage.areas import Area, storage_backend
from framework.storage.backend import StringStorage
from framework.storage.json_view import JsonStorage

__all__ = ["Storage"]

_MISSING: Any = object()


class Storage:
    """Dict-like access to one storage area; the backend is looked up on each call, so it is
    the one the browser layer registered even if this object was created first."""

    __slots__ = ("_area", "json")

    def __init__(self, area: Area) -> None:
        self._area: Area = area
        self.json = JsonStorage(self)

    @property
    def backend(self) -> StringStorage:
        return storage_backend(self._area)

    def __getitem__(self, key: str) -> str:
        value = self.backend.get_item(_checked_key(key))
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        _checked_key(key)
        if not isinstance(value, str):
            raise TypeError(
                f"storage values must be str, not {type(value).__name__} (key {key!r}); "
                "convert it first, or use storage.json.set() for dicts and lists"
            )
        self.backend.set_item(key, value)

    def __delitem__(self, key: str) -> None:
        backend = self.backend
        if backend.get_item(_checked_key(key)) is None:
            raise KeyError(key)
        backend.remove_item(key)

    def __contains__(self, key: object) -> bool:
        return self.backend.get_item(_checked_key(key)) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.backend)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.backend.get_item(_checked_key(key))
        return default if value is None else value

    def pop(self, key: str, default: Any = _MISSING) -> Any:
        backend = self.backend
        value = backend.get_item(_checked_key(key))
        if value is None:
            if default is _MISSING:
                raise KeyError(key)
            return default
        backend.remove_item(key)
        return value

    def keys(self) -> list[str]:
        return self.backend.keys()

    def values(self) -> list[str]:
        return [value for _, value in self.items()]

    def items(self) -> list[tuple[str, str]]:
        backend = self.backend
        pairs = []
        keys = backend.keys()
        for key in keys:
            value = backend.get_item(key)
            if value is not None:  # removed by another tab between the two reads
                pairs.append((key, value))
        return pairs

    def clear(self) -> None:
        self.backend.clear()

    def __repr__(self) -> str:
        return f"<{self._area}Storage {len(self)} items>"


def _checked_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"storage keys must be str, not {type(key).__name__}: {key!r:.80}")
    return key
