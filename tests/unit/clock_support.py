"""A hand-driven Timer (framework.sync.client.Timer) for the sync session's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Clock:
    """A Timer whose time moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[list[Any]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        entry = [self.now + delay, callback, True]
        self._timers.append(entry)
        return lambda: entry.__setitem__(2, False)

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while due := sorted((t for t in self._timers if t[2] and t[0] <= end), key=lambda t: t[0]):
            entry = due[0]
            entry[2] = False
            self.now = entry[0]
            entry[1]()
        self.now = end
