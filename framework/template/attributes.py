"""Parts that write one element's attributes, classes, styles and properties.

Each may hold a Signal or Computed in its slots: the part then follows it and writes only its
own node when it changes, with no re-render (WatchingPart).
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, cast

from framework.dom import ops as op
from framework.reactive import Effect, Watch, run_with_owner
from framework.template import safety
from framework.template.part import REACTIVE, UNSET, Part, Values

if TYPE_CHECKING:
    from framework.template.renderer import Renderer
    from framework.template.specs import AttrSpec


class WatchingPart(Part):
    """An attribute, class, style or property part whose slots may hold a Signal or Computed:
    the part then follows it, writing only its own node when it changes, with no re-render.

    `apply(values)` is the part's plain update; with reactive slots it runs again each time one
    changes, with each reactive slot replaced by its current value. One reactive slot (the
    common case: `class={css}` in every row of a list) is followed by a Watch, several by an
    effect."""

    __slots__ = ("sources", "stop")
    QUIET_RELEASE = True  # it disposes its own Watch or effect, which only wrote its node

    def __init__(self, renderer: Renderer, node: int, slots: tuple[int, ...]) -> None:
        super().__init__(renderer, node, slots)
        self.sources: tuple[Any, ...] = ()  # the Signals an effect follows (several slots)
        self.stop: Watch | Effect | None = None  # what follows them: both have dispose()

    def update(self, values: tuple[Any, ...]) -> None:
        slots = self.slots
        if len(slots) == 1:  # the common case: no generator, one source, a Watch
            self._update_one(values[slots[0]], values)
            return
        if not any(isinstance(values[slot], REACTIVE) for slot in slots):
            if self.stop is not None:
                self.release()
            self.apply(values)
            return
        sources = tuple(values[slot] for slot in slots)
        if self.stop is not None and all(map(operator.is_, sources, self.sources, strict=True)):
            return  # the same signals as last render: already following them
        self.release()
        self.sources = sources
        # A root effect (owned by no render: it lives until the part lets go of it).
        self.stop = run_with_owner(None, Effect, lambda: self.apply(_resolved(values, slots)))

    def _update_one(self, value: Any, values: tuple[Any, ...]) -> None:
        # The per-row path of a long list (`class={css}`): no closure, no tuple, no cell.
        stop = self.stop
        if not isinstance(value, REACTIVE):
            if stop is not None:
                self.release()
            self.apply(values)
        elif stop is None:
            self.stop = Watch(value, self)  # the part is the callback: no bound method a row
        elif value is not cast("Watch", stop).source:  # else: following it already
            self.release()
            self.stop = Watch(value, self)

    def apply(self, values: Values) -> None:
        self.take(values[self.slots[0]])

    def show(self, value: Any) -> None:
        """The followed Signal or Computed of the one slot changed to value."""
        self.apply({self.slots[0]: value})

    def __call__(self, value: Any) -> None:
        """A Watch's callback: show(value)."""
        self.show(value)

    def release(self) -> None:
        stop = self.stop
        if stop is not None:
            self.stop, self.sources = None, ()
            stop.dispose()

    @classmethod
    def release_all(cls, parts: list[Part]) -> None:
        # The Watches of a cleared list's rows (`class={css}` in each) go in one loop: two
        # Python calls per row were most of a cleared list's Python under Pyodide.
        if cls.release is not WatchingPart.release:
            super().release_all(parts)
            return
        watches: list[Watch] = []
        for part in cast("list[WatchingPart]", parts):
            stop = part.stop
            if stop is not None:
                part.stop, part.sources = None, ()
                if type(stop) is Watch:
                    watches.append(stop)
                else:
                    stop.dispose()
        Watch.dispose_all(watches)


def _resolved(values: tuple[Any, ...], slots: tuple[int, ...]) -> tuple[Any, ...]:
    """values with each Signal/Computed of the given slots read (and so tracked)."""
    current = list(values)
    for slot in slots:
        if isinstance(current[slot], REACTIVE):
            current[slot] = current[slot].value
    return tuple(current)


