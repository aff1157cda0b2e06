"""MemoryStorage: the in-memory string storage used outside the browser, as the fallback when
the browser's storage is unusable, and in tests, where it simulates the browser's faults.

Simulations: `quota` (characters of keys plus values; a write over it raises QuotaExceededError
and changes nothing), `available=False` (every operation raises StorageAccessError, like a
blocked localStorage), corrupt values (write any string with set_item), and other tabs:
`another_tab()` returns a view of the same data whose writes notify this one's subscribers,
following the browser's rules for the `storage` event.
"""

from __future__ import annotations

from collections.abc import Callable

from framework.errors import report_error
from framework.storage.backend import ChangeListener, StorageChange
from framework.storage.errors import QuotaExceededError, StorageAccessError

__all__ = ["MemoryStorage"]


class _SharedData:
    """What the tabs of one simulated origin share: the items and the open tabs."""

    def __init__(self, items: dict[str, str], quota: int | None) -> None:
        self.items = items
        self.quota = quota
        self.tabs: list[MemoryStorage] = []

    def size_with(self, key: str, value: str) -> int:
        """Characters used if `key` held `value` (browsers count keys and values)."""
        used = sum(len(k) + len(v) for k, v in self.items.items())
        old = self.items.get(key)
        if old is not None:
            used -= len(key) + len(old)
        return used + len(key) + len(value)


class MemoryStorage:
    """A dict-backed string storage that can simulate quota, unavailability and other tabs."""

    def __init__(
        self,
        items: dict[str, str] | None = None,
        *,
        quota: int | None = None,
        available: bool = True,
        persistent: bool = False,
        unavailable_reason: str | None = None,
        _shared: _SharedData | None = None,
    ) -> None:
        self._shared = _shared or _SharedData(dict(items or {}), quota)
        self._shared.tabs.append(self)
        self._listeners: list[ChangeListener] = []
        self.available = available
        self._persistent = persistent
        self._unavailable_reason = unavailable_reason
        self.written: list[str] = []  # the key of each set_item that stored, for tests to count

    # -- simulation ------------------------------------------------------------------------------

    def another_tab(self) -> MemoryStorage:
        """A second tab on the same data: each tab's writes notify the other tabs only."""
        return MemoryStorage(persistent=self._persistent, _shared=self._shared)

    @property
    def quota(self) -> int | None:
        return self._shared.quota

    @quota.setter
    def quota(self, characters: int | None) -> None:
        self._shared.quota = characters

    # -- StringStorage ---------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        return self._persistent

    @property
    def unavailable_reason(self) -> str | None:
        return self._unavailable_reason

    def get_item(self, key: str) -> str | None:
        self._check_available()
        return self._shared.items.get(key)

    def set_item(self, key: str, value: str) -> None:
        self._check_available()
        shared = self._shared
        if shared.quota is not None and shared.size_with(key, value) > shared.quota:
            raise QuotaExceededError(
                f"setting {key!r} ({len(value)} characters) exceeds the storage quota of "
                f"{shared.quota} characters"
            )
        old = shared.items.get(key)
        shared.items[key] = value
        self.written.append(key)
        if old != value:
            self._broadcast(StorageChange(key, old, value))

    def remove_item(self, key: str) -> None:
        self._check_available()
        old = self._shared.items.pop(key, None)
        if old is not None:
            self._broadcast(StorageChange(key, old, None))

    def clear(self) -> None:
        self._check_available()
        if self._shared.items:
            self._shared.items.clear()
            self._broadcast(StorageChange(None, None, None))

    def keys(self) -> list[str]:
        self._check_available()
        return list(self._shared.items)

    def __len__(self) -> int:
        self._check_available()
        return len(self._shared.items)

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # -- internals -------------------------------------------------------------------------------

    def _check_available(self) -> None:
        if not self.available:
            raise StorageAccessError("the storage is not available (access was refused)")

    def _broadcast(self, change: StorageChange) -> None:
        """Like the browser: every *other* tab hears the change, the writer does not."""
        for tab in self._shared.tabs:
            if tab is not self:
                tab._deliver(change)

    def _deliver(self, change: StorageChange) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception as error:  # noqa: BLE001 - one listener's bug must not stop the rest
                report_error(error)

    def __repr__(self) -> str:
        return f"MemoryStorage({len(self._shared.items)} items, quota={self._shared.quota})"
