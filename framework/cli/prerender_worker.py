"""Inside Pyodide, under Node: run the app once against the in-memory DOM, and give the HTML of
its first view (framework/cli/prerender.py starts this through prerender_runner.mjs).

The app runs as it does in the browser (its entry as `__main__`, framework/entry.py), in an
environment that stands in for the browser: the page's body as a MemoryDom (the default
backend), storage in memory (Stores show their defaults, as for a first visit), the router at
`/`, an HTTP transport that never answers (a component waiting for data shows its loading
state, as the browser's first flush does), and `js`/`pyscript` as stand-ins that raise
BrowserOnlyError when used (framework/environment.py). The loop is a TestLoop: its clock never
moves, so timers never fire; ready work runs until none is left, then the containers that were
mounted are serialised. Any error (raised by the entry, or reported by a component) means no
prerendered view: the page then works as it did without one.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import os
import sys
import traceback
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

MAX_STEPS = 1_000  # loop iterations: an app whose work never stops is cut off here
CANCEL_STEPS = 100  # loop iterations the cancelled tasks get to run their cleanup


def main(config_json: str) -> str:
    """config: {root, entry, body, persist}. Returns {views, title, styles} or {error}, as JSON."""
    config = json.loads(config_json)
    for folder in config.get("persist", []):  # empty, as on a first visit (docs/files.md)
        os.makedirs(folder, exist_ok=True)
    return json.dumps(prerender(config["root"], config["entry"], config["body"]))


def prerender(root: str, entry: str, body: str) -> dict[str, Any]:
    """The app's first view: its entry run as `__main__`, from its own folder (the folder,
    sys.path and `__main__` are put back afterwards)."""
    cwd, main_module = os.getcwd(), sys.modules["__main__"]
    os.chdir(root)
    sys.path.insert(0, root)
    try:
        return render_ahead(lambda: _run_entry(entry), body, root)
    finally:
        sys.path.remove(root)
        sys.modules["__main__"] = main_module
        os.chdir(cwd)


def render_ahead(
    start: Callable[[], Coroutine[Any, Any, None]], body: str, root: str = "/"
) -> dict[str, Any]:
    """Run start() in the prerender environment until nothing is ready, then return each
    mounted container's HTML (or the first error, located in the app's code under root)."""
    with prerender_environment(body) as (dom, errors):
        return _run(start, dom, errors, root)


@contextlib.contextmanager
def prerender_environment(body: str) -> Iterator[tuple[Any, list[BaseException]]]:
    """The browser layer's registrations (framework/browser/boot.py), made for no browser;
    what was registered before comes back afterwards."""
    from framework import reactive
    from framework.aio.transport import set_transport
    from framework.component import mounting
    from framework.dom.memory import MemoryDom
    from framework.environment import install_stand_ins, remove_stand_ins, set_prerendering
    from framework.errors import set_error_reporter
    from framework.router import MemoryLocation, _location_factories

    dom = MemoryDom(document=page_body(body))
    errors: list[BaseException] = []
    backend, locations = mounting._default_backend, dict(_location_factories)
    mounting.set_default_backend(lambda: dom)
    reporter = set_error_reporter(errors.append)
    handler = reactive.set_error_handler(errors.append)
    _location_factories.update(dict.fromkeys(_location_factories, lambda: MemoryLocation("/")))
    transport = set_transport(SilentTransport())
    replaced = install_stand_ins()
    set_prerendering(True)
    try:
        yield dom, errors
    finally:
        set_prerendering(False)
        remove_stand_ins(replaced)
        set_transport(transport)
        _location_factories.update(locations)
        reactive.set_error_handler(handler)
        set_error_reporter(reporter)
        mounting._default_backend = backend


def page_body(markup: str) -> Any:
    """The page's <body> as the MemoryDom's document (its own index.html's, or `#app`)."""
    from framework.dom.memory import Element, parse_fragment

    body = Element("body")
    for node in list(parse_fragment(markup).children):
        body.append(node)
    return body


class SilentTransport:
    """HTTP that never answers: requests wait, as they do in the first frame of a page."""

    async def send(self, request: Any) -> Any:
        await asyncio.get_running_loop().create_future()


def _run(
    start: Callable[[], Coroutine[Any, Any, None]],
    dom: Any,
    errors: list[BaseException],
    root: str,
) -> dict[str, Any]:
    from framework.aio.testing import TestLoop
    from framework.reactive import flush

    outer = asyncio._get_running_loop()  # Pyodide's own loop, marked running for good
    loop = TestLoop()
    asyncio._set_running_loop(loop)
    try:
        task = loop.create_task(start())
        _settle(loop, dom)
        failure = task.exception() if task.done() and not task.cancelled() else None
        if failure is not None:
            errors.insert(0, failure)
        errors.extend(error for error, _ in loop.errors)
        if errors:
            return {"error": describe(errors[0], root)}
        return _views(dom)  # before the pending work is cancelled (its cleanup may render)
    finally:
        for pending in loop.pending_tasks():
            pending.cancel()
        for _ in range(CANCEL_STEPS):  # their `finally` blocks run, off the record
            if not loop.has_ready_work():
                break
            loop._run_once()
        loop.close()
        asyncio._set_running_loop(outer)
        flush()  # nothing left waiting for a loop that is gone


async def _run_entry(entry: str) -> None:
    from framework.entry import compile_entry, entry_module

    namespace = entry_module(entry).__dict__
    result = eval(compile_entry(entry), namespace)  # noqa: S307 - the app's own entry module
    if inspect.iscoroutine(result):
        await result


def _settle(loop: Any, dom: Any) -> None:
    """Run what is ready (the entry, the tasks it starts, the flushes they cause) until
    nothing is; timers stay pending, as the clock does not move."""
    from framework.reactive import flush

    for _ in range(MAX_STEPS):
        flush()
        if dom.renderer is not None:
            dom.renderer.commit()
        if not loop.has_ready_work():
            return
        loop._run_once()


def _views(dom: Any) -> dict[str, Any]:
    """Each mounted container's content, the title the app set, its scoped stylesheets."""
    selectors = dict.fromkeys(entry[3] for entry in dom.log if entry[0] == "MOUNT")
    views = {}
    for selector in selectors:
        container = dom.find(selector) if selector.startswith("#") else None
        if container is not None:
            views[selector] = "".join(child.to_html() for child in container.children)
    return {"views": views, "title": dom.head.get_title() or None, "styles": dom.stylesheets}


def describe(error: BaseException, root: str) -> dict[str, Any]:
    """The error, where the app's own code raised it (its innermost frame in the app)."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [frame for frame in frames if Path(frame.filename).is_relative_to(root)]
    spot = mine[-1] if mine else (frames[-1] if frames else None)
    file, line = (spot.filename, spot.lineno) if spot else (None, None)
    if isinstance(error, SyntaxError) and error.filename:  # where the parser stopped
        file, line = error.filename, error.lineno
    if file and Path(file).is_relative_to(root):  # so that the result holds wherever the app is
        file = str(Path(file).relative_to(root))
    return {
        "type": type(error).__name__,
        "message": str(error),
        "file": file,
        "line": line,
        "traceback": "".join(traceback.format_exception(error)),
    }
