"""The string-storage protocol: what a Store and the Brython-like mapping need from a storage.

It mirrors the Web Storage API (getItem, setItem, removeItem, clear, key/length) with Python
names, plus `subscribe` for changes made elsewhere: in the browser, the `storage` event, which
fires only in *other* documents of the same origin, never for a write that changed nothing, and
with key None for clear().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ChangeListener", "StorageChange", "StringStorage"]


@dataclass(frozen=True, slots=True)
class StorageChange:
    """One change made by another tab: key None means the whole storage was cleared."""

    key: str | None
    old: str | None
    new: str | None


ChangeListener = Callable[[StorageChange], None]


class StringStorage(Protocol):
    """Keys and values are strings. Writes raise QuotaExceededError when full; any operation
    may raise StorageAccessError when the storage cannot be used at all."""

    @property
    def persistent(self) -> bool:
        """True when values outlive a reload (localStorage; sessionStorage within the tab)."""
        ...

    @property
    def unavailable_reason(self) -> str | None:
        """Set when this is an in-memory stand-in for a storage that could not be used."""
        ...

    def get_item(self, key: str) -> str | None: ...

    def set_item(self, key: str, value: str) -> None: ...

    def remove_item(self, key: str) -> None: ...

    def clear(self) -> None: ...

    def keys(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call listener for each change made by another tab; returns the unsubscribe function."""
        ...
