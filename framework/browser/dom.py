"""The browser DOM backend: the renderer's operations go to applier.js in one call per flush,
and one delegated listener per event type calls back into Python with a handler id."""

from __future__ import annotations

import json
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy  # type: ignore[import-not-found]

from framework.reactive import flush
from framework.template.render import Renderer

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def schedule_microtask(callback: Any) -> None:
    """Run callback in a microtask: after the current Python work, before the next paint."""
    js.queueMicrotask(create_once_callable(callback))


class BrowserDom:
    """Applies op lists with one FFI call; holds the single dispatcher proxy."""

    def __init__(self) -> None:
        self._applier = js.__framework_dom__
        self._renderer: Renderer | None = None
        self._dispatcher = create_proxy(self._dispatch)
        self._applier.setDispatcher(self._dispatcher)

    def attach(self, renderer: Renderer) -> None:
        self._renderer = renderer

    def schedule(self, callback: Any) -> None:
        schedule_microtask(callback)

    def apply(self, ops: list[Any]) -> None:
        self._applier.apply(_dumps(ops))

    def node(self, node_id: int) -> Any:
        return self._applier.node(node_id)

    def _dispatch(self, handler_id: int, event: Any, element: Any) -> None:
        renderer = self._renderer
        if renderer is None:
            return
        renderer.dispatch(handler_id, _Event(event, element))
        # Finish the work the handler caused inside this event: one flush, one DOM call, and the
        # browser paints the result in the same frame.
        flush()
        renderer.commit()


class _Event:
    """The DOM event with currentTarget set to the element whose handler runs (delegation)."""

    __slots__ = ("_event", "currentTarget")

    def __init__(self, event: Any, element: Any) -> None:
        self._event, self.currentTarget = event, element

    def __getattr__(self, name: str) -> Any:
        return getattr(self._event, name)
