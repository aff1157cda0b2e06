"""Live reload: watch the app and the framework; tell open pages to reload (Server-Sent Events).

The same watch runs `framework check` on the app at start and after each change, and sends its
problems to the pages as a `check` event (the page shows them in its error overlay), so a typo'd
event or an unclosed tag is pointed at before the page gets to it.

Each change is first shown to the server (`on_change`), which decides whether pages reload: a
change to `server.py` alone restarts the API in place and leaves the pages as they are. What the
server reports meanwhile (`report`: an `api` that failed to load, wheels it `prepare`s) goes to
the pages as events of that name, and again to each page that connects later.

What the pages get for a change (`page_update`): a `hot` event with the new source of each
edited app module, which the page swaps in while it runs and keeps its state (hot reload,
framework/component/hot.py, framework/browser/hot_reload.py); or a `reload` event with the
reason a change cannot be applied that way (the entry module, a stylesheet, the framework, a new
package), which the page tells in its console before it loads again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import StreamingResponse
from watchfiles import Change, awatch

from framework.cli.app import module_name

WATCHED_SUFFIXES = (".py", ".toml", ".html", ".css", ".js", ".json")
KEEPALIVE_SECONDS = 15.0

Checker = Callable[[], str]  # the app's check problems as text, "" when there are none
Message = tuple[str, str]  # (SSE event name, its data)
ChangeHandler = Callable[[set[Path]], Message | None]  # the changed files -> what pages get
CLOSE: Message = ("close", "")
RELOAD: Message = ("reload", "reload")  # no reason known: a plain reload


def reload_message(reason: str) -> Message:
    """Pages load again; their console says why (a JSON string)."""
    return ("reload", json.dumps(reason))


def page_update(root: Path, entry: str, paths: set[Path], shipped: set[Path]) -> Message | None:
    """What the open pages do about these changed files of the app at `root` (`shipped`: the
    files the page has): swap the edited modules in (`hot`), load again (`reload`, with the
    reason), or nothing (no file the page has changed)."""
    modules = []
    for path in sorted(paths):
        if not path.is_relative_to(root.resolve()):
            return reload_message(f"the framework's {path.name} changed")
        relative = path.relative_to(root.resolve()).as_posix()
        if not path.is_file():
            return reload_message(f"{relative} was removed")
        if path not in shipped:
            continue  # not in the page (server-side code, tests)
        if path.suffix != ".py":
            return reload_message(f"{relative} changed (only Python modules are hot-swapped)")
        if relative == entry:
            return reload_message(f"{relative} is the entry module: it runs once, at start")
        source = path.read_text(encoding="utf-8", errors="replace")
        modules.append({"module": module_name(relative), "path": relative, "source": source})
    return ("hot", json.dumps({"modules": modules})) if modules else None


def _relevant(change: Change, path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES) and "__pycache__" not in path


class ReloadHub:
    """Fans 'reload' and 'check' events out to every page that listens."""

    def __init__(
        self,
        folders: list[Path],
        checker: Checker | None = None,
        on_change: ChangeHandler | None = None,
    ) -> None:
        self.folders = folders
        self.checker = checker
        self.on_change = on_change
        self.listeners: set[asyncio.Queue[Message]] = set()
        self.stop = asyncio.Event()
        self.check_text: str | None = None  # the latest check's problems; None while it runs
        self.reports: dict[str, str] = {}  # event -> the server's latest text for it
        self._recheck = asyncio.Event()

    def broadcast(self, event: str, data: str | None = None) -> None:
        for queue in self.listeners:
            queue.put_nowait((event, event if data is None else data))

    def report(self, event: str, text: str) -> None:
        """Tell the pages `text` ("" once it no longer holds) as `event`, now and on connect."""
        if self.reports.get(event, "") == text:
            return
        self.reports[event] = text
        self.broadcast(event, json.dumps(text))

    def close(self) -> None:
        self.stop.set()
        for queue in self.listeners:
            queue.put_nowait(CLOSE)

    async def watch(self) -> None:
        checking = asyncio.create_task(self._check_after_changes()) if self.checker else None
        self._recheck.set()
        try:
            async for changes in awatch(
                *self.folders, watch_filter=_relevant, stop_event=self.stop
            ):
                self.check_text = None  # a page reloaded now must not get the old result
                self._recheck.set()
                update = self._page_update({Path(path).resolve() for _, path in changes})
                if update is not None:
                    self.broadcast(*update)
        finally:
            if checking is not None:
                checking.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await checking

    def _page_update(self, paths: set[Path]) -> Message | None:
        if self.on_change is None:
            return RELOAD
        try:
            return self.on_change(paths)
        except Exception as error:  # noqa: BLE001 - a failed handler must not stop live reload
            print(f"framework: live reload: {error!r}", file=sys.stderr, flush=True)
            return reload_message(f"the dev server could not tell what changed: {error!r}")

    async def _check_after_changes(self) -> None:
        """One check at a time; changes made while it runs are checked next, together."""
        assert self.checker is not None
        while True:
            await self._recheck.wait()
            self._recheck.clear()
            text = await _in_daemon_thread(self.checker)
            if self._recheck.is_set():
                continue  # already out of date
            self.check_text = text
            self.broadcast("check", json.dumps(text))

    async def _stream(self, request: Request) -> AsyncIterator[str]:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self.listeners.add(queue)
        try:
            yield ": connected\n\n"
            if self.check_text:  # a page that connects after the check still gets its result
                yield f"event: check\ndata: {json.dumps(self.check_text)}\n\n"
            for event, text in self.reports.items():
                if text:
                    yield f"event: {event}\ndata: {json.dumps(text)}\n\n"
            while not self.stop.is_set():
                try:
                    event, data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
                    continue
                if (event, data) == CLOSE:
                    return
                yield f"event: {event}\ndata: {data}\n\n"
        finally:
            self.listeners.discard(queue)

    async def endpoint(self, request: Request) -> StreamingResponse:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            self._stream(request), media_type="text/event-stream", headers=headers
        )


def _in_daemon_thread(function: Checker) -> asyncio.Future[str]:
    """function() in a thread that does not hold up the server's exit (a check runs Node for
    seconds; Ctrl+C must not wait for it, as `asyncio.to_thread` would)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(text: str) -> None:
        if not future.done():
            future.set_result(text)

    def run() -> None:
        try:
            text = function()
        except Exception as error:  # noqa: BLE001 - a failed check must not stop live reload
            text = f"framework check failed: {error!r}"
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(settle, text)

    threading.Thread(target=run, name="framework-check", daemon=True).start()
    return future
