"""Where errors that no caller can catch go: handlers, effects, renders, background tasks.

The default prints the traceback to stderr; the browser layer replaces it with the in-page
overlay. Tests can swap it to collect errors.

A mistake in a template repeats wherever the template renders (200 rows, 200 times the same
error): an error marked with `report_once(error, key)` is shown once per key, with a count of
how often it happened during the render that found it (`reporting_batch`).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Hashable
from typing import Any

ErrorReporter = Callable[[BaseException], None]

_KEY = "_framework_report_key"


def _print_error(error: BaseException) -> None:
    traceback.print_exception(error, file=sys.stderr)


_reporter: ErrorReporter = _print_error
_reported: dict[Hashable, int] = {}  # keys shown already, with how often each happened
_pending: dict[Hashable, list[Any]] = {}  # keys found in the open batch: [error, count]
_depth = 0  # open reporting batches


def report_error(error: BaseException) -> None:
    """Hand an uncaught error to the current reporter; a failing reporter falls back to print.
    An error marked with report_once() is shown once per key."""
    key = getattr(error, _KEY, None)
    if key is None:
        _deliver(error)
    elif key in _pending:
        _pending[key][1] += 1
    elif key in _reported:
        _reported[key] += 1  # shown already: counted, not shown again
    elif _depth:
        _pending[key] = [error, 1]
    else:
        _reported[key] = 1
        _deliver(error)


def report_once(error: BaseException, key: Hashable) -> None:
    """Mark `error` as one of a kind: reported once however often it happens (the first mark
    stays, so the innermost place that knows where the mistake is names it)."""
    if getattr(error, _KEY, None) is None:
        setattr(error, _KEY, key)


def begin_batch() -> None:
    """Errors reported from here to the matching end_batch() are shown at its end, each key
    once with how often it happened (a render and everything it renders)."""
    global _depth  # noqa: PLW0603 - one reporting state per interpreter, like sys.excepthook
    _depth += 1


def end_batch() -> None:
    global _depth  # noqa: PLW0603
    _depth -= 1
    if _depth or not _pending:
        return
    pending = list(_pending.items())
    _pending.clear()
    for key, (error, count) in pending:
        _reported[key] = count
        if count > 1:
            error.add_note(f"(shown once: the same mistake happened {count} times in this render)")
        _deliver(error)


def _deliver(error: BaseException) -> None:
    try:
        _reporter(error)
    except Exception:  # noqa: BLE001 - reporting must never raise
        _print_error(error)


def set_error_reporter(reporter: ErrorReporter | None) -> ErrorReporter:
    """Install a reporter (None restores the default); returns the previous one. The record of
    errors already shown starts afresh."""
    global _reporter  # noqa: PLW0603 - one reporter per interpreter, like sys.excepthook
    previous = _reporter
    _reporter = reporter or _print_error
    _reported.clear()
    _pending.clear()
    return previous
