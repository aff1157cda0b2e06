"""`await aio.event(element, "click", "keydown")`: the first of several DOM events.

Listening is delegated to a binder, so the logic (first event wins, listeners removed after
the event and on cancellation) is the same in unit tests, with a fake element, as in the
browser, where `framework.browser.events` installs a binder that wraps the callback in one
proxy and destroys it when the listeners are removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

Listener = Callable[[Any], None]
Unbind = Callable[[], None]
Binder = Callable[[Any, tuple[str, ...], Listener], Unbind]


def direct_binder(element: Any, names: tuple[str, ...], listener: Listener) -> Unbind:
    """For objects that take Python callables: add the listener for each name."""
    for name in names:
        element.addEventListener(name, listener)

    def unbind() -> None:
        for name in names:
            element.removeEventListener(name, listener)

    return unbind


_binder: Binder = direct_binder


def set_event_binder(binder: Binder | None) -> Binder:
    """Install how listeners are added (None restores the direct one); returns the previous."""
    global _binder
    previous, _binder = _binder, binder or direct_binder
    return previous


async def event(element: Any, *names: str) -> Any:
    """Wait for the first of the events `names` on `element` and return it."""
    if not names:
        raise TypeError("aio.event() needs at least one event name, e.g. event(button, 'click')")
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"event names must be non-empty strings, not {name!r}")
    if not hasattr(element, "addEventListener"):
        raise TypeError(
            f"aio.event() needs a DOM element (with addEventListener), not {type(element).__name__}"
        )
    arrived: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_event(evt: Any) -> None:
        if not arrived.done():
            arrived.set_result(evt)

    unbind = _binder(element, names, on_event)
    try:
        return await arrived
    finally:
        unbind()  # after the event, and when the awaiting task is cancelled
