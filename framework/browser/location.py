"""The router's Location over the page URL's hash: pushState for our own navigations (no
spurious hashchange), and one `hashchange` listener for links, back/forward and typed URLs."""

from __future__ import annotations

from collections.abc import Callable

import js
from pyodide.ffi import create_proxy


class HashLocation:
    def read(self) -> str:
        return str(js.location.hash).removeprefix("#") or "/"

    def write(self, path: str, *, replace: bool) -> None:
        url = "#" + path  # the URL parser percent-encodes what needs it; params are unquoted
        if replace:
            js.history.replaceState(js.history.state, "", url)
        else:
            js.history.pushState(None, "", url)

    def go(self, delta: int) -> None:
        js.history.go(delta)

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        proxy = create_proxy(lambda _event: callback())
        js.addEventListener("hashchange", proxy)

        def stop() -> None:
            js.removeEventListener("hashchange", proxy)
            proxy.destroy()

        return stop
