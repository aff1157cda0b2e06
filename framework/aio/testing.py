"""Run a coroutine to completion synchronously, on a loop whose clock is virtual. For tests.

Pyodide's own loop (the browser's) cannot block, so a plain test function cannot wait for a
coroutine on it. `run_sync` runs the coroutine on a private asyncio loop whose clock jumps to
the next timer instead of waiting: `await asyncio.sleep(30)` returns at once with
`loop.time()` 30 s later, so timeouts, retries and backoff are tested exactly and fast. If the
coroutine waits for something no timer will ever bring, `run_sync` raises `Deadlock` rather
than hanging. Works the same on CPython and in Pyodide.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class Deadlock(RuntimeError):
    pass


class _VirtualClock:
    """Stands in for the selector: instead of sleeping until the next timer, jump to it."""

    def __init__(self, loop: VirtualClockLoop) -> None:
        self._loop = loop

    def select(self, timeout: float | None) -> list[Any]:
        if timeout is None:
            raise Deadlock(
                "the coroutine waits for something that will never happen: no callback is "
                "ready and no timer is scheduled"
            )
        self._loop.now += timeout
        return []

    def close(self) -> None:
        pass


class VirtualClockLoop(asyncio.BaseEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self._selector = _VirtualClock(self)

    def time(self) -> float:
        return self.now

    def _process_events(self, event_list: list[Any]) -> None:
        pass

    def _write_to_self(self) -> None:
        pass


def run_sync[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run coroutine to the end on a fresh VirtualClockLoop and return its result."""
    # Pyodide marks its browser loop as running for good; step aside while ours runs.
    outer = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
            return runner.run(coroutine)
    finally:
        asyncio._set_running_loop(outer)
