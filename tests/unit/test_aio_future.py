"""aio.Future: Brython's set_result/set_exception, asyncio's API, promise-style chaining (A13).

Coroutines run with `run_sync` (framework.aio.testing): a private loop with a virtual clock,
because Pyodide's browser loop cannot be waited on from a plain test function.
"""

from __future__ import annotations

import asyncio

import pytest

from framework import aio
from framework.aio.testing import Deadlock, run_sync


def test_brython_example_a_future_resolved_by_a_timer() -> None:
    async def main() -> tuple[str, float]:
        loop = asyncio.get_running_loop()
        fut = aio.Future()
        loop.call_later(2, lambda: fut.set_result("timeout!"))
        start = loop.time()
        result = await fut
        return result, loop.time() - start

    assert run_sync(main()) == ("timeout!", 2)


def test_set_exception_raises_in_the_awaiter() -> None:
    async def main() -> None:
        fut = aio.Future()
        asyncio.get_running_loop().call_soon(fut.set_exception, KeyError("k"))
        await fut

    with pytest.raises(KeyError, match="k"):
        run_sync(main())


def test_it_is_an_asyncio_future() -> None:
    async def main() -> list[object]:
        fut = aio.Future()
        seen: list[object] = []
        fut.add_done_callback(lambda f: seen.append(f.result()))
        fut.set_result(0)
        await asyncio.sleep(0)
        return [isinstance(fut, asyncio.Future), fut.done(), fut.result(), *seen]

    assert run_sync(main()) == [True, True, 0, 0]


@pytest.mark.parametrize("value", [0, "", None, [1]])
def test_then_passes_the_result_through_the_callback(value: object) -> None:
    async def main() -> object:
        fut = aio.Future()
        chained = fut.then(lambda v: ("got", v))
        fut.set_result(value)
        return await chained

    assert run_sync(main()) == ("got", value)


def test_then_awaits_an_async_callback() -> None:
    async def double(value: int) -> int:
        await asyncio.sleep(1)
        return value * 2

    async def main() -> int:
        fut = aio.Future()
        fut.set_result(21)
        return await fut.then(double)

    assert run_sync(main()) == 42


def test_catch_handles_the_error_and_an_unhandled_error_passes_through() -> None:
    async def main() -> tuple[str, str]:
        failing = aio.Future()
        failing.set_exception(ValueError("bad"))
        handled = await failing.catch(lambda error: f"handled {error}")
        passing = aio.Future()
        passing.set_exception(ValueError("again"))
        try:
            await passing.then(lambda v: v)
        except ValueError as error:
            return handled, str(error)
        return handled, "not raised"

    assert run_sync(main()) == ("handled bad", "again")


def test_a13_then_of_a_cancelled_future_is_cancelled_at_once() -> None:
    async def main() -> tuple[bool, list[str]]:
        calls: list[str] = []
        fut = aio.Future()
        chained = fut.then(lambda v: calls.append("fulfilled"), lambda e: calls.append("rejected"))
        fut.cancel()
        await asyncio.sleep(0)
        return chained.cancelled(), calls

    assert run_sync(main()) == (True, [])


def test_a13_finally_of_a_cancelled_future_runs_and_is_cancelled() -> None:
    async def main() -> tuple[bool, list[str]]:
        calls: list[str] = []
        fut = aio.Future()
        chained = fut.finally_(lambda: calls.append("finally"))
        fut.cancel()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return chained.cancelled(), calls

    assert run_sync(main()) == (True, ["finally"])


def test_a13_awaiting_the_chain_of_a_cancelled_future_raises_cancelled() -> None:
    async def main() -> None:
        fut = aio.Future()
        chained = fut.then(lambda v: v)
        asyncio.get_running_loop().call_later(1, fut.cancel)
        await chained

    with pytest.raises(asyncio.CancelledError):
        run_sync(main())


def test_finally_keeps_the_outcome_and_runs_the_callback_once() -> None:
    async def main() -> tuple[int, list[str]]:
        calls: list[str] = []
        fut = aio.Future()
        chained = fut.finally_(lambda: calls.append("done"))
        fut.set_result(7)
        return await chained, calls

    assert run_sync(main()) == (7, ["done"])


def test_finally_error_replaces_the_outcome() -> None:
    def broken() -> None:
        raise RuntimeError("cleanup failed")

    async def main() -> None:
        fut = aio.Future()
        chained = fut.finally_(broken)
        fut.set_result(1)
        await chained

    with pytest.raises(RuntimeError, match="cleanup failed"):
        run_sync(main())


def test_run_sync_reports_a_deadlock_instead_of_hanging() -> None:
    async def main() -> None:
        await aio.Future()

    with pytest.raises(Deadlock, match="never happen"):
        run_sync(main())
