"""Persistent folders: files under the folders `[framework] persist` names survive a reload.

The browser layer mounts each folder before the app's entry module runs, with what was saved
there, and installs a `FolderSaver` here (`set_folder_saver`). From then on the framework saves
after each event handler and each task of the app (`changed`), without being asked: one save
runs at a time, and writes made while it runs are saved by one more save after it, however many
there were. `await files.save()` saves at once and raises OSError with the reason when it fails.
A folder is exported as a zip (`export_zip`) and replaced by one (`await import_zip(...)`,
validated in framework/folder_zip.py, then saved); `download` and `read_picked` move the bytes
to and from the user through the browser layer's `FileTransfers`. When another tab of the app
saves, `plan_reload` decides which of its files this tab loads (its own unsaved changes win,
with a warning), and `reloaded` tells the app which ones changed; `usage` and `persist` report
and keep the origin's storage (`StorageQuota`), and a save refused for space is OSError(ENOSPC).

No `js` here: the in-memory saver of the unit tests goes through the same scheduling as the
browser's (framework/browser/files.py). See docs/files.md.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from framework.reactive import Computed, Signal

__all__ = [
    "ExportRefused",
    "FileTransfers",
    "FolderSaver",
    "ImportLimits",
    "ImportRefused",
    "ReloadPlan",
    "ReloadedFiles",
    "SaveScheduler",
    "StorageQuota",
    "changed",
    "download",
    "export_zip",
    "import_zip",
    "persist",
    "persistent_folders",
    "plan_reload",
    "read_picked",
    "record_reload",
    "reloaded",
    "save",
    "save_error",
    "set_file_transfers",
    "set_folder_saver",
    "set_storage_quota",
    "usage",
]

_log = logging.getLogger("framework.files")


class FolderSaver(Protocol):
    """What the browser layer provides: the folders, and a save of all of them."""

    def folders(self) -> tuple[str, ...]:
        """The persistent folders, as configured (absolute paths)."""
        ...

    def start_save(self) -> Awaitable[None]:
        """Start saving every persistent folder now, with the files as they are at this call;
        the result completes when the save is durable and fails with OSError if it is not."""
        ...


class SaveScheduler:
    """At most one save in flight and one waiting: a request while a save runs marks the
    waiting one, which starts when the running one ends and sees every write made until then.

    A request starts its save at once, in the caller's task (no debounce): a reload right after
    a click then finds the save already under way (measured in docs/files.md)."""

    def __init__(self, saver: FolderSaver) -> None:
        self.saver = saver
        self._running = False
        # Who waits for the save that starts after the running one (None: no save waits).
        self._queued: list[asyncio.Future[None]] | None = None

    def request(self) -> None:
        """A save soon: now if none runs, else once more after the running one."""
        self._schedule(None)

    async def save(self) -> None:
        """Save every write made until now; OSError with the reason if the save fails."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._schedule(done)
        await done

    def _schedule(self, waiter: asyncio.Future[None] | None) -> None:
        waiters = [] if waiter is None else [waiter]
        if not self._running:
            self._start(waiters)
        elif self._queued is None:
            self._queued = waiters
        else:
            self._queued.extend(waiters)

    def _start(self, waiters: list[asyncio.Future[None]]) -> None:
        self._running = True
        try:
            pending = self.saver.start_save()
        except OSError as error:
            self._finish(waiters, error)
            return
        task = asyncio.ensure_future(self._complete(pending, waiters))
        _in_flight.add(task)
        task.add_done_callback(_in_flight.discard)

    async def _complete(
        self, pending: Awaitable[None], waiters: list[asyncio.Future[None]]
    ) -> None:
        error: OSError | None = None
        try:
            await pending
        except OSError as failure:
            error = failure
        except Exception as failure:  # noqa: BLE001 - the browser's own errors, as OSError
            error = save_error(f"the save failed: {failure}")
        self._finish(waiters, error)

    def _finish(self, waiters: list[asyncio.Future[None]], error: OSError | None) -> None:
        for waiter in waiters:
            if waiter.done():
                continue
            if error is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(error)
        if error is not None and not waiters:  # nobody to raise it to: the page's warnings
            _log.warning("persistent folders %s not saved: %s", self.saver.folders(), error)
        queued, self._queued = self._queued, None
        self._running = False
        if queued is not None:
            self._start(queued)


def save_error(reason: str) -> OSError:
    """The OSError for a save the browser refused, `reason` being its words: ENOSPC when the
    storage is full (IndexedDB's QuotaExceededError, which aborts the whole transaction, so
    nothing saved before is lost), EIO otherwise."""
    code = errno.ENOSPC if "QuotaExceededError" in reason else errno.EIO
    return OSError(code, reason)


