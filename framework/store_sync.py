"""A Store synced with the app's server: `Store("todos", list[Todo], server="todos")`.

The Store stays what it is (validated, persisted, quarantined, followed across tabs); this module
adds a `framework.sync` Replica beside it:

* a local write applies at once and is persisted as before; it also becomes a pending mutation
  (the diff against the previous value), and the replica's state (pending mutations, confirmed
  value and version, client id) is written under `<key>.sync` in the same storage area BEFORE
  its push is sent: a reload or a crash while offline loses nothing;
* a change from the server is validated with the store's model before the Store's Signal gets
  it; a value that does not validate is refused (the Store keeps its value) and `status` says
  why;
* `status` (reactive) is a SyncStatus: synced, pending (n), offline, or error (message).

Tabs: the newest tab syncs. Loading a synced store takes `<key>.sync` over (it records its tab
id there); a tab that finds another tab's id there before writing stops syncing and follows:
its edits reach the syncing tab through the Store's own cross-tab sync of `<key>`, which the
syncing tab turns into mutations. So exactly one tab pushes for a browser profile, and the
pending queue has one writer. If the syncing tab is closed, a follower's edits wait in `<key>`
until a tab (re)loads the store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from framework.reactive import Signal
from framework.storage.backend import StorageChange, StringStorage
from framework.storage.errors import QuotaExceededError, StorageAccessError, StoreError
from framework.sync.client import SyncClient
from framework.sync.deltas import DeltaError
from framework.sync.replica import Replica, ReplicaStateError
from framework.sync.schema import UnknownFieldError, json_validator, shape_of

QUARANTINE_SUFFIX = ".quarantine"  # as framework.store's (not imported: it imports this module)

if TYPE_CHECKING:
    from framework.store import Store

__all__ = ["SYNC_SUFFIX", "StoreSync", "SyncStatus", "page_sync_client", "set_page_sync_client"]

SYNC_SUFFIX = ".sync"
TAB = uuid.uuid4().hex[:12]  # this page's id among the tabs sharing a storage

SyncState = Literal["synced", "pending", "offline", "error"]


@dataclass(frozen=True)
class SyncStatus:
    """Where a synced store stands; `str()` is what an app can show."""

    state: SyncState
    pending: int = 0  # local mutations the server has not confirmed
    message: str | None = None  # the last error's message (state "error"), or why offline

    def __str__(self) -> str:
        if self.state == "pending":
            return f"pending {self.pending}"
        if self.state == "error":
            return f"error: {self.message}"
        return self.state


_page: dict[str, SyncClient] = {}  # "client": the page's session, made on first use


def page_sync_client() -> SyncClient:
    """The page's one sync session, connecting through the installed `set_sync_transport`."""
    if "client" not in _page:
        _page["client"] = SyncClient()
    return _page["client"]


def set_page_sync_client(client: SyncClient | None) -> SyncClient | None:
    """Replace the page's session (boot, or a test); returns the previous one."""
    previous = _page.pop("client", None)
    if client is not None:
        _page["client"] = client
    return previous


