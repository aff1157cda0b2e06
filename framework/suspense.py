"""Suspense: one fallback while the resources below it first load, then the subtree at once.

    Suspense(Profile(user_id=1), Feed(), fallback=t"<p>Loading…</p>")

The children are mounted at once, inside a wrapper that stays hidden (`display: none`) while
any `resource()` created below it (in a descendant's setup) is on its first load; the fallback
shows beside it. When the last of them has loaded (or failed), the wrapper is shown
(`display: contents`, so it adds no box) and the fallback removed, in one flush: the subtree
appears together. A resource made while revealing (a child that renders only once its parent's
data is there) keeps it waiting, since the check runs after the flush's effects. After that the
boundary never suspends again: a refresh, or a resource created later, shows the subtree's own
loading state.

A resource finds its boundary through component context (provide/inject): the nearest Suspense
above the component whose setup created it. A resource given `initial=` has its data already,
so it does not hold the boundary. A failed load counts as finished: the subtree appears and the
component that reads the resource shows the error in its own error boundary (its fallback).

Prerendering (docs/instant-start.md): the browser's first render always shows the fallback
(loads run after it), so the prerendered view does too whenever a resource held the boundary,
even one whose load finished ahead of time: the page shows what hydration will adopt.
"""

from __future__ import annotations

from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework.component import host as hosting
from framework.component.base import Component, ComponentMeta
from framework.component.host import ComponentCall
from framework.environment import prerendering
from framework.reactive import Signal, after_flush

if TYPE_CHECKING:
    from framework.component.host import ComponentHost

__all__ = ["Suspense", "SuspenseBoundary", "nearest_boundary"]


class SuspenseBoundary:
    """What a Suspense provides to its subtree: the resources it waits for, and whether it has
    revealed its children (for good)."""

    def __init__(self) -> None:
        self.revealed = Signal(False, name="suspense revealed")
        self._waiting: set[object] = set()  # the resources on their first load
        self._held = False  # whether any resource ever held it (prerendering keeps the fallback)
        self._disposed = False

    def hold(self, resource: object) -> None:
        """A resource below started its first load: wait for it (unless already revealed)."""
        if not (self.revealed.peek() or self._disposed):
            self._waiting.add(resource)
            self._held = True

    def release(self, resource: object) -> None:
        """That load ended (loaded, failed, or its resource disposed)."""
        if resource in self._waiting:
            self._waiting.discard(resource)
            after_flush(self.check)  # after the effects its outcome triggers: they may hold it

    def check(self) -> None:
        """Reveal if nothing is waiting any more. Runs at the end of a flush."""
        if self._disposed or self._waiting or self.revealed.peek():
            return
        if self._held and prerendering():
            return  # the browser's first render shows the fallback: so does the page
        self.revealed.value = True

    def dispose(self) -> None:
        self._disposed = True
        self._waiting.clear()


_BOUNDARY = object()  # the context key a Suspense provides its boundary under


def nearest_boundary() -> SuspenseBoundary | None:
    """The boundary of the nearest Suspense above the component being set up, if any."""
    host: ComponentHost | None = hosting._current_host
    while host is not None:
        found = host.provided.get(_BOUNDARY)
        if found is not None:
            return found  # type: ignore[no-any-return]  # only a SuspenseBoundary is put there
        host = host.parent
    return None


class _SuspenseCall(ComponentMeta):
    """`Suspense(..., fallback=...)`: the prop is stored as `placeholder`, since `fallback` is
    every component's error-boundary method, which a Suspense keeps."""

    def __call__(  # a keyword of its own, else the same call
        cls, *children: Any, fallback: Any = None, key: Any = None, **props: Any
    ) -> ComponentCall:
        return super().__call__(*children, key=key, placeholder=fallback, **props)


class Suspense(Component, metaclass=_SuspenseCall):
    """Shows `fallback` while any resource below first loads, then all its children at once."""

    placeholder: Any = None

    def setup(self) -> None:
        self._boundary = SuspenseBoundary()
        self.provide(_BOUNDARY, self._boundary)
        after_flush(self._boundary.check)  # no resource below at all: reveal in this flush

    def unmounted(self) -> None:
        self._boundary.dispose()

    def render(self) -> Template:
        revealed = self._boundary.revealed.value
        waiting = None if revealed else self.placeholder
        shown = {"display": "contents" if revealed else "none"}
        return t'{waiting}<div class="framework-suspense" style={shown}>{self.children}</div>'
