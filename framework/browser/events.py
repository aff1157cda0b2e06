"""How `aio.event` listens in the browser: one proxy for all the names, destroyed on unbind."""

from __future__ import annotations

from typing import Any

from pyodide.ffi import create_proxy

from framework.aio.events import Listener, Unbind


def js_element(element: Any) -> Any:
    """The DOM element itself, also when given a Brython-style wrapper (which has `.elt`)."""
    return getattr(element, "elt", element)


def proxy_binder(element: Any, names: tuple[str, ...], listener: Listener) -> Unbind:
    target = js_element(element)
    proxy = create_proxy(listener)
    for name in names:
        target.addEventListener(name, proxy)

    def unbind() -> None:
        for name in names:
            target.removeEventListener(name, proxy)
        proxy.destroy()

    return unbind
