"""Run the app's entry module, then tell the page it is ready, or show what went wrong.

The entry runs as `__main__` from its own file name, so tracebacks point at the user's lines, and
top-level `await` works in it as it does in a PyScript script.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import gc
import inspect
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import js

_THIS_FILE = __file__


def stage(name: str) -> None:
    js.__framework__.stage(name)


def report(error: BaseException) -> None:
    """Show an exception in the page overlay and mark <html data-error>."""
    js.__framework__.error(format_user_traceback(error))


def format_user_traceback(error: BaseException) -> str:
    """The traceback without the framework's own boot frames above the user's code."""
    frames = traceback.extract_tb(error.__traceback__)
    user = [f for f in frames if f.filename != _THIS_FILE]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(user or frames)]
    lines.extend(traceback.format_exception_only(error))
    return "".join(lines)


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        report(error)
    else:
        js.__framework__.error(str(context.get("message", context)))


def compile_entry(entry: str) -> types.CodeType:
    """Compile the entry as its own module: top-level await allowed, and none of this file's
    `from __future__` flags inherited (they would turn the app's annotations into strings)."""
    source = Path(entry).read_text(encoding="utf-8")
    # Without ast.PyCF_ONLY_AST among the flags the result is code (typeshed can only say Any).
    code: types.CodeType = compile(
        source, entry, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    return code


def entry_module(entry: str) -> types.ModuleType:
    """A fresh `__main__` module for the entry, registered in sys.modules, so that annotations
    (typing.get_type_hints, component props) resolve against the entry's own globals."""
    module = types.ModuleType("__main__")
    module.__file__ = entry
    module.__builtins__ = __builtins__  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    return module


async def run_entry(entry: str) -> None:
    code = compile_entry(entry)
    namespace = entry_module(entry).__dict__
    result = eval(code, namespace)  # noqa: S307 - the app's own entry module
    if inspect.iscoroutine(result):
        await result


async def settle() -> None:
    """Let work the entry scheduled (the first render's flush) run before saying ready."""
    for _ in range(3):
        await asyncio.sleep(0)


def install_browser_layer() -> None:
    """Point the core at the real document: DOM backend, error overlay, microtask flushes."""
    from framework import reactive
    from framework.browser.aio_setup import install_aio
    from framework.browser.dom import BrowserDom, schedule_microtask
    from framework.browser.location import HashLocation
    from framework.browser.storage import install_storage
    from framework.component import set_default_backend
    from framework.errors import set_error_reporter
    from framework.router import set_default_location

    set_error_reporter(report)
    reactive.set_error_handler(report)
    reactive.set_scheduler(schedule_microtask)
    set_default_backend(functools.cache(BrowserDom))  # one document, one backend
    set_default_location(HashLocation)
    install_aio()  # aio/ajax over fetch and XHR, aio.event, `import browser.aio`
    install_storage()  # localStorage/sessionStorage for Store and browser.local_storage


async def start(plan: dict[str, Any]) -> None:
    stage("app")
    asyncio.get_event_loop().set_exception_handler(_loop_exception_handler)
    install_browser_layer()
    tune_garbage_collector()
    try:
        await run_entry(plan["entry"])
        await settle()
    except BaseException as error:  # noqa: BLE001 - every failure must reach the overlay
        report(error)
        return
    js.__framework__.ready()


# A UI allocates in bursts (a list of 1,000 rows is ~20,000 objects) and keeps most of it alive.
# CPython's default (a young collection every 2,000 allocations, each also scanning part of the
# old heap) spent more time collecting than rendering such a burst; measured in Pyodide:
# mounting 1,000 todo rows took 260-560 ms with the default and ~100 ms with this threshold.
YOUNG_COLLECTION_THRESHOLD = 20_000


def tune_garbage_collector() -> None:
    """Collect less often, and never re-scan what boot loaded (the runtime and the framework).
    Frozen before the app runs, so everything the app creates stays collectable."""
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    gc.freeze()
