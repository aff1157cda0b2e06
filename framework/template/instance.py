"""A template instance: one clone of a defined template and one part per dynamic place.

Creating one is a CLONE op and one constructor call per part (the part plan, plan.py, decided
the classes and arguments once per template). Updating one hands the new values only to the
parts whose slots changed.
"""

from __future__ import annotations

from types import MethodType
from typing import TYPE_CHECKING, Any, cast

from framework.dom import ops as op
from framework.template.content import Content
from framework.template.located import mark_slot
from framework.template.part import IMMUTABLE_TYPES, Part

if TYPE_CHECKING:
    from framework.template.child import ChildPart
    from framework.template.plan import TemplateMeta
    from framework.template.renderer import Renderer


class TemplateInstance(Content):
    __slots__ = ("base", "meta", "parts", "renderer", "values")

    def __init__(self, renderer: Renderer, meta: TemplateMeta) -> None:
        self.renderer, self.meta = renderer, meta
        count = len(meta.parsed.parts)
        self.base = renderer.alloc(count + 1)
        base = self.base
        renderer.emit(op.CLONE, meta.tid, base)
        self.parts: list[Part] = []
        try:
            for cls, at, args in meta.plan:
                self.parts.append(cls(renderer, base + at, *args))
        except Exception as error:
            mark_slot(error, _first_slot(meta, len(self.parts)))
            raise
        self.values: tuple[Any, ...] | None = None  # the last values every part took

    def update(self, values: tuple[Any, ...]) -> None:
        """Hand the new values to the parts whose slots changed: a re-render where most slots
        hold the same objects costs one identity check per slot, not a call per part."""
        old = self.values  # the last values every part took: set only once all of them did
        parts = self.parts
        index = 0
        try:
            if old is None:
                for part in parts:
                    part.update(values)
                    index += 1
            else:
                owners, stable = self.meta.slot_parts, self.meta.stable_slots
                last = -1
                for slot, value in enumerate(values):
                    previous = old[slot]
                    if value is previous:
                        if stable[slot] or type(value) in IMMUTABLE_TYPES:
                            continue
                    elif type(value) is MethodType and stable[slot] and value == previous:
                        continue  # `onclick={self.save}` is a new bound method each render
                    index = owners[slot]
                    if index != last:  # a part with several slots updates once
                        parts[index].update(values)
                        last = index
        except Exception as error:  # the user's mistake, shown at the slot in their source
            mark_slot(error, _first_slot(self.meta, index))
            raise
        self.values = values

    def _child(self, index: int) -> ChildPart:
        """The part at index, which the plan made a ChildPart (a top-level slot)."""
        return cast("ChildPart", self.parts[index])

    def first(self) -> int | None:
        if self.meta.leading is not None:  # content of a leading slot comes before its anchor
            return self._child(self.meta.leading).first()
        return self.base if self.meta.has_roots else None

    def move_before(self, ref: int) -> None:
        if self.meta.has_roots:
            self.renderer.emit(op.INSERT, self.base, ref)
            # The group is the top-level nodes of the clone; a top-level slot's content is
            # not among them (at first it waits in the clone's fragment), so it follows here,
            # back in front of its anchor.
            for index in self.meta.top_parts:
                part = self._child(index)
                if part.content is not None:
                    part.content.move_before(part.node)

    def remove(self) -> None:
        if self.meta.has_roots:
            # A top-level slot's content is not in the group, and removing it needs the slot's
            # anchor still in place (a list removes the range that ends there): content first.
            for index in self.meta.top_parts:
                self._child(index).clear()
            self.renderer.emit(op.REMOVE, self.base)
        self.release()

    def release(self) -> None:
        """Free what the parts hold (handlers, components, effects) and the node ids. The nodes
        are leaving the document, so their listeners need no UNLISTEN."""
        renderer = self.renderer
        renderer.leaving += 1
        try:
            for part in self.parts:
                part.release()
        finally:
            renderer.leaving -= 1
        renderer.drop(self.base, len(self.meta.parsed.parts) + 1)


def _first_slot(meta: TemplateMeta, part_index: int) -> int | None:
    """The first slot the part at part_index reads, for locating its error."""
    return next((s for s, owner in enumerate(meta.slot_parts) if owner == part_index), None)
