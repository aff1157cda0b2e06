"""A template instance: one clone of a defined template, and what it holds at each dynamic place.

Creating one is one CLONE op: the clone, its first texts and attributes (the plan's fills), its
event routing and its place in the document, so a row of a long list costs one operation and
no object per text, attribute or handler. Those light places live in the instance's `values`
(the last values rendered); a part object is made only for a place that needs one (a binding,
a Signal, a nested template, a list: plan.py's PART entries, and a light place the first time
it takes such a value). Updating an instance compares the new values with the last ones and
touches only the places whose slots changed.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from itertools import chain, repeat
from operator import attrgetter, is_not, methodcaller
from types import MethodType
from typing import TYPE_CHECKING, Any, cast

from framework.dom import ops as op
from framework.errors import report_error
from framework.template import safety
from framework.template.content import Content
from framework.template.events import check_handler, run_handler
from framework.template.kinds import CLASS, EVENT, PART, TEXT
from framework.template.located import mark_slot
from framework.template.part import IMMUTABLE_TYPES, Part

if TYPE_CHECKING:
    from string.templatelib import Template

    from framework.template.binding import BindPart
    from framework.template.child import ChildPart
    from framework.template.plan import TemplateMeta
    from framework.template.renderer import Renderer

# The values a light place takes: their text is a pure function of the value, so the last one
# shown is known from the last value (an object's str() may change: it gets a part, which keeps
# what it wrote; so do a list or dict, which may change in place).
_PLAIN_TYPES = frozenset({str, int, float, type(None), bool})


def same_template(instance: TemplateInstance, template: Template) -> bool:
    """Whether `template` is the one `instance` renders, so that it is updated in place.
    Usually the same t-string's `strings` tuple, compared by identity; but CPython builds that
    tuple anew each time a t-string with 30 or more interpolations runs (smaller ones are
    constants of the code), so then the renderer's cached plan for the template decides: the
    same markup in the same style scope."""
    if instance.meta.strings is template.strings:
        return True
    return instance.meta is instance.renderer.meta(template)


class TemplateInstance(Content):
    __slots__ = ("base", "meta", "parts", "renderer", "spent", "values")

    def __init__(
        self, renderer: Renderer, meta: TemplateMeta, values: tuple[Any, ...], before: int = 0
    ) -> None:
        """Clone the template with `values` in place, inserted before node `before` (0: it
        waits in its fragment until moved)."""
        self.renderer, self.meta = renderer, meta
        self.base = base = renderer.alloc(meta.node_count + 1)
        self.parts: list[Part | None] | None = None  # made on first need
        self.spent: set[int] | None = None  # `.once` handlers that ran
        self.values = values
        fill: list[Any] = [None] * len(meta.fills)
        later: list[int] = []  # entries that need a part, updated once the clone exists
        index = 0
        cloned = False
        try:
            for index, kind in enumerate(meta.kinds):
                value = values[meta.first_slots[index]]
                if kind == EVENT:
                    spec, called = meta.plan[index][2]
                    check_handler(spec.name, value, called)
                elif kind == PART or not self._fill(index, kind, value, fill):
                    later.append(index)
            renderer.emit(op.CLONE, meta.tid, base, fill, before)
            cloned = True
            if meta.event_offsets:
                renderer.events.owners[base] = self
            for index in later:
                self._part(index).update(values)
        except Exception as error:
            mark_slot(error, meta.first_slots[index])
            if cloned:  # no one gets this instance: what its earlier slots mounted goes now
                self._discard()
            raise

    def _discard(self) -> None:
        """Remove a clone whose building failed: its nodes, ids, routes and the components
        and effects its parts had made (else they would live on, unreachable). Not while hot
        reload builds it from a replaced template's components (carry.py): those it took go
        back to the old template, which its own error path does."""
        from framework.template import carry  # carry.py imports this module

        if carry.offered is not None:
            return
        try:
            self.remove()
        except Exception as error:  # noqa: BLE001 - the failure being raised is the one to see
            report_error(error)

    def _fill(self, index: int, kind: int, value: Any, fill: list[Any]) -> bool:
        """Put a light entry's first value into the CLONE's values; False when the value needs
        a part (a Signal, a template, a list, an object whose str() is its own)."""
        if type(value) not in _PLAIN_TYPES:
            return False
        if kind == TEXT:
            if value is not None and type(value) is not bool and value != "":
                fill[self.meta.fill_of[index]] = value if type(value) is str else str(value)
            return True
        text = self._attribute_text(index, kind, value)  # ATTR or CLASS: the caller checks events
        if text is not None:
            fill[self.meta.fill_of[index]] = text
        return True

    def _attribute_text(self, index: int, kind: int, value: Any) -> str | None:
        """What a light ATTR or CLASS entry writes for value; None: no attribute."""
        if kind == CLASS:
            text = value if type(value) is str else safety.class_string(value)
            return text or None
        if value is None or value is False:
            return None
        if value is True:
            return ""
        tag, spec, _ = self.meta.plan[index][2]
        return safety.attribute_string(tag, spec.name, value)

    def _part(self, index: int) -> Part:
        """The part of plan entry `index`, made now if it has none yet."""
        parts = self.parts
        if parts is None:
            parts = self.parts = [None] * len(self.meta.plan)
        part = parts[index]
        if part is None:
            cls, offset, args = self.meta.plan[index]
            part = parts[index] = cls(self.renderer, self.base + offset, *args)
            if not cls.QUIET_RELEASE:
                self.renderer.loud_templates.add(self.meta.tid)
        return part

    def update(self, values: tuple[Any, ...]) -> None:
        """Hand the new values to the places whose slots changed: a re-render where most slots
        hold the same objects costs one identity check per slot."""
        old = self.values
        meta = self.meta
        owners, stable = meta.slot_parts, meta.stable_slots
        parts = self.parts
        last = -1
        slot = 0
        try:
            for slot, value in enumerate(values):
                previous = old[slot]
                if value is previous:
                    if stable[slot] or type(value) in IMMUTABLE_TYPES:
                        continue
                elif type(value) is MethodType and stable[slot] and value == previous:
                    continue  # `onclick={self.save}` is a new bound method each render
                index = owners[slot]
                if index == last:  # a part with several slots updates once
                    continue
                last = index
                part = parts[index] if parts is not None else None
                if part is not None:
                    part.update(values)
                elif not self._update_light(index, value, previous):
                    self._materialize(index, previous).update(values)
                    parts = self.parts
        except Exception as error:  # the user's mistake, shown at the slot in their source
            mark_slot(error, meta.first_slots[last] if last >= 0 else slot)
            raise
        self.values = values

    def _update_light(self, index: int, value: Any, previous: Any) -> bool:
        """A light entry's new value, written with one op if it shows differently; False when
        the value needs a part from now on."""
        kind = self.meta.kinds[index]
        if kind == EVENT:
            spec, called = self.meta.plan[index][2]
            check_handler(spec.name, value, called)
            return True
        if type(value) not in _PLAIN_TYPES:
            return False
        node = self.base + self.meta.plan[index][1]
        if kind == TEXT:
            shown = _text_of(value)
            if shown != _text_of(previous):
                self.renderer.emit(op.TEXT, node, shown)
            return True
        if value == previous and type(value) is type(previous):
            return True
        text = self._attribute_text(index, kind, value)
        # The text shown now, when working it out is free (a URL would be checked again).
        if (kind == CLASS or previous is None or type(previous) is bool) and (
            text == self._attribute_text(index, kind, previous)
        ):
            return True
        name = "class" if kind == CLASS else self.meta.plan[index][2][1].name
        if text is None:
            self.renderer.emit(op.UNATTR, node, name)
        else:
            self.renderer.emit(op.ATTR, node, name, text)
        return True

    def _materialize(self, index: int, previous: Any) -> Part:
        """A light entry becomes a part, which takes over what the DOM shows now."""
        part = self._part(index)
        kind = self.meta.kinds[index]
        if kind == TEXT:
            cast("ChildPart", part).text = _text_of(previous)
            part.value = previous
        elif kind == CLASS:
            part.value = self._attribute_text(index, kind, previous)
        else:
            part.value = previous
        return part

    def fire(self, node: int, event_type: str, event: Any) -> None:
        """An event on one of this instance's elements: run the handlers bound to it now."""
        entries = self.meta.handlers.get((node - self.base, event_type))
        if entries is None:
            return
        for index in entries:
            if self.meta.kinds[index] != EVENT:
                cast("BindPart", self._part(index)).on_event(event)
                continue
            spec, _ = self.meta.plan[index][2]
            handler = self.values[self.meta.first_slots[index]]
            if handler is None:
                continue
            once = "once" in spec.modifiers
            if once and self.spent is not None and index in self.spent:
                continue
            if run_handler(handler, spec.modifiers, event) and once:
                if self.spent is None:
                    self.spent = set()
                self.spent.add(index)

    def _child(self, index: int) -> ChildPart | None:
        """The part at index (a top-level slot), if it has one: a light slot holds only text."""
        return cast("ChildPart | None", self.parts[index] if self.parts is not None else None)

    def first(self) -> int | None:
        leading = self.meta.leading
        if leading is not None:  # content of a leading slot comes before its anchor
            part = self._child(leading)
            return part.first() if part is not None else self.base + self.meta.plan[leading][1]
        return self.base if self.meta.has_roots else None

    def move_before(self, ref: int) -> None:
        if self.meta.has_roots:
            self.renderer.emit(op.INSERT, self.base, ref)
            # The group is the top-level nodes of the clone; a top-level slot's content is
            # not among them (it was inserted before its anchor later), so it follows here,
            # back in front of its anchor.
            for index in self.meta.top_parts:
                part = self._child(index)
                if part is not None and part.content is not None:
                    part.content.move_before(part.node)

    def remove(self) -> None:
        if self.meta.has_roots:
            # A top-level slot's content is not in the group, and removing it needs the slot's
            # anchor still in place (a list removes the range that ends there): content first.
            for index in self.meta.top_parts:
                part = self._child(index)
                if part is not None:
                    part.clear()
            self.renderer.emit(op.REMOVE, self.base)
        self.release()

    def release(self) -> None:
        """Free what the instance holds (its event routes, the parts' handlers, components and
        effects) and its node ids. The nodes are leaving the document with their listeners."""
        renderer, meta, base, parts = self.renderer, self.meta, self.base, self.parts
        if meta.event_offsets:
            renderer.events.owners.pop(base, None)
        if parts is not None:
            for part in parts:
                if part is not None:
                    part.release()
        renderer.drop(base, meta.node_count + 1)


