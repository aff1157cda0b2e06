"""Where errors that no caller can catch go: handlers, effects, renders, background tasks.

The default prints the traceback to stderr; the browser layer replaces it with the in-page
overlay. Tests can swap it to collect errors.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

ErrorReporter = Callable[[BaseException], None]


def _print_error(error: BaseException) -> None:
    traceback.print_exception(error, file=sys.stderr)


_reporter: ErrorReporter = _print_error


def report_error(error: BaseException) -> None:
    """Hand an uncaught error to the current reporter; a failing reporter falls back to print."""
    try:
        _reporter(error)
    except Exception:  # noqa: BLE001 - reporting must never raise
        _print_error(error)


def set_error_reporter(reporter: ErrorReporter | None) -> ErrorReporter:
    """Install a reporter (None restores the default); returns the previous one."""
    global _reporter  # noqa: PLW0603 - one reporter per interpreter, like sys.excepthook
    previous = _reporter
    _reporter = reporter or _print_error
    return previous
