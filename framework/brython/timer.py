"""`browser.timer`: Brython's timers on the event loop (delays in milliseconds)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class _Interval:
    """A repeating timer; `clear_interval` stops it."""

    def __init__(self, function: Callable[..., Any], ms: float, args: tuple[Any, ...]) -> None:
        self._function, self._seconds, self._args = function, ms / 1000, args
        self._handle = asyncio.get_event_loop().call_later(self._seconds, self._tick)

    def _tick(self) -> None:
        self._handle = asyncio.get_event_loop().call_later(self._seconds, self._tick)
        self._function(*self._args)

    def cancel(self) -> None:
        self._handle.cancel()


def set_timeout(function: Callable[..., Any], ms: float, *args: Any) -> asyncio.TimerHandle:
    """Call function(*args) once, after ms milliseconds; returns an id for clear_timeout."""
    return asyncio.get_event_loop().call_later(ms / 1000, function, *args)


def clear_timeout(timer: asyncio.TimerHandle) -> None:
    timer.cancel()


def set_interval(function: Callable[..., Any], ms: float, *args: Any) -> _Interval:
    """Call function(*args) every ms milliseconds until clear_interval."""
    return _Interval(function, ms, args)


def clear_interval(timer: _Interval) -> None:
    timer.cancel()
