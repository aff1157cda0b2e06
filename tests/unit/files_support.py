"""An in-memory stand-in for the browser's saver of persistent folders (framework.files)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import Any

from framework import files


class MemorySaver:
    """Files in a dict; each save copies them when it starts and stores the copy when the test
    ends it (`finish`), or fails with the given OSError."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.saved: dict[str, str] = {}
        self.started: list[dict[str, str]] = []  # the copy each save took, in order
        self._ends: list[asyncio.Future[None]] = []

    def folders(self) -> tuple[str, ...]:
        return ("/data",)

    def start_save(self) -> Awaitable[None]:
        copy = dict(self.files)
        self.started.append(copy)
        end: asyncio.Future[None] = asyncio.get_event_loop().create_future()
        self._ends.append(end)
        return self._store(copy, end)

    async def _store(self, copy: dict[str, str], end: asyncio.Future[None]) -> None:
        await end
        self.saved = copy

    def finish(self, error: Exception | None = None) -> None:
        """End the oldest save still running, or fail it with `error` (an OSError as the
        browser layer raises it, or any other exception as the browser's own)."""
        end = next(end for end in self._ends if not end.done())
        if error is None:
            end.set_result(None)
        else:
            end.set_exception(error)

    @property
    def running(self) -> int:
        return sum(not end.done() for end in self._ends)


class FakeTransfers:
    """Downloads recorded; the "picked" file is the event's `picked` field (None: cancelled)."""

    def __init__(self) -> None:
        self.downloads: list[tuple[str, bytes, str]] = []

    def download(self, name: str, data: bytes, media_type: str) -> None:
        self.downloads.append((name, data, media_type))

    async def read_picked(self, event: Any) -> tuple[str, bytes] | None:
        picked: tuple[str, bytes] | None = getattr(event, "picked", None)
        return picked


class FakeQuota:
    """The origin's storage as numbers the test sets; `persist` answers `granted`."""

    def __init__(self, used: int, quota: int, *, granted: bool) -> None:
        self.used = used
        self.quota = quota
        self.granted = granted
        self.asked = 0

    async def estimate(self) -> tuple[int, int]:
        return self.used, self.quota

    async def persist(self) -> bool:
        self.asked += 1
        return self.granted


@contextmanager
def memory_saver() -> Iterator[MemorySaver]:
    """A MemorySaver installed as the page's saver of persistent folders, for the block."""
    memory = MemorySaver()
    files.set_folder_saver(memory)
    try:
        yield memory
    finally:
        files.set_folder_saver(None)
