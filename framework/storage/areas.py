"""Which string storage serves each area ("local", "session"), found once and probed.

The core never imports `js`: the browser layer registers a factory per area at boot
(`set_storage_backend`). Outside the browser each area is an in-memory storage. A registered
storage is probed before first use, the standard probe-then-fallback pattern: if it cannot be
used (access throws, or a write fails on an empty storage: a quota of 0), the area falls back to
memory, with ONE warning, and stores built on it report `persistent == False`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Literal

from framework.storage.backend import StringStorage
from framework.storage.errors import QuotaExceededError, StorageAccessError
from framework.storage.memory import MemoryStorage

__all__ = [
    "PROBE_KEY",
    "Area",
    "StorageUnavailableWarning",
    "set_storage_backend",
    "storage_backend",
    "usable_or_memory",
]

Area = Literal["local", "session"]
AREAS: tuple[Area, ...] = ("local", "session")
PROBE_KEY = "__framework_storage_probe__"

_factories: dict[str, Callable[[], StringStorage]] = {}
_opened: dict[str, StringStorage] = {}


class StorageUnavailableWarning(UserWarning):
    """The browser storage cannot be used: data lives in memory and is lost on reload."""


def set_storage_backend(
    area: Area, factory: Callable[[], StringStorage] | None
) -> Callable[[], StringStorage] | None:
    """Serve `area` from factory() from now on (None: in-memory). It is called, and its result
    probed, on first use. Returns the previous factory."""
    _check_area(area)
    previous = _factories.pop(area, None)
    if factory is not None:
        _factories[area] = factory
    _opened.pop(area, None)
    return previous


def storage_backend(area: Area) -> StringStorage:
    """The storage serving `area`: opened and probed once, then the same object every time."""
    _check_area(area)
    backend = _opened.get(area)
    if backend is None:
        factory = _factories.get(area)
        name = f"{area}Storage"
        backend = MemoryStorage() if factory is None else _open(factory, name)
        _opened[area] = backend
    return backend


def usable_or_memory(backend: StringStorage, name: str) -> StringStorage:
    """backend if a probe write works, else an in-memory stand-in (with one warning)."""
    return _open(lambda: backend, name)


def _open(factory: Callable[[], StringStorage], name: str) -> StringStorage:
    try:
        backend = factory()
        _probe(backend)
    except (StorageAccessError, QuotaExceededError) as error:
        reason = (
            f"{name} cannot be used ({error}); data is kept in memory only and will be lost "
            "when the page closes"
        )
        warnings.warn(reason, StorageUnavailableWarning, stacklevel=3)
        return MemoryStorage(unavailable_reason=reason)
    return backend


def _probe(backend: StringStorage) -> None:
    """Write and remove a probe key. A full storage (one that holds items) still serves reads,
    so only a write failure on an empty storage means 'unusable' (a quota of 0)."""
    try:
        backend.set_item(PROBE_KEY, "1")
    except QuotaExceededError:
        if len(backend) == 0:
            raise
        return
    backend.remove_item(PROBE_KEY)


def _check_area(area: str) -> None:
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}: use 'local' or 'session'")
