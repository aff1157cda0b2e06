"""Store: typed, reactive application state persisted in localStorage, sessionStorage or memory.

    todos = Store("todos", list[Todo], default=list)
    todos.value                        # tracked read: renders and computeds that read it re-run
    todos.update(lambda items: [*items, Todo(id="1", title="milk")])

The guarantees (docs/store.md is the guide):

* The state is validated with pydantic on load, on assignment and on import.
* Changes are written once per batch, at the end of the flush (`reactive.after_flush`), and a
  write that would store the same text is skipped.
* Data that cannot be used (not JSON, invalid, an impossible migration, a newer version) is
  never overwritten implicitly: it is copied to a quarantine key (`<key>.quarantine`, then
  `<key>.quarantine.2`, ...; data from a newer version is left in place, not copied), the key
  itself is not written again until `reset()` or `import_()`, the store starts from defaults, and
  `error` says what happened.
* A full storage: the write fails, the stored value stays the previous one, the new state is kept
  in memory with `dirty == True` and `error` set; the next change or `save()` tries again.
* An unusable storage: the store works in memory, `persistent` is False, `error` says so.
* Other tabs: changes made to the key elsewhere arrive through the `storage` event and are
  validated before anything re-renders; unusable ones are refused (the current state is kept).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from itertools import count
from typing import Any, Literal, overload

from framework.reactive import Signal, after_flush, batch
from framework.storage import edits
from framework.storage.areas import storage_backend, usable_or_memory
from framework.storage.backend import StorageChange, StringStorage
from framework.storage.codec import Codec, Layout, Migration
from framework.storage.errors import (
    CorruptDataError,
    NewerVersionError,
    OtherTabError,
    QuotaExceededError,
    StorageAccessError,
    StorageFullError,
    StorageUnavailableError,
    StoreError,
)
from framework.storage.memory import MemoryStorage

__all__ = ["QUARANTINE_SUFFIX", "Store", "StoreArea"]

StoreArea = Literal["local", "session", "memory"]
QUARANTINE_SUFFIX = ".quarantine"

_log = logging.getLogger("framework.store")
_MISSING: Any = object()


class Store[T]:
    """A pydantic-typed value persisted under `key`; see the module docstring for the rules."""

    # A class schema (a model, list[Todo]) gives T; another type form (int | None, Annotated[...])
    # cannot, so T then comes from default= or from the annotation of the variable.
    @overload
    def __init__(
        self,
        key: str,
        schema: type[T],
        *,
        default: T | Callable[[], T] = ...,
        area: StoreArea = ...,
        layout: Layout = ...,
        version: int | None = ...,
        migrations: Sequence[Migration] = ...,
        sync: bool = ...,
        backend: StringStorage | None = ...,
    ) -> None: ...
    @overload
    def __init__(
        self,
        key: str,
        schema: object,
        *,
        default: T | Callable[[], T] = ...,
        area: StoreArea = ...,
        layout: Layout = ...,
        version: int | None = ...,
        migrations: Sequence[Migration] = ...,
        sync: bool = ...,
        backend: StringStorage | None = ...,
    ) -> None: ...
    def __init__(
        self,
        key: str,
        schema: Any,
        *,
        default: T | Callable[[], T] = _MISSING,
        area: StoreArea = "local",
        layout: Layout = "envelope",
        version: int | None = None,
        migrations: Sequence[Migration] = (),
        sync: bool = True,
        backend: StringStorage | None = None,
    ) -> None:
        if not isinstance(key, str) or not key:
            raise TypeError(f"Store key must be a non-empty str, not {key!r}")
        self.key = key
        self._codec: Codec[T] = Codec(schema, layout=layout, version=version, migrations=migrations)
        # Without default=, the schema makes it: list[Todo]() is [], a model class its defaults.
        self._make_default: Callable[[], object] = (
            schema if default is _MISSING else _default_factory(default)
        )
        initial = self._fresh_default()
        self._backend = _open_backend(area, backend, key)
        reason = self._backend.unavailable_reason
        # A storage that cannot be used is a standing condition, shown until the page reloads.
        self._standing_error: StoreError | None = (
            None if reason is None else StorageUnavailableError(reason, key=key)
        )
        self._state: Signal[T] = Signal(initial, name=f"store {key!r}")
        self._revision = Signal(0)  # bumped when the same object is assigned after in-place edits
        self._error: Signal[StoreError | None] = Signal(self._standing_error)
        self._dirty = Signal(False)
        self._stored_text: str | None = None  # what the key holds, as far as this tab knows
        self._protected = False  # the key holds data we could not use: never overwrite it
        self._pending = False  # a write is scheduled for the end of the flush
        self._write_error: StoreError | None = None
        self._generation = 0  # each load bumps it; a load applies only if still the latest
        # Dev only: finds in-place edits of the value (framework/storage/edits.py).
        self._edits: edits.EditWatch | None = (
            edits.EditWatch(key, self._encoded_state) if edits.edit_detection() else None
        )
        self._unsubscribe = self._backend.subscribe(self._on_change) if sync else None
        self._load()

    # -- reading and writing the state -----------------------------------------------------------

    @property
    def value(self) -> T:
        """The state; tracked when read in a render, a computed or an effect."""
        self._revision.value  # noqa: B018 - a tracked read, so in-place edits can notify
        if self._edits is not None:
            self._edits.read()
        return self._state.value

    @value.setter
    def value(self, new: T) -> None:
        try:
            validated = self._codec.validate(new)
        except StoreError as error:
            error.key = self.key
            _reworded(error, f"{self.key!r}: the new value was refused", "nothing was changed")
            raise
        self._replace_state(validated, new)
        self._schedule_write()

    def peek(self) -> T:
        """The state, without tracking."""
        if self._edits is not None:
            self._edits.read()
        return self._state.peek()

    def update(self, fn: Callable[[T], T]) -> None:
        """value = fn(value), reading without tracking (safe inside an effect)."""
        self.value = fn(self._state.peek())

    @property
    def error(self) -> StoreError | None:
        """The latest problem (tracked), or None: show `error.message`, switch on `error.kind`."""
        return self._error.value

    @property
    def dirty(self) -> bool:
        """True (tracked) while the state holds changes that could not be written."""
        return self._dirty.value

    @property
    def persistent(self) -> bool:
        """False when the state only lives in memory (area "memory", or storage unavailable)."""
        return self._backend.persistent

    # -- explicit operations ---------------------------------------------------------------------

    def save(self) -> None:
        """Write now instead of at the end of the flush; raises the StoreError that prevented
        it (a full storage, or a protected key: see reset())."""
        self._pending = False
        failure = self._write()
        if failure is not None:
            raise failure

    def reload(self) -> None:
        """Read the key again, as at creation (unusable data: quarantined, defaults)."""
        self._load()

    def reset(self) -> None:
        """Back to defaults, written through. This is the explicit step that lifts the
        protection of a key holding unusable data (its quarantine copy stays)."""
        with batch():
            self._protected = False
            self._error.value = self._standing_error
            self._replace_state(self._fresh_default(), None)
            self._schedule_write()

    def export(self) -> str:
        """The whole state as JSON text, in the stored layout (for a download button)."""
        return self._codec.encode(self.value)

    def import_(self, text: str | bytes) -> None:
        """Replace the state with exported text, validated (and migrated) first. On failure
        raises a StoreError subclass and changes nothing. Lifts a quarantine protection."""
        try:
            value, _version = self._codec.decode(_as_text(text))
        except StoreError as error:
            error.key = self.key
            _reworded(error, f"import into {self.key!r} refused", "nothing was changed")
            raise
        with batch():
            self._protected = False
            self._error.value = self._standing_error
            self._replace_state(value, None)
            self._schedule_write()

    def close(self) -> None:
        """Stop following changes from other tabs."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def __repr__(self) -> str:
        where = "persistent" if self.persistent else "in memory"
        return f"<Store {self.key!r} {where} value={self._state.peek()!r:.60}>"

    # -- loading ---------------------------------------------------------------------------------

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        try:
            text = self._backend.get_item(self.key)
        except StorageAccessError as error:
            self._report(
                StorageUnavailableError(
                    f"{self.key!r} could not be read ({error}); the current state is kept in "
                    "memory",
                    key=self.key,
                )
            )
            return
        if text is None:
            self._adopt(self._fresh_default(), None)
            return
        try:
            value, version = self._codec.decode(text)
        except StoreError as error:
            if generation == self._generation:
                self._refuse(text, error, from_other_tab=False)
            return
        if generation != self._generation:
            return  # a load that started later (from a migration or a listener) already won
        self._adopt(value, text)
        if version != self._codec.version:
            self._schedule_write()  # migrated: write the new version back, once

    def _adopt(self, value: T, text: str | None) -> None:
        """Take what the key holds as the state: nothing pending, nothing protected."""
        with batch():
            self._replace_state(value, None)
            self._stored_text = text
            self._protected = False
            self._pending = False
            self._write_error = None
            self._dirty.value = False
            self._error.value = self._standing_error

    def _refuse(self, text: str, error: StoreError, *, from_other_tab: bool) -> None:
        """Unusable data under our key: keep a copy, protect the key, say what happened."""
        error.key = self.key
        if isinstance(error, NewerVersionError):
            kept = f"it stays under {self.key!r}"
        else:
            error.quarantine_key = self._quarantine(text)
            kept = (
                f"it was copied to {error.quarantine_key!r} and also stays under {self.key!r}"
                if error.quarantine_key
                else f"it stays under {self.key!r} (a backup copy could not be written)"
            )
        self._protected = True
        self._stored_text = text
        held_until = f"{self.key!r} is not written again until reset() or import_()"
        if from_other_tab:
            error.args = (f"{error}; {kept}; {held_until}",)
            self._dirty.value = True
            self._report(OtherTabError(error, key=self.key))
            return
        _reworded(
            error,
            f"the stored {self.key!r} could not be loaded",
            f"{kept}; the store starts from defaults, and {held_until}",
        )
        with batch():
            self._replace_state(self._fresh_default(), None)
            self._pending = False
            self._dirty.value = False
            self._report(error)

    def _quarantine(self, text: str) -> str | None:
        """Copy text to the first free `<key>.quarantine[.n]` (or the one that holds it)."""
        base = self.key + QUARANTINE_SUFFIX
        for number in count(1):
            slot = base if number == 1 else f"{base}.{number}"
            try:
                held = self._backend.get_item(slot)
                if held == text:
                    return slot
                if held is None:
                    self._backend.set_item(slot, text)
                    return slot
            except QuotaExceededError, StorageAccessError:
                return None
        raise AssertionError("unreachable")  # pragma: no cover - count() never ends

    # -- writing ---------------------------------------------------------------------------------

    def _replace_state(self, value: T, assigned: object) -> None:
        if assigned is not None and assigned is self._state.peek():
            self._revision.value += 1  # same object, edited in place: notify anyway
        else:
            self._state.value = value
        if self._edits is not None:
            self._edits.assigned()

    def _encoded_state(self) -> str:
        return self._codec.encode(self._state.peek())

    def _schedule_write(self) -> None:
        self._pending = True
        after_flush(self._write_pending)

    def _write_pending(self) -> None:
        if self._pending:
            self._pending = False
            self._write()

    def _write(self) -> StoreError | None:
        """Write the state unless the key is protected or already holds the same text."""
        if self._protected:
            self._dirty.value = True
            return self._error.peek()
        text = self._codec.encode(self._state.peek())
        if text == self._stored_text:
            self._dirty.value = False
            return None
        try:
            self._backend.set_item(self.key, text)
        except QuotaExceededError as error:
            failure: StoreError = StorageFullError(
                f"{self.key!r} could not be saved: the storage is full ({error}). The stored "
                "value is still the previous one; the current state is kept in memory only "
                "(dirty) and is saved by the next change or save() once space is freed",
                key=self.key,
            )
        except StorageAccessError as error:
            failure = StorageUnavailableError(
                f"{self.key!r} could not be saved: the storage refused access ({error}); the "
                "current state is kept in memory only (dirty)",
                key=self.key,
            )
        else:
            self._stored_text = text
            self._dirty.value = False
            if self._write_error is not None and self._error.peek() is self._write_error:
                self._error.value = self._standing_error
            self._write_error = None
            return None
        self._dirty.value = True
        self._write_error = failure
        self._report(failure)
        return failure

    def _report(self, error: StoreError) -> None:
        _log.warning("%s", error)
        self._error.value = error

    # -- other tabs ------------------------------------------------------------------------------

    def _on_change(self, change: StorageChange) -> None:
        """A `storage` event: another tab changed our key, removed it, or cleared storage."""
        if change.key is not None and change.key != self.key:
            return
        if change.key is None or change.new is None:
            self._stored_text = None
            if not self._pending:  # a local change made since is written at the flush's end
                self._adopt(self._fresh_default(), None)
            return
        if change.new == self._stored_text:
            return
        self._generation += 1
        generation = self._generation
        try:
            value, _version = self._codec.decode(change.new)
        except StoreError as error:
            if generation == self._generation:
                self._refuse(change.new, error, from_other_tab=True)
            return
        if generation != self._generation:
            return
        if self._pending:
            self._stored_text = change.new  # our later local change wins: last writer
            return
        self._adopt(value, change.new)

    # -- helpers ---------------------------------------------------------------------------------

    def _fresh_default(self) -> T:
        try:
            return self._codec.validate(self._make_default())
        except StoreError as error:
            raise TypeError(
                f"Store({self.key!r}): the default does not fit the schema: {error}"
            ) from error


def _default_factory(default: object) -> Callable[[], object]:
    """default= may be a factory (list, a model class) or a value (deep-copied each time)."""
    if callable(default):
        return default
    return lambda: copy.deepcopy(default)


def _open_backend(area: StoreArea, backend: StringStorage | None, key: str) -> StringStorage:
    if backend is not None:
        return usable_or_memory(backend, f"the storage of Store({key!r})")
    if area == "memory":
        return MemoryStorage()
    if area not in ("local", "session"):
        raise ValueError(f"Store area must be 'local', 'session' or 'memory', not {area!r}")
    return storage_backend(area)


def _as_text(text: object) -> str:
    if isinstance(text, bytes | bytearray):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise CorruptDataError(f"the data is not UTF-8 text ({error.reason})") from None
    if not isinstance(text, str):
        raise TypeError(f"import_() takes the exported JSON text (str or bytes), not {text!r:.60}")
    return text


def _reworded(error: StoreError, context: str, outcome: str) -> StoreError:
    """Put the Store's context and what happened next around the codec's reason."""
    error.args = (f"{context}: {error}; {outcome}",)
    return error
