"""A new version of the app, deployed while this one runs: found, shown, applied on request.

A build made with `[framework] offline = true` runs under a service worker that keeps every
file of its version (docs/offline.md). When a new build is deployed, the browser installs its
worker beside the running one and lets it wait: the page goes on running the old version, on
the old files, so versions never mix. The browser layer (framework/browser/updates.py) reports
that waiting worker here (`update_found`), which makes `update_available` true; the app shows
a notice, and `apply_update()`, called when the user agrees, hands over to the new worker and
reloads the page on the new version's files only.

No `js` here: the browser layer installs an `UpdateBridge`, and tests install a fake one.
"""

from __future__ import annotations

from typing import Protocol

from framework.reactive import Computed, Signal

__all__ = ["UpdateBridge", "apply_update", "set_update_bridge", "update_available", "update_found"]


class UpdateBridge(Protocol):
    """What applies a waiting version: the page's service worker registration."""

    def apply(self) -> None:
        """Activate the waiting version; the page reloads once it controls the page."""


_waiting = Signal(False, name="update waiting")
_bridge: UpdateBridge | None = None

# True once a newer build waits to take over this page. A Computed, so read-only for the app:
# only the browser layer (or a test) says a version waits.
update_available: Computed[bool] = Computed(lambda: _waiting.value, name="update_available")


def set_update_bridge(bridge: UpdateBridge | None) -> None:
    """Install the bridge that applies updates (None: no update can be applied; forgets a
    waiting one, as a fresh page would)."""
    global _bridge  # noqa: PLW0603 - one page runs one app
    _bridge = bridge
    if bridge is None:
        _waiting.value = False


def update_found() -> None:
    """The browser layer saw a new version waiting: `update_available` becomes true."""
    _waiting.value = True


def apply_update() -> None:
    """Switch to the waiting version: the page reloads on it (its files only), with the app's
    stored data. Call it when the user asks for it (a "reload" button): the reload ends what
    the page was doing."""
    if _bridge is None or not _waiting.peek():
        raise RuntimeError(
            "apply_update(): no new version of the app is waiting, so there is nothing to "
            "apply. Call it only while `update_available.value` is true, e.g. from a button "
            "shown then (docs/offline.md)."
        )
    _bridge.apply()