class AttrPart(WatchingPart):
    __slots__ = ("name", "plain", "strings", "tag")

    def __init__(
        self, renderer: Renderer, node: int, tag: str, spec: AttrSpec, absent: bool
    ) -> None:
        # Part's and WatchingPart's stores, inlined: a row of a long list with `class={css}`
        # makes one, and two super() calls cost more than the stores.
        self.renderer, self.node, self.slots = renderer, node, spec.slots
        self.value = None if absent else UNSET  # None: what the clone has, no such attribute
        self.sources, self.stop = (), None
        self.tag, self.name, self.strings = tag, spec.name, spec.strings  # checked in the plan
        self.plain = len(spec.slots) == 1 and not any(spec.strings)  # `name={value}` alone

    def show(self, value: Any) -> None:
        if self.plain:
            self.take(value)
        else:
            self.apply({self.slots[0]: value})

    def apply(self, values: Values) -> None:
        if self.plain:
            self.take(values[self.slots[0]])
            return
        pieces = [self.strings[0]]
        for index, slot in enumerate(self.slots, start=1):
            pieces.append(_attr_piece(values[slot]))
            pieces.append(self.strings[index] if index < len(self.strings) else "")
        joined = "".join(pieces)
        if joined != self.value:
            self.commit(joined)
            self.value = joined

    def commit(self, value: Any) -> None:
        if value is None or value is False:
            self.renderer.emit(op.UNATTR, self.node, self.name)
        elif value is True:
            self.renderer.emit(op.ATTR, self.node, self.name, "")
        else:
            text = safety.attribute_string(self.tag, self.name, value)
            self.renderer.emit(op.ATTR, self.node, self.name, text)


def _attr_piece(value: Any) -> str:
    return "" if value is None or value is False else str(value)


class BoolPart(WatchingPart):
    __slots__ = ("name",)

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec, absent: bool) -> None:
        super().__init__(renderer, node, spec.slots)
        self.name = spec.name
        if absent:
            self.value = False  # what the clone has: no such attribute

    def commit(self, value: Any) -> None:
        if value:
            self.renderer.emit(op.ATTR, self.node, self.name, "")
        else:
            self.renderer.emit(op.UNATTR, self.node, self.name)


class ClassPart(AttrPart):
    __slots__ = ()

    def show(self, value: Any) -> None:
        if self.plain:  # `class={css}`: a row's class following its Computed
            self._write(value if type(value) is str else safety.class_string(value))
        else:
            self.apply({self.slots[0]: value})

    def apply(self, values: Values) -> None:
        if self.plain:
            value = values[self.slots[0]]
            text = value if type(value) is str else safety.class_string(value)
        else:
            pieces = [self.strings[0]]
            for index, slot in enumerate(self.slots, start=1):
                pieces.append(safety.class_string(values[slot]) or "")
                pieces.append(self.strings[index] if index < len(self.strings) else "")
            text = " ".join("".join(pieces).split())
        self._write(text)

    def _write(self, text: str | None) -> None:
        if text != self.value:
            self.value = text
            if text:
                self.renderer.emit(op.ATTR, self.node, "class", text)
            else:
                self.renderer.emit(op.UNATTR, self.node, "class")


class StylePart(WatchingPart):
    __slots__ = ()

    def apply(self, values: Values) -> None:
        new = safety.style_dict(values[self.slots[0]])
        old: dict[str, str] = self.value if isinstance(self.value, dict) else {}
        for name in old.keys() - new.keys():
            self.renderer.emit(op.STYLE, self.node, name, None)
        for name, text in new.items():
            if old.get(name) != text:
                self.renderer.emit(op.STYLE, self.node, name, text)
        self.value = new


class PropPart(WatchingPart):
    __slots__ = ("name", "url")

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec) -> None:
        super().__init__(renderer, node, spec.slots)
        self.name = spec.name  # checked in the plan
        self.url = spec.name.lower() in safety.URL_ATTRIBUTES

    def commit(self, value: Any) -> None:
        if type(value) not in _PROPERTY_TYPES and not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"property .{self.name} takes str, number, bool or None")
        if self.url and isinstance(value, str):
            value = safety.sanitize_url(value)
        self.renderer.emit(op.PROP, self.node, self.name, value)


_PROPERTY_TYPES = frozenset({str, int, float, bool, type(None)})
