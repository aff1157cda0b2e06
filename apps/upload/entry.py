"""One file the user picked: its browser File, and the signals its row shows."""

import asyncio
from itertools import count
from typing import TYPE_CHECKING, Any

from framework import Signal
from framework.aio import Progress

if TYPE_CHECKING:  # preview.py needs the browser (pyscript); tests import this module without one
    from preview import Preview

INVALID = "invalid"  # refused by the checks in the browser; never sent
READY = "ready"  # checked, waiting for "Upload"
WAITING = "waiting"  # queued behind other uploads
UPLOADING = "uploading"
DONE = "done"
FAILED = "failed"  # the server refused it, or the network failed: can be retried
CANCELLED = "cancelled"  # stopped by the user: can be retried

ACTIVE = frozenset({WAITING, UPLOADING})
RETRYABLE = frozenset({FAILED, CANCELLED})

_keys = count(1)


class Entry:
    def __init__(self, file: Any, problem: str | None) -> None:
        self.key = next(_keys)
        self.file = file
        self.name = str(file.name)
        self.size = int(file.size)
        self.media_type = str(file.type)
        self.status = Signal(INVALID if problem else READY)
        self.message = Signal(problem or "")
        self.loaded = Signal(0)
        self.total = Signal(self.size)
        self.preview: Signal[Preview | None] = Signal(None)  # once read
        self.task: asyncio.Future[None] | None = None  # the running upload, to cancel it

    @property
    def fraction(self) -> float:
        total = self.total.value
        return min(1.0, self.loaded.value / total) if total else 0.0

    def report(self, progress: Progress) -> None:
        """An aio upload Progress: bytes of the request body sent so far."""
        self.loaded.value = progress.loaded
        if progress.total:
            self.total.value = progress.total

    def finish(self, status: str, message: str) -> None:
        self.status.value, self.message.value, self.task = status, message, None
        if status == DONE:
            self.loaded.value = self.total.value