_in_flight: set[asyncio.Future[None]] = set()  # strong references until each save ends
_scheduler: SaveScheduler | None = None


def set_folder_saver(saver: FolderSaver | None) -> SaveScheduler | None:
    """Install the saver of the persistent folders (the browser layer does, at boot; tests
    install an in-memory one); None removes it. Returns the scheduler that now serves saves."""
    global _scheduler  # noqa: PLW0603 - one page, one set of persistent folders
    _scheduler = None if saver is None else SaveScheduler(saver)
    return _scheduler


def persistent_folders() -> tuple[str, ...]:
    """The folders whose files survive a reload in this page (empty: none, or not a browser)."""
    return () if _scheduler is None else _scheduler.saver.folders()


def changed() -> None:
    """The app may have written files: save soon. The framework calls it after each event
    handler and task of the app; without persistent folders it does nothing."""
    if _scheduler is not None:
        _scheduler.request()


async def save() -> None:
    """Save the persistent folders now, with every write made until this call.

    Raises OSError with the reason if the browser refused: errno ENOSPC when the storage is
    full, EIO otherwise (IndexedDB blocked); what was saved before stays saved. Without
    persistent folders, nothing to do."""
    if _scheduler is not None:
        await _scheduler.save()


# -- quota ----------------------------------------------------------------------------------------


class StorageQuota(Protocol):
    """What the browser layer provides: the origin's storage use, and persistent storage."""

    def estimate(self) -> Awaitable[tuple[int, int]]:
        """(bytes used, bytes this origin may use), as the browser estimates them."""
        ...

    def persist(self) -> Awaitable[bool]:
        """Ask that the origin's storage be kept under storage pressure; True if it is."""
        ...


_quota: StorageQuota | None = None


def set_storage_quota(quota: StorageQuota | None) -> None:
    """Install how storage is measured (the browser layer does at boot; tests install a fake)."""
    global _quota  # noqa: PLW0603 - one page, one origin's storage
    _quota = quota


def _installed_quota(what: str) -> StorageQuota:
    if _quota is None:
        raise RuntimeError(f"files.{what} needs a browser (or, in a test, set_storage_quota)")
    return _quota


async def usage() -> tuple[int, int]:
    """(bytes used, quota in bytes) of this origin's storage, all apps of the origin together
    (`navigator.storage.estimate()`): an estimate, padded by the browser for privacy."""
    return await _installed_quota("usage").estimate()


async def persist() -> bool:
    """Ask the browser to keep this origin's storage when the disk runs short
    (`navigator.storage.persist()`); True if it will. Browsers may decide without asking the
    user (Chromium grants it to sites the user engages with, an installed app, a bookmark)."""
    return await _installed_quota("persist").persist()


# -- another tab's save ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReloadPlan:
    """What this tab does when another tab of the app saved some paths of a shared folder."""

    reload: tuple[str, ...]  # take the database's version into this tab's files
    remove: tuple[str, ...]  # the other tab deleted them: delete them here too
    kept: tuple[str, ...]  # changed here and not saved yet: this tab's version stays


def plan_reload(
    paths: Iterable[str],
    database: Mapping[str, float],
    saved: Mapping[str, float],
    local: Mapping[str, float],
    directories: Iterable[str] = (),
) -> ReloadPlan:
    """The rule for another tab's save of `paths` (docs/files.md, "Two tabs").

    Each mapping gives a path's modification time (ms): in the database now, as this tab last
    saved or loaded it, and in this tab's files now; a missing path is absent there, and -1 is a
    file to write again at the next save. A path this tab has not changed since (local equals
    saved) is reloaded, or removed if the database no longer has it. A file this tab changed and
    has not saved keeps this tab's version, which its next save writes over the other tab's:
    logged as a warning naming the file. A folder's time changes with its files: never a
    conflict, it is created if missing."""
    folders = set(directories)
    reload: list[str] = []
    remove: list[str] = []
    kept: list[str] = []
    for path in paths:
        unchanged_here = local.get(path) == saved.get(path) and saved.get(path) != -1
        if not unchanged_here and path not in folders:
            kept.append(path)
        elif path in database:
            reload.append(path)
        elif path in local:  # a folder with files this tab added stays (rmdir fails)
            remove.append(path)
    for path in kept:
        _log.warning(
            "%s was saved by another tab of this app while this tab had changed it: this "
            "tab's version is kept and its next save replaces the other's",
            path,
        )
    return ReloadPlan(tuple(reload), tuple(remove), tuple(kept))


