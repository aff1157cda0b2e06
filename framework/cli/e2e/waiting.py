"""until(): wait, in real time, for what an end-to-end test expects to become true.

The unit tier's until() runs a virtual clock; a real page runs on its own, so this one polls:
it calls `check` every `interval` seconds until it passes or `timeout` seconds are gone.
Playwright's `expect(locator)` assertions wait by themselves: until() is for the rest (a
query's result, a value read from the page, several facts at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

UNTIL_TIMEOUT = 5.0  # real seconds (Playwright's expect() default)
UNTIL_INTERVAL = 0.05  # real seconds between two checks (Testing Library's waitFor: 50 ms)

T = TypeVar("T")


class UntilTimeout(AssertionError):
    """until()'s check never passed within its timeout; the last failure is its cause."""


def until(
    check: Callable[[], T], *, timeout: float = UNTIL_TIMEOUT, interval: float = UNTIL_INTERVAL
) -> T:
    """Call `check` until it passes: a predicate by returning a true value, an assertion
    function by returning (None) without raising AssertionError. Returns what `check`
    returned. Other errors are not retried: they are bugs. Raises UntilTimeout, with the last
    failure, when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    last: AssertionError | None = None
    while True:
        try:
            result = check()
        except AssertionError as failure:
            last = failure
        else:
            if result or result is None:  # None: an assertion function that passed
                return result
            last = None
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    reason = f"the last check failed:\n{last}" if last else "the check kept returning a false value"
    raise UntilTimeout(f"until() waited {timeout} seconds; {reason}") from last
