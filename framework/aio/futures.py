"""`aio.Future`: asyncio's Future (so Brython's `set_result`/`set_exception` work), plus the
promise-style `then`/`catch`/`finally_` that Pyodide's futures offer.

A chained future follows its source's cancellation: if the source is cancelled, the chained
future is cancelled too, at once, instead of hanging or calling `onrejected` with a
CancelledError that nobody expects.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any


class Future[T](asyncio.Future[T]):
    def then(
        self,
        onfulfilled: Callable[[T], Any] | None = None,
        onrejected: Callable[[BaseException], Any] | None = None,
    ) -> Future[Any]:
        """A future for `onfulfilled(result)` or `onrejected(error)` (awaited if awaitable)."""
        chained: Future[Any] = Future(loop=self.get_loop())

        def settle(source: asyncio.Future[T]) -> None:
            if source.cancelled():
                chained.cancel()
                return
            error = source.exception()
            if error is None:
                callback = onfulfilled or _identity
                _resolve(chained, lambda: callback(source.result()))
            elif onrejected is None:
                chained.set_exception(error)
            else:
                _resolve(chained, lambda: onrejected(error))

        self.add_done_callback(settle)
        return chained

    def catch(self, onrejected: Callable[[BaseException], Any]) -> Future[Any]:
        return self.then(None, onrejected)

    def finally_(self, onfinally: Callable[[], Any]) -> Future[T]:
        """A future with this one's outcome, settled after `onfinally()` ran."""
        chained: Future[T] = Future(loop=self.get_loop())

        def settle(source: asyncio.Future[T]) -> None:
            async def run() -> None:
                try:
                    await _value(onfinally())
                except Exception as error:  # noqa: BLE001 - it becomes the chained outcome
                    _settle_once(chained, error=error)
                    return
                _copy_outcome(source, chained)

            if source.cancelled():  # cancelled: callback still runs, the result is cancelled
                chained.cancel()
                _call_soon_safely(self.get_loop(), onfinally)
                return
            self.get_loop().create_task(run())

        self.add_done_callback(settle)
        return chained


def _identity(value: Any) -> Any:
    return value


async def _value(result: Any) -> Any:
    while inspect.isawaitable(result):
        result = await result
    return result


def _resolve(chained: Future[Any], produce: Callable[[], Any]) -> None:
    """Settle chained with what produce() returns (awaited) or raises."""
    try:
        result = produce()
    except Exception as error:  # noqa: BLE001 - it becomes the chained outcome
        chained.set_exception(error)
        return
    if not inspect.isawaitable(result):
        _settle_once(chained, result=result)
        return

    async def wait() -> None:
        try:
            value = await _value(result)
        except asyncio.CancelledError:
            chained.cancel()
            return
        except Exception as error:  # noqa: BLE001 - it becomes the chained outcome
            _settle_once(chained, error=error)
            return
        _settle_once(chained, result=value)

    chained.get_loop().create_task(wait())


def _settle_once(
    future: asyncio.Future[Any], result: Any = None, error: BaseException | None = None
) -> None:
    if future.done():  # cancelled meanwhile by its own awaiter
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _copy_outcome(source: asyncio.Future[Any], target: asyncio.Future[Any]) -> None:
    if target.done():
        return
    if source.cancelled():
        target.cancel()
    elif (error := source.exception()) is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())


def _call_soon_safely(loop: asyncio.AbstractEventLoop, callback: Callable[[], Any]) -> None:
    async def run() -> None:
        await _value(callback())

    loop.create_task(run())
