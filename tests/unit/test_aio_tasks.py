"""aio.run, sleep, gather (A14), Queue (A17), timeout, and what blocking calls do (A11)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from framework import aio
from framework.aio.testing import run_sync
from framework.testing import finish_test_loop, start_test_loop
from tests.unit.aio_support import collect_loop_errors


def test_run_returns_a_task_at_once_and_the_task_finishes_later() -> None:
    async def work(log: list[str]) -> str:
        log.append("started")
        await aio.sleep(5)
        log.append("finished")
        return "done"

    async def main() -> tuple[list[str], list[str], str]:
        log: list[str] = []
        task = aio.run(work(log))
        right_after = list(log)
        return right_after, log, await task

    right_after, log, result = run_sync(main())
    assert right_after == []  # run() did not wait, not even for the first step
    assert (log, result) == (["started", "finished"], "done")


def test_run_sends_an_unhandled_exception_to_the_loop_handler() -> None:
    async def broken() -> None:
        await aio.sleep(0)
        raise ValueError("lost in a task")

    async def main() -> list[BaseException]:
        errors: list[BaseException] = []
        collect_loop_errors(errors)
        aio.run(broken())
        await aio.sleep(1)
        return errors

    errors = run_sync(main())
    assert [str(e) for e in errors] == ["lost in a task"]


def test_a_cancelled_run_task_is_not_reported() -> None:
    async def main() -> list[BaseException]:
        errors: list[BaseException] = []
        collect_loop_errors(errors)
        task = aio.run(aio.sleep(10))
        await aio.sleep(1)
        task.cancel()
        await aio.sleep(1)
        return errors

    assert run_sync(main()) == []


def test_run_with_the_function_instead_of_a_coroutine_says_how_to_call_it() -> None:
    async def main() -> None:
        pass

    with pytest.raises(TypeError, match=r"aio.run\(main\(\)\)"):
        aio.run(main)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a coroutine, not int"):
        aio.run(3)  # type: ignore[arg-type]


def test_sleep_waits_the_given_time_on_the_loop_clock() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await aio.sleep(3)
        return loop.time() - start

    assert run_sync(main()) == 3


async def _value(value: object, delay: float) -> object:
    await aio.sleep(delay)
    return value


async def _fails(delay: float) -> None:
    await aio.sleep(delay)
    raise LookupError("one failed")


def test_a14_gather_keeps_falsy_results_in_order() -> None:
    async def main() -> list[object]:
        return await aio.gather(_value(0, 3), _value("", 1), _value(None, 2), _value([], 0))

    assert run_sync(main()) == [0, "", None, []]


def test_a14_gather_propagates_an_exception() -> None:
    async def main() -> list[object]:
        return await aio.gather(_value(0, 1), _fails(2), _value(None, 3))

    with pytest.raises(LookupError, match="one failed"):
        run_sync(main())


def test_a14_gather_returns_exceptions_only_when_asked() -> None:
    async def main() -> list[object]:
        return await aio.gather(_value(0, 1), _fails(2), _value("", 3), return_exceptions=True)

    results = run_sync(main())
    assert results[0] == 0 and results[2] == ""
    assert isinstance(results[1], LookupError)


def test_a17_queue_join_resolves_after_every_task_done() -> None:
    async def main() -> list[str]:
        queue: aio.Queue[int] = aio.Queue()
        log: list[str] = []

        async def worker() -> None:
            while True:
                item = await queue.get()
                await aio.sleep(1)
                log.append(f"done {item}")
                queue.task_done()

        for item in range(3):
            queue.put_nowait(item)
        task = aio.run(worker())
        await queue.join()
        log.append("joined")
        task.cancel()
        return log

    assert run_sync(main()) == ["done 0", "done 1", "done 2", "joined"]


def test_a17_task_done_beyond_the_count_raises_value_error() -> None:
    async def main() -> None:
        queue: aio.Queue[int] = aio.Queue()
        queue.put_nowait(1)
        await queue.get()
        queue.task_done()
        queue.task_done()

    with pytest.raises(ValueError, match="task_done"):
        run_sync(main())


def test_timeout_context_raises_timeout_error() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            async with aio.timeout(2):
                await aio.sleep(10)
        except TimeoutError:
            return loop.time() - start
        return -1

    assert run_sync(main()) == 2


def test_wait_for_returns_in_time_or_times_out() -> None:
    async def main() -> tuple[object, str]:
        fast = await aio.wait_for(_value("fast", 1), 2)
        try:
            await aio.wait_for(_value("slow", 3), 2)
        except TimeoutError:
            return fast, "timed out"
        return fast, "no timeout"

    assert run_sync(main()) == ("fast", "timed out")


@pytest.mark.skipif(sys.platform != "emscripten", reason="Pyodide's browser loop only")
def test_a11_run_until_complete_on_the_browser_loop_never_busy_waits() -> None:
    """Pyodide 314: with stack switching (JSPI, Chromium) the call suspends Python without
    freezing the page; without it (Node 20 here) it raises; older setups return a Future.
    It never spins the page's thread, and never returns the value of an unfinished task."""
    # Each test runs on a loop of its own (framework.testing): step back onto the page's.
    finish_test_loop()
    try:
        _run_until_complete_on_the_running_loop()
    finally:
        start_test_loop()


def _run_until_complete_on_the_running_loop() -> None:
    loop = asyncio.get_event_loop()
    log: list[str] = []

    async def work() -> str:
        log.append("ran")
        return "value"

    coroutine = work()
    outcome: object
    try:
        outcome = loop.run_until_complete(coroutine)
    except RuntimeError as error:
        outcome = error
        coroutine.close()
    if isinstance(outcome, RuntimeError):
        assert "stack switching" in str(outcome)
    elif isinstance(outcome, asyncio.Future):
        outcome.cancel()
    else:
        assert outcome == "value" and log == ["ran"]
