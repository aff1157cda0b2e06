"""Transitions: content that enters and leaves with CSS classes, and list rows that slide to
their new places, in Vue's <Transition> and <TransitionGroup> model.

`transition(name, value)` wraps what a child slot shows: a template, a component or None (one
element that comes and goes), or a list (keyed rows, each() rows). The renderer says what to play
with three ops and the backend plays it (protocol.json's ENTER, LEAVE, FLIP and its
`transitions` table): the browser's applier times the CSS classes and removes a leaving element
when its transition ends, so a flush is still one batched call. The Python side forgets a leaving
element at once, as if it were removed; only the backend keeps it until its leave ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.template.content import Content, Mountable
from framework.template.instance import TemplateInstance, same_template
from framework.template.keyed import ListContent, _Rows
from framework.template.located import locate

if TYPE_CHECKING:
    from framework.template.renderer import Renderer

CLASS_NAME = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Transition:
    """What transition() returns: the content and how it enters and leaves."""

    name: str
    content: Any
    duration: float | None = None  # milliseconds; None: the elements' own CSS time
    appear: bool = False  # the first render enters too


def transition(
    name: str, content: Any, *, duration: float | None = None, appear: bool = False
) -> Transition:
    """`content` enters and leaves with the CSS classes `name-enter-from`, `name-enter-active`,
    `name-enter-to` (and `leave` likewise); a list's reordered rows slide with `name-move`:

        {transition("fade", t"<p>Saved</p>" if saved else None)}
        {transition("row", each(todos, render_todo, key=lambda todo: todo.id))}

    A leaving element stays until its CSS transition or animation ends (or after `duration`
    milliseconds, when given). The first render does not play unless `appear=True`. A page that
    prefers reduced motion plays nothing: elements come and go at once.
    """
    if not isinstance(name, str) or not CLASS_NAME.fullmatch(name):
        raise ValueError(
            f"transition({name!r}, ...): the name prefixes CSS classes ({name}-enter-from...), "
            "so it must be a class name such as 'fade' or 'list-row'"
        )
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0
    ):
        raise ValueError(
            f"transition({name!r}, ..., duration={duration!r}): give milliseconds as a number "
            "of 0 or more, or leave it out to use the elements' CSS transition time"
        )
    return Transition(name, content, duration, appear)


def is_list(value: Any) -> bool:
    """A list slot's value (keyed rows, each()), not one item: a template is iterable too."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict, Template))


def enter(renderer: Renderer, content: Content, spec: Transition) -> None:
    node = content.first()
    if node is not None:
        renderer.emit(op.ENTER, node, spec.name, spec.duration)


def leave(renderer: Renderer, content: Content, anchor: int, spec: Transition) -> None:
    """Remove content as always, its elements first told to leave: the backend keeps them
    until their leave ends (the REMOVE that follows does not take them)."""
    node = content.first()
    if node is not None:
        renderer.emit(op.LEAVE, node, anchor, spec.name, spec.duration)
    content.remove()


class TransitionSlot(Content):
    """A child slot's one template or component, entering when it comes and leaving when it
    goes or another takes its place (both play at once, as Vue's default mode)."""

    __slots__ = ("anchor", "inner", "left", "renderer", "shown")

    def __init__(self, renderer: Renderer, anchor: int) -> None:
        self.renderer, self.anchor = renderer, anchor
        self.inner: Content | None = None
        self.shown = False  # a value was shown: the next ones enter (the first only with appear)
        self.left = False  # something left: the backend may still hold it when this goes

    def show(self, spec: Transition) -> None:
        value, inner = spec.content, self.inner
        if inner is not None and _update(inner, value):
            return
        fresh = _create(self.renderer, value)  # before the old leaves: a mistake changes nothing
        if inner is not None:
            leave(self.renderer, inner, self.anchor, spec)
            self.left = True
        if fresh is not None:
            fresh.move_before(self.anchor)
            if self.shown or spec.appear:
                enter(self.renderer, fresh, spec)
        self.inner, self.shown = fresh, True

    def first(self) -> int | None:
        return self.inner.first() if self.inner is not None else None

    def move_before(self, ref: int) -> None:
        if self.inner is not None:
            self.inner.move_before(ref)

    def remove(self) -> None:
        """Torn down (not a change of value): what is still leaving goes at once too."""
        if self.left:
            self.renderer.emit(op.END_LEAVES, self.anchor)
        if self.inner is not None:
            self.inner.remove()
            self.inner = None


def _update(inner: Content, value: Any) -> bool:
    """Give the shown content its new value when it can take it (same template or component)."""
    if type(value) is Template:
        if not (isinstance(inner, TemplateInstance) and same_template(inner, value)):
            return False
        try:
            inner.update(value.values)
        except Exception as error:  # the user's mistake, shown at the slot in their source
            locate(error, value)
            raise
        return True
    if isinstance(value, Mountable) and value.same_kind(inner):
        value.update_host(inner)
        return True
    return False


def _create(renderer: Renderer, value: Any) -> Content | None:
    if value is None or value is False:
        return None
    if type(value) is Template:
        return renderer.instantiate(value)
    if isinstance(value, Mountable):
        return value.create_host(renderer)
    raise TypeError(
        f"transition() cannot animate a {type(value).__name__}: give it a template (t'...'), a "
        "component, a list of those (keyed rows, each()) or None"
    )


class TransitionList(ListContent):
    """A keyed list whose new rows enter, removed rows leave and moved rows slide (FLIP)."""

    __slots__ = ("appeared", "left", "spec")

    def __init__(self, renderer: Renderer, end: int, spec: Transition) -> None:
        super().__init__(renderer, end)
        self.spec = spec
        self.appeared = spec.appear  # rows created now enter: after the first render, always
        self.left = False

    def reconcile(self, values: Iterable[Any]) -> None:
        super().reconcile(values)
        self.appeared = True

    def _keep_end(self, new: _Rows, start: int) -> tuple[int, int]:
        """The kept ends are known: if anything between them changes, the backend notes where
        the rows are before it does, to slide those that moved."""
        old_end, new_end = super()._keep_end(new, start)
        if start < old_end or start < new_end:
            first = self.first()
            if first is not None:
                self.renderer.emit(op.FLIP, first, self.end, self.spec.name)
        return old_end, new_end

    def _create(self, new: _Rows, index: int, ref: int) -> Content:
        item = super()._create(new, index, ref)
        if self.appeared:
            enter(self.renderer, item, self.spec)
        return item

    def _remove_items(self, dropped: list[Content], whole: bool) -> None:
        """Every removed row leaves on its own, even when all go (no one-op clear here)."""
        for item in dropped:
            leave(self.renderer, item, self.end, self.spec)
        self.left = self.left or bool(dropped)

    def remove(self) -> None:
        """Torn down: the rows go at once, and those still leaving with them."""
        if self.left:
            self.renderer.emit(op.END_LEAVES, self.end)
        super().remove()
