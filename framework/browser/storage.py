"""localStorage and sessionStorage behind the core's string-storage protocol.

The browser layer registers one factory per area at boot (`install_storage`); the core calls it
and probes the result on first use, falling back to memory if it is unusable. Here the browser's
faults become the core's exceptions: a DOMException QuotaExceededError (Firefox's old name
NS_ERROR_DOM_QUOTA_REACHED too) is QuotaExceededError; any other failure, including merely
reading `window.localStorage` where storage is blocked, is StorageAccessError.

Changes made by other tabs arrive through the window's `storage` event. One listener (one proxy)
serves every subscribed area; it is added with the first subscriber and removed, its proxy
destroyed, with the last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import JsException, create_proxy

from framework.errors import report_error
from framework.storage.areas import set_storage_backend
from framework.storage.backend import ChangeListener, StorageChange
from framework.storage.errors import QuotaExceededError, StorageAccessError

__all__ = ["BrowserStorage", "install_storage", "storage_events_listening"]

QUOTA_ERROR_NAMES = frozenset({"QuotaExceededError", "NS_ERROR_DOM_QUOTA_REACHED"})


def install_storage() -> None:
    """Serve the "local" and "session" areas from the browser (opened on first use)."""
    set_storage_backend("local", lambda: BrowserStorage("localStorage"))
    set_storage_backend("session", lambda: BrowserStorage("sessionStorage"))


class BrowserStorage:
    """window.localStorage or window.sessionStorage, with Python exceptions."""

    persistent = True
    unavailable_reason = None

    def __init__(self, name: str) -> None:
        self._name = name
        try:
            area = getattr(js.window, name)
        except JsException as error:  # SecurityError: blocked cookies, sandboxed iframe
            raise StorageAccessError(f"window.{name}: {error}") from None
        if area is None:
            raise StorageAccessError(f"window.{name} is not available in this browser")
        self._area = area

    def get_item(self, key: str) -> str | None:
        try:
            return _text(self._area.getItem(key))
        except JsException as error:
            raise _translated(error) from None

    def set_item(self, key: str, value: str) -> None:
        try:
            self._area.setItem(key, value)
        except JsException as error:
            raise _translated(error) from None

    def remove_item(self, key: str) -> None:
        try:
            self._area.removeItem(key)
        except JsException as error:
            raise _translated(error) from None

    def clear(self) -> None:
        try:
            self._area.clear()
        except JsException as error:
            raise _translated(error) from None

    def keys(self) -> list[str]:
        try:
            area = self._area
            keys = (_text(area.key(index)) for index in range(area.length))
            return [key for key in keys if key is not None]
        except JsException as error:
            raise _translated(error) from None

    def __len__(self) -> int:
        try:
            length: int = self._area.length
        except JsException as error:
            raise _translated(error) from None
        return length

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        return _events.add(self._area, listener)

    def __repr__(self) -> str:
        return f"BrowserStorage({self._name!r})"


def _text(value: Any) -> str | None:
    """A JS string as str; JS null (pyodide's `jsnull`, not None) and undefined as None."""
    return value if isinstance(value, str) else None


def _translated(error: Any) -> OSError:
    name = getattr(error, "name", "")
    if name in QUOTA_ERROR_NAMES:
        return QuotaExceededError(f"{name}: {getattr(error, 'message', error)}")
    return StorageAccessError(str(error))


class _StorageEvents:
    """The window's `storage` listener, shared by every subscriber, filtered by storage area."""

    def __init__(self) -> None:
        self._subscribers: list[tuple[Any, ChangeListener]] = []
        self._proxy: Any = None

    def add(self, area: Any, listener: ChangeListener) -> Callable[[], None]:
        entry = (area, listener)
        self._subscribers.append(entry)
        if self._proxy is None:
            self._proxy = create_proxy(self._dispatch)
            js.window.addEventListener("storage", self._proxy)

        def remove() -> None:
            if entry in self._subscribers:
                self._subscribers.remove(entry)
            if not self._subscribers and self._proxy is not None:
                js.window.removeEventListener("storage", self._proxy)
                self._proxy.destroy()
                self._proxy = None

        return remove

    @property
    def listening(self) -> bool:
        return self._proxy is not None

    def _dispatch(self, event: Any) -> None:
        source = event.storageArea
        change = StorageChange(_text(event.key), _text(event.oldValue), _text(event.newValue))
        for area, listener in list(self._subscribers):
            if not js.Object.is_(source, area):  # a sessionStorage event is not ours, and so on
                continue
            try:
                listener(change)
            except Exception as error:  # noqa: BLE001 - one store's failure must not stop others
                report_error(error)


_events = _StorageEvents()


def storage_events_listening() -> bool:
    """Is the window's `storage` listener installed (some store follows other tabs)?"""
    return _events.listening
