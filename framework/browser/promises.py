"""Every rejected JavaScript promise reaches Python as a readable `JsException`.

Pyodide 314 settles the Python future of an awaited promise through
`_pyodide._future_helper.set_exception(future, reason)`. When the reason is not an Error
(`Promise.reject("x")`, `reject()`, `reject({})`) that call fails with "invalid exception
object", and the awaiting task never resumes. `install()` replaces that helper with one that
wraps such reasons in `JsException("PromiseRejection", <readable text>)` first. It touches a
private Pyodide module on purpose, checks that the hook exists, and is tested end to end.
"""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import JsException, JsProxy


def describe(reason: Any) -> str:
    """A readable text for any rejection reason."""
    if reason is None:
        return "the promise was rejected without a reason (undefined)"
    if isinstance(reason, JsProxy):
        try:
            text = js.JSON.stringify(reason)
        except JsException:
            text = None
        return str(text) if text is not None else str(js.String(reason))
    return str(reason)


def _set_exception(future: Any, reason: Any) -> None:
    if future.done():
        return
    if not isinstance(reason, BaseException):
        reason = JsException("PromiseRejection", describe(reason))
    future.set_exception(reason)


def install() -> bool:
    """Patch the rejection hook; False when this Pyodide has no such hook (nothing done)."""
    try:
        from _pyodide import _future_helper
    except ImportError:
        return False
    if not callable(getattr(_future_helper, "set_exception", None)):
        return False
    _future_helper.set_exception = _set_exception
    return True
