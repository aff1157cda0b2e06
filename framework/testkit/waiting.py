"""until(): wait, on the test's virtual clock, for what a test expects to become true."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from framework.testing import Document

UNTIL_TIMEOUT = 1.0  # virtual seconds
UNTIL_INTERVAL = 0.05  # virtual seconds between two checks (Testing Library's waitFor: 50 ms)


class UntilTimeout(AssertionError):
    """until()'s check never passed within its timeout; the last failure is its cause."""


def until[T](
    check: Callable[[], T],
    *documents: Document,
    timeout: float = UNTIL_TIMEOUT,
    interval: float = UNTIL_INTERVAL,
) -> T:
    """Settle the test's loop (tasks, timers, effects, the documents' DOM operations) and call
    `check` until it passes: a predicate by returning a true value, an assertion function by
    returning (None) without raising AssertionError. Returns what `check` returned. The clock
    is virtual: a 1 s timeout costs no real second. Raises UntilTimeout, with the last
    failure, when `timeout` virtual seconds pass first."""
    from framework.testing import settle  # the kit is imported by framework.testing

    waited = 0.0
    last: AssertionError | None = None
    while True:
        settle(*documents)
        try:
            result = check()
        except AssertionError as failure:
            last = failure
        else:
            if result or result is None:  # None: an assertion function that passed
                return result
            last = None
        if waited >= timeout:
            break
        settle(*documents, advance=interval)
        waited += interval
    reason = f"the last check failed:\n{last}" if last else "the check kept returning a false value"
    raise UntilTimeout(f"until() waited {timeout} virtual seconds; {reason}") from last
