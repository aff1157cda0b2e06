"""Run the app's entry module, then tell the page it is ready, or show what went wrong.

The entry runs as `__main__` from its own file name, so tracebacks point at the user's lines, and
top-level `await` works in it as it does in a PyScript script.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
import logging
import traceback
import warnings
from typing import Any

import js
import pyodide_js

from framework import files
from framework.browser.files import mount_persistent_folders
from framework.browser.lazy_modules import install_lazy_modules
from framework.entry import compile_entry, entry_module

_THIS_FILE = __file__
# The imports no browser wheel provides (found by `framework serve` before the page loaded).
_missing_packages: list[str] = []


def stage(name: str) -> None:
    js.__framework__.stage(name)


def report(error: BaseException) -> None:
    """Show an exception in the page overlay and mark <html data-error>."""
    js.__framework__.error(format_user_traceback(error) + hint(error))


def hint(error: BaseException) -> str:
    """What to do about the errors whose cause the framework knows."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        package = error.name.split(".")[0]
        found = [problem for problem in _missing_packages if f"{package!r}" in problem]
        return "\n\nHint: " + (
            found[0]
            if found
            else f"the page cannot load {package!r}: it has the standard library, the pinned "
            "browser wheels (pydantic and what it needs), the runtime's modules (js, pyodide, "
            "pyscript) and the app's own modules."
        )
    return ""


def format_user_traceback(error: BaseException) -> str:
    """The traceback without the framework's own boot frames above the user's code."""
    frames = traceback.extract_tb(error.__traceback__)
    user = [f for f in frames if f.filename != _THIS_FILE]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(user or frames)]
    if not frames:  # reported, not raised (a Store's in-place edit): its message says where
        lines = []
    lines.extend(traceback.format_exception_only(error))
    return "".join(lines)


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        report(error)
    else:
        js.__framework__.error(str(context.get("message", context)))


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
    from framework.browser.files import BrowserQuota, BrowserTransfers
    from framework.browser.location import HashLocation, HistoryLocation
    from framework.browser.storage import install_storage
    from framework.browser.sync_transport import install_sync_transport
    from framework.browser.updates import install_updates
    from framework.component import set_default_backend
    from framework.errors import set_error_reporter
    from framework.router import set_default_location

    set_error_reporter(report)
    reactive.set_error_handler(report)
    reactive.set_scheduler(schedule_microtask)
    set_default_backend(functools.cache(BrowserDom))  # one document, one backend
    set_default_location(HashLocation)
    set_default_location(HistoryLocation, mode="history")
    install_aio()  # aio/ajax over fetch and XHR, aio.event, `import browser.aio`
    install_storage()  # localStorage/sessionStorage for Store and browser.local_storage
    install_sync_transport()  # WebSocket to ws(s)://<host>/api/sync for Store(..., server=)
    install_updates()  # a new build waiting in the service worker: framework.update_available
    files.set_file_transfers(BrowserTransfers())  # downloads and picked files, for export/import
    files.set_storage_quota(BrowserQuota())  # files.usage() and files.persist()


class _PageLogHandler(logging.Handler):
    """The framework's log records (a Store that could not save, ...) as page warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        js.__framework__.warn(f"{record.levelname}: {record.name}: {record.getMessage()}")


def _show_warning(  # noqa: PLR0917 - the signature warnings.showwarning has
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    js.__framework__.warn(warnings.formatwarning(message, category, filename, lineno, line))


def install_page_reporting(plan: dict[str, Any]) -> None:
    """Route what Python would write to stderr (which PyScript shows as its red banner, as if
    the page had crashed) to the framework's own reporting; keep Python callbacks given to
    browser timers alive; turn the dev-only checks on or off."""
    from framework.storage.edits import set_edit_detection

    warnings.showwarning = _show_warning
    log = logging.getLogger("framework")
    log.addHandler(_PageLogHandler())
    log.propagate = False
    js.__framework__.keepPythonCallbacks(pyodide_js.ffi.PyProxy)
    set_edit_detection(bool(plan.get("dev", True)))
    if plan.get("events"):  # `framework serve`: an edited module is swapped in (hot reload)
        from framework.browser.hot_reload import install_hot_reload

        install_hot_reload()
    _missing_packages[:] = plan.get("missing") or []
    for problem in _missing_packages:
        js.__framework__.error(problem)


async def start(plan: dict[str, Any]) -> None:
    stage("app")
    asyncio.get_event_loop().set_exception_handler(_loop_exception_handler)
    install_browser_layer()
    install_page_reporting(plan)
    install_lazy_modules(plan)  # lazy routes' modules, fetched on their first visit
    tune_garbage_collector()
    try:
        await mount_persistent_folders(plan)  # before the entry: its first line may read them
        await run_entry(plan["entry"])
        files.changed()  # what the entry wrote at start is saved like a handler's writes
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
