"""Pyodide's private hook that settles the Python future of an awaited JavaScript promise
(replaced by framework/browser/promises.py)."""

from asyncio import Future
from collections.abc import Callable
from typing import Any

# Module attributes, not functions: the framework replaces set_exception.
set_result: Callable[[Future[Any], object], None]
set_exception: Callable[[Future[Any], object], None]
