"""Live reload: watch the app and the framework; tell open pages to reload (Server-Sent Events)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.requests import Request
from starlette.responses import StreamingResponse
from watchfiles import Change, awatch

WATCHED_SUFFIXES = (".py", ".toml", ".html", ".css", ".js", ".json")
KEEPALIVE_SECONDS = 15.0


def _relevant(change: Change, path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES) and "__pycache__" not in path


class ReloadHub:
    """Fans a 'reload' event out to every page that listens."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.listeners: set[asyncio.Queue[str]] = set()
        self.stop = asyncio.Event()

    def broadcast(self, message: str) -> None:
        for queue in self.listeners:
            queue.put_nowait(message)

    def close(self) -> None:
        self.stop.set()
        self.broadcast("close")

    async def watch(self) -> None:
        async for _ in awatch(*self.folders, watch_filter=_relevant, stop_event=self.stop):
            self.broadcast("reload")

    async def _stream(self, request: Request) -> AsyncIterator[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.listeners.add(queue)
        try:
            yield ": connected\n\n"
            while not self.stop.is_set():
                try:
                    message = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                if message == "close":
                    return
                yield f"event: {message}\ndata: {message}\n\n"
        finally:
            self.listeners.discard(queue)

    async def endpoint(self, request: Request) -> StreamingResponse:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            self._stream(request), media_type="text/event-stream", headers=headers
        )
