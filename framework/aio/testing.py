"""Run a coroutine to completion synchronously, on a loop whose clock is virtual. For tests.

Pyodide's own loop (the browser's) cannot block, so a plain test function cannot wait for a
coroutine on it. `run_sync` runs the coroutine on a private asyncio loop whose clock jumps to
the next timer instead of waiting: `await asyncio.sleep(30)` returns at once with
`loop.time()` 30 s later, so timeouts, retries and backoff are tested exactly and fast. If the
coroutine waits for something no timer will ever bring, `run_sync` raises `Deadlock` rather
than hanging. Works the same on CPython and in Pyodide.

`TestLoop` is the same clock as the loop of a whole test: `framework test` gives each test one
as its running loop, so the tasks the test's components start wait there until
`framework.testing.settle()` steps it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
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


class NotSettled(RuntimeError):
    """Work that keeps becoming ready (a task or timer that re-arms itself for ever)."""


MAX_STEPS = 10_000  # loop iterations settle() allows before deciding the work never ends


class TestLoop(VirtualClockLoop):
    """The loop a test runs on: tasks started during the test (`aio.run` in a component's
    setup or an effect) are created here and run only when the test lets them, by `step`.

    Unhandled task errors are collected (not logged), so the test that caused them fails."""

    __test__ = False  # not a test class, whatever pytest's naming rules say

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[tuple[BaseException, str]] = []
        self.set_exception_handler(_collect_into(self.errors))

    def has_ready_work(self) -> bool:
        return bool(self._ready)  # type: ignore[attr-defined]  # BaseEventLoop's run queue

    def next_timer(self) -> float | None:
        """When the earliest live timer is due, or None without one."""
        live = [t.when() for t in self._scheduled if not t.cancelled()]  # type: ignore[attr-defined]
        return min(live, default=None)

    def step(self) -> None:
        """Run one loop iteration: jump to the next timer if nothing is ready, run what is."""
        self._run_once()  # type: ignore[attr-defined]

    def pending_tasks(self) -> list[asyncio.Task[Any]]:
        return [task for task in asyncio.all_tasks(self) if not task.done()]


def _collect_into(
    errors: list[tuple[BaseException, str]],
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    def collect(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if not isinstance(error, BaseException):
            error = RuntimeError(str(context.get("message", context)))
        task = context.get("task") or context.get("future")
        where = describe_task(task) if isinstance(task, asyncio.Task) else ""
        errors.append((error, where))

    return collect


def describe_task(task: asyncio.Task[Any]) -> str:
    """`Books.load() waiting at books.py:14`: the task's coroutine and where it waits now."""
    coroutine: Any = task.get_coro()
    name = getattr(coroutine, "__qualname__", repr(coroutine))
    frame = None
    awaited = coroutine
    # Down the chain of awaited coroutines to the innermost one outside asyncio itself.
    while awaited is not None and getattr(awaited, "cr_frame", None) is not None:
        if not awaited.cr_frame.f_code.co_filename.startswith(_ASYNCIO):
            frame = awaited.cr_frame
        awaited = awaited.cr_await
    if frame is None:
        return f"{name}()"
    return f"{name}() waiting at {frame.f_code.co_filename}:{frame.f_lineno}"


_ASYNCIO = str(Path(asyncio.__file__).parent)
