"""Child slots: the places between tags, holding text, a template, a component, a list, a
Signal, raw HTML or nothing.

ChildPart is the slot inside a template. HostSlot and RootSlot are child slots of their own,
outside any template: where a mounted component puts what it renders, and where mount() puts
the root.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.reactive import Computed, Signal, Watch
from framework.template import carry, safety, scoping
from framework.template.content import Content, Mountable, RawItem
from framework.template.instance import TemplateInstance, same_template
from framework.template.keyed import ListContent
from framework.template.located import locate
from framework.template.part import REACTIVE, Part, immutable
from framework.template.transition import Transition, TransitionList, TransitionSlot, is_list

if TYPE_CHECKING:
    from framework.template.renderer import Renderer


class ChildPart(Part):
    """A slot between tags. Its content sits just before `node`, an empty text node (anchor)
    that also carries plain text values, so a text slot costs no extra node."""

    __slots__ = ("content", "parent", "text", "watch")

    def __init__(
        self, renderer: Renderer, node: int, slots: tuple[int, ...], parent: str = ""
    ) -> None:
        super().__init__(renderer, node, slots)
        self.parent = parent  # the tag of the element around the slot; "" at the top level
        self.content: Content | None = None
        self.text = ""
        self.watch: Watch | None = None  # the Signal or Computed whose text the slot shows

    def set(self, value: Any) -> None:
        if type(value) is Template:  # a component's render: the common case, checked first
            self._set_template(value)
        elif value is self.value and immutable(value):
            return
        else:
            self.commit(value)
        self.value = value

    def commit(self, value: Any) -> None:
        if value is None or value is False or value is True:
            self.clear()
            self._set_text("")
        elif isinstance(value, str):
            self.clear()
            self._set_text(value)
        elif isinstance(value, (int, float)):
            self.clear()
            self._set_text(str(value))
        elif isinstance(value, Template):
            self._set_template(value)
        elif isinstance(value, Mountable):
            self._set_mountable(value)
        elif isinstance(value, REACTIVE):
            self._set_signal(value)
        elif isinstance(value, safety.DangerousHTML):
            self._replace(RawItem(self.renderer, value))
        elif isinstance(value, Transition):
            self._set_transition(value)
        elif isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
            self._set_list(value)
        else:
            raise TypeError(
                f"cannot render a {type(value).__name__} in a child slot: use str, a number, a "
                "template (t'...'), a component, a list of those, or None"
            )

    def _set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.renderer.emit(op.TEXT, self.node, text)

    def _set_template(self, template: Template) -> None:
        content = self.content
        if isinstance(content, TemplateInstance) and same_template(content, template):
            try:
                content.update(template.values)
            except Exception as error:  # the user's mistake, shown at the slot in their source
                locate(error, template)
                raise
            return
        # Built before the old content goes, so a mistake in it leaves the slot as it was.
        if carry.hot and isinstance(content, TemplateInstance):  # its components move over
            self._replace(carry.instantiate(self.renderer, template, content))
        else:
            self._replace(self.renderer.instantiate(template))

    def _set_mountable(self, value: Mountable) -> None:
        if isinstance(self.content, Content) and value.same_kind(self.content):
            value.update_host(self.content)
            return
        self._replace(self._placing(value.create_host, self.renderer))

    def _set_signal(self, signal: Signal[Any] | Computed[Any]) -> None:
        self.clear()
        self.watch = Watch(signal, lambda value: self._set_text(_text_of(value)))

    def _set_list(self, values: Iterable[Any]) -> None:
        if type(self.content) is not ListContent:  # nor a TransitionList: a list without one
            self._empty()
            self.content = ListContent(self.renderer, self.node)
        self._placing(self.content.reconcile, values)

    def _set_transition(self, value: Transition) -> None:
        """Content that enters and leaves with CSS classes (transition.py)."""
        content = self.content
        if is_list(value.content):
            if not isinstance(content, TransitionList):
                self._empty()
                content = self.content = TransitionList(self.renderer, self.node, value)
            content.spec = value
            self._placing(content.reconcile, value.content)
            return
        if not isinstance(content, TransitionSlot):
            self._empty()
            content = self.content = TransitionSlot(self.renderer, self.node)
        self._placing(content.show, value)

    def _placing[T](self, create: Callable[..., T], *args: Any) -> T:
        """create(*args) with this slot's element as where new content goes (a component that
        fails there shows a fallback that fits it: an <li> in a <ul>)."""
        if not self.parent:  # at a template's top level: where its own slot is, as set
            return create(*args)
        outer, scoping.parent_tag = scoping.parent_tag, self.parent
        try:
            return create(*args)
        finally:
            scoping.parent_tag = outer

    def _replace(self, content: Content) -> None:
        self._empty()
        content.move_before(self.node)
        self.content = content

    def _empty(self) -> None:
        """No content and no text: before other content comes."""
        self.clear()
        self._set_text("")

    def clear(self) -> None:
        """Empty the slot: its content is released and its nodes removed."""
        if self.watch is not None:
            self.watch.dispose()
            self.watch = None
            self._set_text("")
        if self.content is not None:
            self.content.remove()
            self.content = None

    # The Content protocol: a HostSlot is all a component host moves and removes.
    def first(self) -> int:
        if self.content is not None:
            found = self.content.first()
            if found is not None:
                return found
        return self.node

    def move_before(self, ref: int) -> None:
        if self.content is not None:
            self.content.move_before(ref)
        self.renderer.emit(op.INSERT, self.node, ref)

    def release(self) -> None:
        if self.watch is not None:
            self.watch.dispose()
            self.watch = None
        if self.content is not None:
            if isinstance(self.content, TemplateInstance):
                self.content.release()
            else:
                self.content.remove()
            self.content = None


def _text_of(value: Any) -> str:
    return "" if value is None or value is False else str(value)


class HostSlot(ChildPart):
    """A child slot with an empty text node of its own as anchor, outside any template: what a
    mounted component renders goes here. It is the component's content, so it moves and
    leaves as a whole."""

    __slots__ = ()

    def __init__(self, renderer: Renderer) -> None:
        anchor = renderer.alloc(1)
        renderer.emit(op.CREATE_TEXT, anchor, "")
        super().__init__(renderer, anchor, (0,))

    def remove(self) -> None:
        self.clear()
        self.renderer.emit(op.REMOVE, self.node)
        self.renderer.drop(self.node, 1)


class RootSlot(ChildPart):
    """The slot mount() renders into: an anchor appended to the element matching selector."""

    __slots__ = ("container",)

    def __init__(self, renderer: Renderer, selector: str) -> None:
        container = renderer.alloc(2)
        anchor = container + 1
        renderer.emit(op.MOUNT, container, anchor, selector)
        super().__init__(renderer, anchor, (0,))
        self.container = container

    def unmount(self) -> None:
        self.clear()
        self.renderer.emit(op.UNMOUNT, self.container, self.node)
