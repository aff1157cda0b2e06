"""Store: typed, reactive application state persisted in localStorage, sessionStorage or memory.

    todos = Store("todos", list[Todo], default=list)
    todos.value                        # tracked read: renders and computeds that read it re-run
    todos.update(lambda items: [*items, Todo(id="1", title="milk")])

The guarantees (docs/store.md is the guide):

* The state is validated with pydantic on load, on assignment and on import.
* Changes are written once per batch, at the end of the flush (`reactive.after_flush`), and a
  write that would store the same text is skipped.
* Data that cannot be used (not JSON, invalid, an impossible migration) is copied to a
  quarantine key first (`<key>.quarantine`, then `<key>.quarantine.2`, ...), which the store
  never writes again nor removes; the store starts from defaults, `error` says what happened,
  `quarantined` lists the copies (reactive, for a banner), a warning is logged once, and the
  next change is saved under the key again, so nothing the user does afterwards is lost.
* Data that is the only copy is never overwritten implicitly: data from a newer version (left
  in place, not copied), or unusable data whose copy did not fit. The key is then protected:
  not written again until `reset()` or `import_()`.
* A full storage: the write fails, the stored value stays the previous one, the new state is kept
  in memory with `dirty == True` and `error` set; the next change or `save()` tries again.
* An unusable storage: the store works in memory, `persistent` is False, `error` says so.
* Other tabs: changes made to the key elsewhere arrive through the `storage` event and are
  validated before anything re-renders; unusable ones are refused (the current state is kept).
* `server="name"`: the state is also synced with the app's server (framework/store_sync.py,
  docs/sync.md); `status` says how that stands. Without it, nothing of the above changes.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from itertools import count
from typing import TYPE_CHECKING, Any, Literal, overload

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

if TYPE_CHECKING:
    from framework.store_sync import StoreSync, SyncStatus
    from framework.sync.client import SyncClient

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
        server: str | None = ...,
        sync_client: SyncClient | None = ...,
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
        server: str | None = ...,
        sync_client: SyncClient | None = ...,
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
        server: str | None = None,
        sync_client: SyncClient | None = None,
    ) -> None:
        if not isinstance(key, str) or not key:
            raise TypeError(f"Store key must be a non-empty str, not {key!r}")
        self.key = key
        self._schema = schema
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
        self._protected = False  # the key holds the only copy of data we cannot use
        self._quarantined: Signal[tuple[str, ...]] = Signal((), name=f"store {key!r} quarantine")
        self._announced: set[str] = set()  # quarantine copies already logged (once each)
        self._pending = False  # a write is scheduled for the end of the flush
        self._write_error: StoreError | None = None
        self._generation = 0  # each load bumps it; a load applies only if still the latest
        # Dev only: finds in-place edits of the value (framework/storage/edits.py).
        self._edits: edits.EditWatch | None = (
            edits.EditWatch(key, self._encoded_state) if edits.edit_detection() else None
        )
        self._unsubscribe = self._backend.subscribe(self._on_change) if sync else None
        self._load()
        # Synced with the app's server (framework/store_sync.py); None: this browser only. Its
        # import waits for the first synced store, so a page without one never loads sync.
        self._server: StoreSync | None = None
        if server is not None:
            from framework.store_sync import StoreSync

            self._server = StoreSync(self, server, self._backend, sync_client)

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
        self._edited()

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

    @property
    def quarantined(self) -> tuple[str, ...]:
        """The keys holding copies of stored data this store could not use (tracked): empty
        when there are none. Filled at load and whenever data is set aside; a banner reads it."""
        return self._quarantined.value

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
        protection of a key holding data only it has (quarantine copies stay)."""
        with batch():
            self._protected = False
            self._error.value = self._standing_error
            self._replace_state(self._fresh_default(), None)
            self._schedule_write()
        self._edited()

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
        self._edited()

    def discard_quarantine(self) -> None:
        """Remove the quarantine copies listed in `quarantined`: the app's (or the user's)
        decision, once the old data is recovered or not wanted; the store never does it."""
        for slot in self._quarantined.peek():
            with suppress(StorageAccessError):  # unusable storage: nothing to remove from
                self._backend.remove_item(slot)
        self._quarantined.value = ()

    @property
    def status(self) -> SyncStatus | None:
        """Where a synced store (server=...) stands with its server (tracked): synced, pending
        (n), offline or error (message); None for a store that is not synced."""
        return None if self._server is None else self._server.status

    def close(self) -> None:
        """Stop following changes from other tabs (and syncing with the server)."""
        if self._server is not None:
            self._server.close()
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
        self._quarantined.value = self._quarantine_slots()
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
        """Unusable data under our key: copy it aside, say what happened. The key is protected
        only when it holds the only copy (newer data, or a copy that did not fit)."""
        error.key = self.key
        copy_key = None
        if not isinstance(error, NewerVersionError):
            copy_key = error.quarantine_key = self._quarantine(text)
        self._protected = copy_key is None
        self._stored_text = text
        if from_other_tab:
            error.args = (f"{error}; {_kept_from_other_tab(self.key, copy_key, error)}",)
            self._dirty.value = True  # this tab's state is not what the key holds now
            self._report(OtherTabError(error, key=self.key), copy_key)
            return
        _reworded(
            error,
            f"the stored {self.key!r} could not be loaded",
            _kept_on_load(self.key, copy_key, error),
        )
        with batch():
            self._replace_state(self._fresh_default(), None)
            self._pending = False
            self._dirty.value = False
            self._report(error, copy_key)

    def _quarantine(self, text: str) -> str | None:
        """Copy text to the first free `<key>.quarantine[.n]` (or the one that holds it). A slot
        that holds something else is never written: other tabs, even ones running older code,
        only ever add copies."""
        for slot in self._slot_names():
            try:
                held = self._backend.get_item(slot)
                if held is None:
                    self._backend.set_item(slot, text)
                if held is None or held == text:
                    break
            except QuotaExceededError, StorageAccessError:
                return None
        self._quarantined.value = self._quarantine_slots()
        return slot

    def _quarantine_slots(self) -> tuple[str, ...]:
        """The quarantine keys in use, up to the first free one (the next copy's place)."""
        found: list[str] = []
        for slot in self._slot_names():
            try:
                if self._backend.get_item(slot) is None:
                    return tuple(found)
            except StorageAccessError:
                return tuple(found)  # reported by the read of the key itself
            found.append(slot)
        raise AssertionError("unreachable")  # pragma: no cover - _slot_names() never ends

    def _slot_names(self) -> Iterator[str]:
        base = self.key + QUARANTINE_SUFFIX
        yield base
        for number in count(2):
            yield f"{base}.{number}"

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

    def _report(self, error: StoreError, copy_key: str | None = None) -> None:
        """Set `error`, and log it: a quarantine once per copy (a reload of the same data, or
        its echo from another tab, is not news), anything else each time it happens."""
        if copy_key is None or copy_key not in self._announced:
            _log.warning("%s", error)
        if copy_key is not None:
            self._announced.add(copy_key)
        self._error.value = error

    # -- other tabs ------------------------------------------------------------------------------

    def _on_change(self, change: StorageChange) -> None:
        """A `storage` event: another tab changed our key, removed it, or cleared storage."""
        if change.key is None or change.key.startswith(self.key + QUARANTINE_SUFFIX):
            self._quarantined.value = self._quarantine_slots()  # added or removed elsewhere
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
        self._edited()  # a following tab's edit: the syncing tab sends it

    # -- the server (store_sync.py) --------------------------------------------------------------

    def _edited(self) -> None:
        if self._server is not None:
            self._server.local_edit(self._state.peek())

    def _take_synced(self, value: T) -> None:
        """A validated value from the server: shown and persisted, not sent back."""
        self._replace_state(value, None)
        self._schedule_write()

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