class StoreSync:
    """The replica of one Store and its persistence; made by Store(..., server=name)."""

    def __init__(
        self,
        store: Store[Any],
        name: str,
        backend: StringStorage,
        client: SyncClient | None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"Store({store.key!r}, server=...) takes the server store's name")
        self.store = store
        self.name = name
        self.key = store.key + SYNC_SUFFIX
        self._backend = backend
        self._client = client or page_sync_client()
        schema = store._codec.adapter
        self._shape = shape_of(store._schema)
        self._validate = json_validator(store._schema)
        self._to_json: Callable[[Any], Any] = lambda value: schema.dump_python(value, mode="json")
        self.following = False
        self._seen_error: object = None
        self._error: str | None = None
        self.replica = self._open_replica()
        self._status: Signal[SyncStatus] = Signal(self._current(), name=f"store {store.key!r} sync")
        self._unsubscribe = backend.subscribe(self.on_storage)
        self._save(take_over=True)
        self._client.add(self.replica, self._changed)
        self._changed()  # a reload while offline shows its pending edits at once

    @property
    def status(self) -> SyncStatus:
        return self._status.value

    # -- local edits -------------------------------------------------------------------------------

    def local_edit(self, value: Any) -> None:
        """The Store's value changed here (or in a following tab): a mutation, saved, pushed."""
        if self.following:
            return
        self._error = None
        try:
            messages = self.replica.edit(self._to_json(value))
        except DeltaError as error:  # e.g. two items with one id: no delta can say it
            # refused like a change the server refuses: back to the last value that syncs
            self._show(self.replica.value)
            self._error = (
                f"a change of {self.store.key!r} was undone: it cannot be synced ({error})"
            )
            self._status.value = self._current()
            return
        self._save()  # before the push leaves: a crash now still has the mutation
        self._client.send(messages)
        self._status.value = self._current()

    # -- the server --------------------------------------------------------------------------------

    def _changed(self) -> None:
        replica = self.replica
        if replica.last_error is not None and replica.last_error is not self._seen_error:
            self._seen_error = replica.last_error
            self._error = replica.last_error.message
        if replica.value != self._to_json(self.store._state.peek()):
            self._show(replica.value)
        self._save()
        self._status.value = self._current()

    def _show(self, value: Any) -> None:
        try:
            validated = self.store._codec.validate(value)  # its message says what is wrong
            self._validate(value)  # and fields the model does not have, which pydantic drops
        except (StoreError, UnknownFieldError) as error:
            self._error = (
                f"the server's value of {self.name!r} was refused (the store keeps its "
                f"value): {error}"
            )
            return
        self.store._take_synced(validated)

    # -- status and persistence --------------------------------------------------------------------

    def _current(self) -> SyncStatus:
        pending = self.replica.pending_count
        if self._error is not None:
            return SyncStatus("error", pending, self._error)
        if self.following:
            return SyncStatus("offline", pending, "another tab of this browser syncs this store")
        if not self.replica.online:
            return SyncStatus("offline", pending)
        return SyncStatus("pending", pending) if pending else SyncStatus("synced")

    def _open_replica(self) -> Replica:
        current = self._to_json(self.store._state.peek())
        saved = self._read()
        if saved is not None:
            try:
                replica = Replica.load(saved, self.name, self._shape)
            except ReplicaStateError as error:
                self._error = f"{error}; it was copied to {self._set_aside()!r}"
            else:
                if self.store._error.peek() is None:  # never push a quarantine's defaults
                    self._edit_quietly(replica, current)  # edits other tabs made meanwhile
                return replica
        # Never synced here: what the store holds goes to the server as this client's edits.
        replica = Replica(self.name, self._shape, self._default_json(), client=uuid.uuid4().hex)
        self._edit_quietly(replica, current)
        return replica

    def _edit_quietly(self, replica: Replica, value: Any) -> None:
        try:
            replica.edit(value)
        except DeltaError as error:
            self._error = f"the stored {self.store.key!r} cannot be synced ({error})"

    def _set_aside(self) -> str | None:
        """Copy unusable saved sync state aside before it is replaced (never lose data)."""
        slot = self.key + QUARANTINE_SUFFIX
        try:
            text = self._backend.get_item(self.key)
            if text is not None and self._backend.get_item(slot) is None:
                self._backend.set_item(slot, text)
        except QuotaExceededError, StorageAccessError:
            return None
        return slot

    def _default_json(self) -> Any:
        return self._to_json(self.store._fresh_default())

    def _read(self) -> Any:
        try:
            text = self._backend.get_item(self.key)
            return None if text is None else json.loads(text)
        except StorageAccessError, ValueError:
            return None

    def _save(self, *, take_over: bool = False) -> None:
        if self.following:
            return
        saved = None if take_over else self._read()
        if isinstance(saved, dict) and saved.get("tab") not in (None, self._tab):
            self._follow()
            return
        try:
            self._backend.set_item(self.key, json.dumps({**self.replica.dump(), "tab": self._tab}))
        except (QuotaExceededError, StorageAccessError) as error:
            self._error = f"the pending changes of {self.store.key!r} could not be saved: {error}"

    @property
    def _tab(self) -> str:
        return f"{TAB}:{id(self)}"  # two stores on one page (tests' two devices) are two tabs

    def _follow(self) -> None:
        self.following = True
        self._client.remove(self.name)
        self._status.value = self._current()

    def on_storage(self, change: StorageChange) -> None:
        """Another tab wrote <key>.sync: it took the store over."""
        if change.key in (None, self.key) and not self.following and change.new is not None:
            try:
                tab = json.loads(change.new).get("tab")
            except ValueError, AttributeError:
                return
            if tab != self._tab:
                self._follow()

    def close(self) -> None:
        self._unsubscribe()
        self._client.remove(self.name)
