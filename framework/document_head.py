"""The page's title and meta tags, set by the components on screen.

    class BookPage(Component):
        id: int

        def setup(self):
            head(title=lambda: f"Book {self.id}", meta={"description": "One book of the list"})

A claim made in `setup()` lasts as long as its component is mounted. Of the mounted claims the
innermost (the latest made) wins, key by key: a page's title over its layout's; a layout's
description stays while the page gives none. When a claim goes (its component unmounts), the
next one shows again, and with none left the document's own value comes back. Values can be
text, a Signal or Computed, or a function: reading signals in them keeps the head up to date.

The head belongs to the document the component renders into: the page in the browser, and a
MemoryDom's `head` in tests (`dom.head.title`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from framework.component import host as _host
from framework.component import mounting as _mounting
from framework.dom.head import HeadBackend, MemoryHead
from framework.reactive import (
    Computed,
    Effect,
    Signal,
    create_root,
    get_owner,
    on_cleanup,
    untracked,
)

HeadText = str | None
HeadValue = (
    HeadText
    | Signal[str]
    | Signal[str | None]
    | Computed[str]
    | Computed[str | None]
    | Callable[[], HeadText]
)
Reader = Callable[[], HeadText]
TITLE = "\0title"  # the title's key among the meta names (no meta tag is named so)


@dataclass(eq=False)
class _Claim:
    """What one head() call asks for: a reader per key (TITLE, or a meta tag's name)."""

    readers: dict[str, Reader] = field(default_factory=dict)


class _DocumentHead:
    """The claims on one document's head, and the effect that shows the winners."""

    def __init__(self, target: HeadBackend) -> None:
        self.target = target
        self.claims: Signal[tuple[_Claim, ...]] = Signal((), name="head claims")
        self.saved: dict[str, HeadText] = {}  # the document's own value of each claimed key
        untracked(lambda: create_root(lambda _dispose: Effect(self._show, name="head")))

    def add(self, claim: _Claim) -> Callable[[], None]:
        self.claims.value = (*self.claims.peek(), claim)

        def release() -> None:
            self.claims.value = tuple(c for c in self.claims.peek() if c is not claim)

        return release

    def _show(self) -> None:
        claims = self.claims.value
        keys = {key for claim in claims for key in claim.readers}
        for key in keys:
            value = _winner(claims, key)
            if value is None and key not in self.saved:
                continue  # claimed by no one at the moment: leave the document's own
            if key not in self.saved:
                self.saved[key] = self._read(key)
            self._write(key, self.saved[key] if value is None else value)
        for key in [key for key in self.saved if key not in keys]:
            self._write(key, self.saved.pop(key))  # the last claim went: the document's own

    def _read(self, key: str) -> HeadText:
        value: HeadText = self.target.get_title() if key == TITLE else self.target.get_meta(key)
        return value

    def _write(self, key: str, value: HeadText) -> None:
        if self._read(key) == value:
            return
        if key == TITLE:
            self.target.set_title(value or "")
        else:
            self.target.set_meta(key, value)


def _winner(claims: tuple[_Claim, ...], key: str) -> HeadText:
    """The value of the innermost claim that gives key a value (None: none does). Only the
    readers consulted are tracked, so a covered claim's signals do not re-run the head."""
    for claim in reversed(claims):
        reader = claim.readers.get(key)
        if reader is not None:
            value = reader()
            if value is not None:
                return str(value)
    return None


_heads: WeakKeyDictionary[Any, _DocumentHead] = WeakKeyDictionary()
_fallback_head = MemoryHead()  # a document that has no head of its own


def document_head() -> HeadBackend:
    """The head of the document being rendered into: the mounting component's backend's, else
    the default backend's (the page, in the browser), else one in memory."""
    host = _host._current_host  # the component whose setup() is running
    backend: Any = None
    if host is not None:
        backend = host.renderer.backend
    elif _mounting._default_backend is not None:  # else the page's, once registered
        backend = _mounting._default_backend()
    found: HeadBackend | None = getattr(backend, "head", None)
    return _fallback_head if found is None else found


def head(
    *, title: HeadValue = None, meta: Mapping[str, HeadValue] | None = None
) -> Callable[[], None]:
    """Set the page's title and meta tags while the calling component is mounted.

    Call it in `setup()`. `title` and each value of `meta` (tag name to content: `description`,
    or `og:title`, written as a `property`) are text, a Signal or Computed, or a function
    returning text; None gives way to the claims below. Returns `release()`, which ends the
    claim early; unmounting the component ends it anyway."""
    readers = {TITLE: _reader(title)} if title is not None else {}
    readers |= {name: _reader(value) for name, value in (meta or {}).items() if value is not None}
    target = document_head()
    document = _heads.get(target)
    if document is None:
        document = _heads[target] = _DocumentHead(target)
    release = document.add(_Claim(readers))
    if get_owner() is not None:
        on_cleanup(release)
    return release


def _reader(value: HeadValue) -> Reader:
    if isinstance(value, Signal | Computed):
        source = value
        return lambda: source.value
    if callable(value):
        return value
    text = value
    return lambda: text
