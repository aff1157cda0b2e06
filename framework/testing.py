"""Testing components that start tasks: `settle()` runs them, on a virtual clock.

Under `framework test` (and the framework's own unit tier) each test runs with a fresh
`TestLoop` as its running event loop. A task a component starts (`aio.run` in `setup()` or in
an effect), a timer, and the reactive flush a signal write schedules all wait on that loop until
the test calls `settle()`, which runs them, flushes the effects they cause and applies the DOM
operations, until nothing more is ready:

    dom = MemoryDom()
    mount(Books(), "#app", backend=dom)
    settle(dom)                  # the request is answered, the rows are rendered
    settle(dom, advance=5.0)     # and 5 virtual seconds later: timers, retries, timeouts

The clock is virtual (framework.aio.testing): `advance` moves it at once. An error a task did
not handle is raised by `settle()`. When a test ends with tasks still pending they are
cancelled and a `PendingTaskWarning` names them: a component that stays "loading" in a test is
said so (`-W error::framework.testing.PendingTaskWarning` makes it fail the test).

The testing kit (framework/testkit/, docs/testing.md) is re-exported here: `Screen(dom)` finds
elements by role, label and text, `User(dom)` clicks and types, `until()` waits.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from framework.aio.testing import MAX_STEPS, NotSettled, TestLoop, describe_task
from framework.reactive import flush
from framework.testkit import (
    ElementNotFound,
    MultipleElementsFound,
    Screen,
    UntilTimeout,
    User,
    until,
)

if TYPE_CHECKING:
    from framework.template.renderer import Renderer

__all__ = [
    "ElementNotFound",
    "MultipleElementsFound",
    "NotSettled",
    "PendingTaskWarning",
    "Screen",
    "UntilTimeout",
    "User",
    "pending_tasks",
    "settle",
    "until",
]

CANCEL_STEPS = 100  # loop iterations a cancelled task gets to run its cleanup at the test's end


class Document(Protocol):
    """What settle() commits: the result of mount(), or a backend such as MemoryDom."""

    @property
    def renderer(self) -> Renderer | None: ...


class PendingTaskWarning(UserWarning):
    """A test ended with tasks still pending; they were cancelled."""


_loop: TestLoop | None = None
_outer: asyncio.AbstractEventLoop | None = None


def settle(*documents: Document, advance: float = 0.0) -> None:
    """Run the ready tasks, callbacks and effects until none is left, applying each
    document's DOM operations; with `advance`, also the timers due within that many virtual
    seconds, the clock ending `advance` seconds later. Raises the first error a task did not
    handle, and `NotSettled` if the work never stops (naming the tasks still pending)."""
    loop = _test_loop("settle()")
    if advance < 0:
        raise ValueError(f"settle(advance={advance}): the clock only moves forward")
    deadline = loop.time() + advance
    for _ in range(MAX_STEPS):
        _apply(documents)
        _raise_task_error(loop)
        if loop.has_ready_work() or _timer_due(loop, deadline):
            loop.step()
            continue
        loop.now = max(loop.now, deadline)
        return
    raise NotSettled(
        f"settle() ran {MAX_STEPS} loop iterations and work was still ready: something "
        "schedules itself again and again (a task looping without a real wait, or a timer much "
        f"shorter than advance={advance}). Pending:\n{_listing(loop)}"
    )


def pending_tasks() -> list[str]:
    """The tasks of this test not finished yet, each as `coroutine() waiting at file:line`."""
    return [describe_task(task) for task in _test_loop("pending_tasks()").pending_tasks()]


def _test_loop(caller: str) -> TestLoop:
    loop = _loop
    if loop is None:
        raise RuntimeError(
            f"{caller} runs the event loop `framework test` gives each test, and no test is "
            "running: call it from a test function run by `framework test`"
        )
    if asyncio._get_running_loop() is not loop:
        raise RuntimeError(
            f"{caller} is called from a test function, not from a coroutine; inside a "
            "coroutine, `await aio.sleep(0)` lets the other tasks run"
        )
    return loop


def _apply(documents: tuple[Document, ...]) -> None:
    flush()
    for document in documents:
        renderer = document.renderer
        if renderer is not None:
            renderer.commit()


def _timer_due(loop: TestLoop, deadline: float) -> bool:
    when = loop.next_timer()
    return when is not None and when <= deadline


def _raise_task_error(loop: TestLoop) -> None:
    if not loop.errors:
        return
    (error, where), *others = loop.errors
    loop.errors.clear()
    if where:
        error.add_note(f"(unhandled in the task {where})")
    if others:
        error.add_note(f"({len(others)} more task error(s) after this one)")
    raise error


def _listing(loop: TestLoop) -> str:
    tasks = [f"  - {describe_task(task)}" for task in loop.pending_tasks()]
    return "\n".join(tasks) or "  (no task: callbacks or timers only)"


# -- the loop of each test (the test runner's hooks call these) ---------------------------------


def start_test_loop() -> TestLoop:
    """Give the test about to run a fresh loop, in place of the one running (Pyodide's)."""
    global _loop, _outer  # noqa: PLW0603 - one test runs at a time
    if _loop is not None:
        finish_test_loop()
    _outer = asyncio._get_running_loop()
    _loop = TestLoop()
    asyncio._set_running_loop(_loop)
    return _loop


def finish_test_loop() -> list[str]:
    """Cancel what the test left pending, close its loop, put the previous one back; returns
    the pending tasks as `pending_tasks()` describes them."""
    global _loop  # noqa: PLW0603 - one test runs at a time
    loop = _loop
    if loop is None:
        return []
    try:
        left = loop.pending_tasks()
        described = [describe_task(task) for task in left]
        for task in left:
            task.cancel()
        # Let them run their `finally` blocks: a cancelled request tells its transport.
        for _ in range(CANCEL_STEPS):
            if not loop.pending_tasks() or not (loop.has_ready_work() or loop.next_timer()):
                break
            loop.step()
        loop.close()
        return described
    finally:
        _loop = None
        asyncio._set_running_loop(_outer)


def pending_warning(described: list[str]) -> PendingTaskWarning:
    listing = "\n".join(f"  - {task}" for task in described)
    return PendingTaskWarning(
        f"{len(described)} task(s) still pending when the test ended (now cancelled):\n"
        f"{listing}\nCall settle(...) (settle(..., advance=seconds) for timers) before "
        "asserting, or make the mock transport answer."
    )