@dataclass(frozen=True)
class ReloadedFiles:
    """Another tab's saves, as they changed this tab's files: how many changed some (0: none
    yet, since the page started), and the paths the latest one reloaded or removed."""

    count: int = 0
    paths: tuple[str, ...] = ()


# Written only by record_reload; the app reads it through `reloaded`, which it cannot write.
_reloads: Signal[ReloadedFiles] = Signal(ReloadedFiles(), name="files reloaded")
reloaded: Computed[ReloadedFiles] = Computed(lambda: _reloads.value, name="files.reloaded")
"""Reactive: a render, computed or effect that reads `files.reloaded.value` runs again after
each save of another tab that changed files here, so a list read from a database is read again
(docs/files.md, "Two tabs")."""


def record_reload(paths: Iterable[str]) -> None:
    """Another tab's save has just reloaded or removed `paths` in this tab's files (the browser
    layer calls it once the files are in place): `reloaded` changes, and what reads it runs
    again. No path changed here (each one kept this tab's version): nothing to tell."""
    changed = tuple(sorted(set(paths)))
    if changed:
        _reloads.value = ReloadedFiles(_reloads.peek().count + 1, changed)


# -- export and import (framework/folder_zip.py, imported when first used) ----------------------


class ImportRefused(ValueError):
    """The archive was not imported, and the folder is as it was: the message says why."""


class ExportRefused(ValueError):
    """The folder cannot be exported as it is now: the message says what to do."""


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold: bytes per file, bytes in all, entries (files and folders).
    The defaults fit what a page holds comfortably: a persistent folder lives in memory."""

    max_file_bytes: int = 64_000_000
    max_total_bytes: int = 256_000_000
    max_entries: int = 10_000


def export_zip(folder: str | os.PathLike[str]) -> bytes:
    """The folder's files and folders as a zip archive, sorted, paths relative to the folder.

    Raises ExportRefused for a symbolic link in the folder (an import refuses them) or a SQLite
    database with a write transaction open (commit it first)."""
    from framework.folder_zip import export_zip as exported  # here: not loaded at boot

    return exported(folder)


async def import_zip(
    folder: str | os.PathLike[str],
    data: bytes,
    *,
    max_file_bytes: int = ImportLimits.max_file_bytes,
    max_total_bytes: int = ImportLimits.max_total_bytes,
    max_entries: int = ImportLimits.max_entries,
) -> None:
    """Replace the folder's files with the archive's (one `export_zip` made), then save.

    All or nothing: ImportRefused (a ValueError) says what was wrong with the archive and what
    to do, and the folder is as it was. OSError: the swap failed (the old files are back) or
    the save did (the new files are in the page, not yet saved)."""
    from framework.folder_zip import replace_folder  # here: not loaded at boot

    replace_folder(folder, data, ImportLimits(max_file_bytes, max_total_bytes, max_entries))
    await save()


# -- moving bytes to and from the user -----------------------------------------------------------


class FileTransfers(Protocol):
    """What the browser layer provides to hand a file to the user and to read one they picked."""

    def download(self, name: str, data: bytes, media_type: str) -> None:
        """Offer `data` as a download named `name`, as a click on a download link would."""
        ...

    def read_picked(self, event: Any) -> Awaitable[tuple[str, bytes] | None]:
        """(name, bytes) of the file picked in the `<input type="file">` of a change event,
        or None when nothing was picked; the input is cleared, so the same file can be picked
        again."""
        ...


_transfers: FileTransfers | None = None


def set_file_transfers(transfers: FileTransfers | None) -> None:
    """Install how files reach the user (the browser layer does at boot; tests install a fake)."""
    global _transfers  # noqa: PLW0603 - one page, one way to reach its user
    _transfers = transfers


def _installed_transfers(what: str) -> FileTransfers:
    if _transfers is None:
        raise RuntimeError(f"files.{what} needs a browser (or, in a test, set_file_transfers)")
    return _transfers


def download(name: str, data: bytes, media_type: str = "application/zip") -> None:
    """Offer `data` to the user as a file named `name` (a download, no server involved)."""
    _installed_transfers("download").download(name, data, media_type)


async def read_picked(event: Any) -> tuple[str, bytes] | None:
    """(name, bytes) of the file the user picked, from the change event of an
    `<input type="file">`; None if they picked none."""
    return await _installed_transfers("read_picked").read_picked(event)
