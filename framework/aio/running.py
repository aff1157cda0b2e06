"""Running coroutines on the browser's event loop without ever blocking it.

`run` starts a task and returns it at once; an exception nobody handled inside it goes to the
loop's exception handler, which the browser layer points at the error overlay. The rest is
asyncio itself, re-exported so that `aio` is one import: asyncio's semantics are the ones users
know and test (`gather` keeps falsy results in order; `Queue.task_done` counts).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Coroutine
from typing import Any

from framework import files

sleep = asyncio.sleep
gather = asyncio.gather
wait_for = asyncio.wait_for
timeout = asyncio.timeout
shield = asyncio.shield
Queue = asyncio.Queue
Semaphore = asyncio.Semaphore
CancelledError = asyncio.CancelledError
Task = asyncio.Task


def run[T](coroutine: Coroutine[Any, Any, T] | Awaitable[T]) -> asyncio.Future[T]:
    """Start `coroutine` as a task and return the task without waiting for it.

    The task is kept referenced until it finishes (a bare create_task can be garbage-collected
    mid-flight), and an exception it does not handle is reported to the loop's exception
    handler as soon as it happens; cancelling the task is not an error.
    """
    if inspect.iscoroutinefunction(coroutine) or (
        callable(coroutine) and not inspect.isawaitable(coroutine)
    ):
        raise TypeError(
            f"aio.run() takes a coroutine object: call the async function, "
            f"aio.run({getattr(coroutine, '__name__', 'main')}()), not aio.run(<function>)"
        )
    if not inspect.isawaitable(coroutine):
        raise TypeError(f"aio.run() takes a coroutine, not {type(coroutine).__name__}")
    task = asyncio.ensure_future(coroutine)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


_running: set[asyncio.Future[Any]] = set()


def _finished(task: asyncio.Future[Any]) -> None:
    _running.discard(task)
    files.changed()  # the app's task may have written a persistent folder
    if task.cancelled():
        return
    error = task.exception()  # retrieved: asyncio will not log it again at garbage collection
    if error is not None:
        task.get_loop().call_exception_handler(
            {"message": "Unhandled exception in aio.run() task", "exception": error, "task": task}
        )