def _kept_on_load(key: str, copy_key: str | None, error: StoreError) -> str:
    """What became of unusable data found at load, and the fix."""
    if copy_key is None:
        return (
            f"{_only_copy(key, error)}; the store starts from defaults, and {key!r} is not "
            "written again until reset() or import_()"
        )
    return (
        f"it was copied to {copy_key!r}, which the store never overwrites or removes; the "
        f"store starts from defaults and saves the next change under {key!r} again. "
        f"{_fix(error)}"
    )


def _kept_from_other_tab(key: str, copy_key: str | None, error: StoreError) -> str:
    if copy_key is None:
        return f"{_only_copy(key, error)}; {key!r} is not written again until reset() or import_()"
    return (
        f"it was copied to {copy_key!r}; this tab's next change (or save()) stores its own "
        f"state under {key!r}"
    )


def _only_copy(key: str, error: StoreError) -> str:
    if isinstance(error, NewerVersionError):
        return f"it stays under {key!r}"
    return f"it stays under {key!r} (a backup copy could not be written)"


def _fix(error: StoreError) -> str:
    if isinstance(error, CorruptDataError):
        return (
            "Broken text cannot be migrated: the copy is kept for inspection, and reset() "
            "replaces the broken value with the defaults at once"
        )
    return (
        "To read data of an older schema, add a migration (Store(..., version=N, "
        "migrations=[...]), see docs/store.md), then bring the copy back (import_() or a merge); "
        "or call reset() to replace the old value with the defaults at once"
    )


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
