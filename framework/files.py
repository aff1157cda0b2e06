"""Persistent folders: files under the folders `[framework] persist` names survive a reload.

The browser layer mounts each folder before the app's entry module runs, with what was saved
there, and installs a `FolderSaver` here (`set_folder_saver`). From then on the framework saves
after each event handler and each task of the app (`changed`), without being asked: one save
runs at a time, and writes made while it runs are saved by one more save after it, however many
there were. `await files.save()` saves at once and raises OSError with the reason when it fails.

No `js` here: the in-memory saver of the unit tests goes through the same scheduling as the
browser's (framework/browser/files.py). See docs/files.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Protocol

__all__ = [
    "FolderSaver",
    "SaveScheduler",
    "changed",
    "persistent_folders",
    "save",
    "set_folder_saver",
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
            error = OSError(f"the save failed: {failure}")
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

    Raises OSError with the reason if the browser refused (storage full, IndexedDB blocked);
    what was saved before stays saved. Without persistent folders, nothing to do."""
    if _scheduler is not None:
        await _scheduler.save()
