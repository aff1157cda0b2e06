"""The page's service worker registration (offline.js) as the core's update bridge.

offline.js registers the build's worker and keeps `globalThis.__framework_updates__`: whether a
new version waits, a way to be told when one does (at once if one waits already: the page may
have found it before Python started), and `apply()`, which tells the waiting worker to take
over; the page reloads when it does. A page without a worker (`framework serve`, a build made
with `offline = false`) has no such object, and nothing is installed.
"""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import create_proxy

from framework.updates import set_update_bridge, update_found

# Held for the page's lifetime: offline.js calls it whenever a new version is found.
_listener: Any = None


class PageUpdates:
    """framework.updates' bridge over offline.js."""

    def __init__(self, page_updates: Any) -> None:
        self._page = page_updates

    def apply(self) -> None:
        self._page.apply()


def install_updates() -> None:
    """Connect `update_available` and `apply_update()` to the page's worker, if it has one."""
    global _listener  # noqa: PLW0603 - one page, one listener
    page_updates = getattr(js, "__framework_updates__", None)
    if page_updates is None or _listener is not None:
        return
    set_update_bridge(PageUpdates(page_updates))
    _listener = create_proxy(update_found)
    page_updates.subscribe(_listener)