_bases = attrgetter("base")
_metas = attrgetter("meta")
_parts_of = attrgetter("parts")
_release = methodcaller("release")


def release_all(instances: list[TemplateInstance]) -> None:
    """release() of every instance of a list removed at once (cleared or replaced): the same
    work, with the steps per row (route removal, id drops) done by C loops over the rows rather
    than by Python per row, which is most of a cleared list's Python under Pyodide.

    Rows of a template none of whose instances ever made a part the app could see go (no
    component, no Ref, no binding: Part.QUIET_RELEASE) are released once the frame is painted
    (Renderer.release_later): their nodes left the document with this batch already, and what
    is left is bookkeeping, half of a cleared list's Python."""
    meta = instances[0].meta
    if any(map(is_not, map(_metas, instances), repeat(meta))):  # rows of several templates
        for instance in instances:
            instance.release()
        return
    renderer = instances[0].renderer
    if meta.tid in renderer.loud_templates:
        _release_rows(instances)
    else:
        renderer.release_later(partial(_release_rows, instances))


def _release_rows(instances: list[TemplateInstance]) -> None:
    """release_all()'s work for rows of one template."""
    meta, renderer = instances[0].meta, instances[0].renderer
    bases = list(map(_bases, instances))
    if meta.event_offsets:
        deque(map(renderer.events.owners.pop, bases, repeat(None)), maxlen=0)
    parts = [*filter(None, chain.from_iterable(filter(None, map(_parts_of, instances))))]
    kinds: set[type[Part]] = set(map(type, parts))
    if len(kinds) == 1:  # the rows' parts are alike (`class={css}` in each): one loop for all
        kinds.pop().release_all(parts)
    else:  # in order, as the rows would release them one by one
        deque(map(_release, parts), maxlen=0)
    _drop_rows(renderer, bases, meta.node_count + 1)


def _drop_rows(renderer: Renderer, bases: list[int], size: int) -> None:
    """Drop the ids of rows at `bases`, `size` ids each: one DROP when the rows were created
    together (consecutive ids, the usual case), else one per row (merged where they meet)."""
    first = bases[0]
    if bases == list(range(first, first + size * len(bases), size)):
        renderer.drop(first, size * len(bases))
        return
    for base in bases:
        renderer.drop(base, size)


def _text_of(value: Any) -> str:
    """What a text slot shows for a plain value."""
    if value is None or type(value) is bool:
        return ""
    return value if type(value) is str else str(value)
