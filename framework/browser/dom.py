"""The browser DOM backend: the renderer's operations go to applier.js in one call per flush,
and one delegated listener per event type calls back into Python with the id of the element
the event is routed for. The applier
learns the protocol (op codes, URL attributes, ...) from protocol.json's text, handed over here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import create_once_callable, create_proxy

from framework.browser.head import BrowserHead
from framework.dom import protocol
from framework.template.renderer import Renderer

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def schedule_microtask(callback: Any) -> None:
    """Run callback in a microtask: after the current Python work, before the next paint."""
    js.queueMicrotask(create_once_callable(callback))


class BrowserDom:
    """Applies op lists with one FFI call; holds the single dispatcher proxy. A Backend
    (framework.dom.backend)."""

    def __init__(self) -> None:
        self._applier = js.__framework_dom__
        self._applier.configure(protocol.TEXT)  # the protocol's tables, before the first apply
        self.renderer: Renderer | None = None
        self.head = BrowserHead()  # the page's title and meta tags (framework.document_head)
        self._dispatching = 0  # events being dispatched now (a handler may cause another)
        self._dispatcher = create_proxy(self._dispatch)
        self._applier.setDispatcher(self._dispatcher)

    def schedule(self, commit: Callable[[], None]) -> None:
        schedule_microtask(commit)

    def after_paint(self, callback: Callable[[], None]) -> None:
        """Run callback once the browser has painted the frame this work goes into (see
        Renderer.release_later): a task after the next animation frame."""
        self._applier.afterPaint(create_once_callable(callback))

    def apply(self, ops: list[Any]) -> None:
        self._applier.apply(_dumps(ops))

    def node(self, node_id: int) -> Any:
        return self._applier.node(node_id)

    def _dispatch(self, node: int, event_type: str) -> str | None:
        """A delegated event, for the element with id `node`: its handlers run, and the
        operations that finish it go back as the return value, which the applier applies."""
        renderer = self.renderer
        if renderer is None:
            return None
        depth = self._dispatching
        self._dispatching = depth + 1
        event = _Event(self._applier, depth)
        unkept = sys.getrefcount(event)
        try:
            batch = renderer.handle_event(node, event_type, event)
        finally:
            self._dispatching = depth
            if sys.getrefcount(event) > unkept:  # kept (a task, a traceback): fetch it now
                event.fetch()
        return None if batch is None else _dumps(batch)


class _Event:
    """The DOM event being dispatched, with currentTarget set to the element whose handler
    runs (delegation). Fetched from the applier when a handler first reads it, so a handler
    that takes no event (most clicks) costs no conversion of the event and its element.
    `depth`: how many dispatches were under way when it began (a handler may cause another)."""

    __slots__ = ("_applier", "_depth", "_element", "_event")

    def __init__(self, applier: Any, depth: int) -> None:
        self._applier = applier
        self._depth = depth
        self._event: Any = None
        self._element: Any = None

    def fetch(self) -> Any:
        """The JS event; fetched (with the element) while it is being dispatched."""
        if self._event is None:
            self._event = self._applier.currentEvent(self._depth)
            self._element = self._applier.currentElement(self._depth)
        return self._event

    @property
    def currentTarget(self) -> Any:  # the DOM's name
        self.fetch()
        return self._element

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fetch(), name)
