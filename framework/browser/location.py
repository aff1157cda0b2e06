"""The router's Locations over the page URL.

HashLocation keeps the path in the hash (`#/book/7`): pushState for our own navigations (no
spurious hashchange), and one `hashchange` listener for links, back/forward and typed URLs.

HistoryLocation keeps it in the URL's path (`/book/7`) under the site's base path (the folder
the framework's own files are served from: `/` for `/_framework/boot.js`): pushState for our own
navigations, `popstate` for back/forward, and one click listener on the document that turns a
click on a same-origin link under the base into a navigation without a page load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import create_proxy


def _navigate(url: str, replace: bool) -> None:
    """Point the address bar at url: a new history entry, or the current one replaced (keeping
    its state)."""
    if replace:
        js.history.replaceState(js.history.state, "", url)
    else:
        js.history.pushState(None, "", url)


class HashLocation:
    def read(self) -> str:
        return str(js.location.hash).removeprefix("#") or "/"

    def write(self, path: str, *, replace: bool) -> None:
        _navigate("#" + path, replace)  # the URL parser percent-encodes; params are unquoted

    def go(self, delta: int) -> None:
        js.history.go(delta)

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        return _listen(js, "hashchange", lambda _event: callback())


class HistoryLocation:
    def __init__(self) -> None:
        self.base = site_base()

    def read(self) -> str:
        return self._route(str(js.location.pathname)) + str(js.location.search)

    def write(self, path: str, *, replace: bool) -> None:
        _navigate(self.base + path.removeprefix("/"), replace)

    def go(self, delta: int) -> None:
        js.history.go(delta)

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        stop_popstate = _listen(js, "popstate", lambda _event: callback())
        stop_clicks = _listen(js.document, "click", lambda event: self._follow(event, callback))

        def stop() -> None:
            stop_popstate()
            stop_clicks()

        return stop

    def _under_base(self, pathname: str) -> bool:
        return (pathname + "/").startswith(self.base)

    def _route(self, pathname: str) -> str:
        """The route of a URL path: what follows the base (a path outside it stays whole)."""
        if not self._under_base(pathname):
            return pathname
        return "/" + pathname.removeprefix(self.base.rstrip("/")).removeprefix("/")

    def _follow(self, event: Any, callback: Callable[[], None]) -> None:
        """A plain click on a link to a route of this page: navigate without loading a page.
        Clicks that mean something else (new tab, download, another site, a handler that
        already prevented the default, an anchor on this page) are left to the browser."""
        if event.defaultPrevented or event.button != 0:
            return
        if event.metaKey or event.ctrlKey or event.shiftKey or event.altKey:
            return
        link = event.target.closest("a[href]") if hasattr(event.target, "closest") else None
        if link is None or link.hasAttribute("download"):
            return
        if (link.getAttribute("target") or "_self") != "_self":
            return
        url = js.URL.new(link.href)
        if str(url.origin) != str(js.location.origin) or not self._under_base(str(url.pathname)):
            return
        here = str(js.location.pathname) + str(js.location.search)
        if str(url.hash) and str(url.pathname) + str(url.search) == here:
            return  # an anchor on this page
        event.preventDefault()
        js.history.pushState(None, "", str(url.pathname) + str(url.search) + str(url.hash))
        callback()


def site_base() -> str:
    """The path the site is served under, ending with `/`. The page's own script tags say it:
    `./_framework/boot.js` in index.html (relative to the page's folder), `/app/_framework/...`
    in the fallback page a route's URL gets (framework/cli/history.py). Else the page's folder."""
    script = js.document.querySelector(f'script[src$="/{_BOOT_SCRIPT}"]')
    if script is not None:
        return str(js.URL.new(script.src).pathname).removesuffix(_BOOT_SCRIPT)
    path = str(js.location.pathname)
    return path[: path.rfind("/") + 1] or "/"


_BOOT_SCRIPT = "_framework/boot.js"  # framework/cli/page.py writes it in every page


def _listen(target: Any, event: str, handler: Callable[[Any], None]) -> Callable[[], None]:
    proxy = create_proxy(handler)
    target.addEventListener(event, proxy)

    def stop() -> None:
        target.removeEventListener(event, proxy)
        proxy.destroy()

    return stop
