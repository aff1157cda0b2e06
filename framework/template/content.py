"""What a child slot (or an item of a list) can hold, and the interface of a value that mounts
itself there (a component call).

Content is nodes owned by a slot: it knows its first node, how to move before another node and
how to remove itself. The kinds are a template instance (instance.py), a keyed list (keyed.py),
a text node or raw HTML of a list item (here), and whatever a Mountable creates: the component
layer's host. The template layer knows components only through `Mountable`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from framework.dom import ops as op

if TYPE_CHECKING:
    from framework.template import safety
    from framework.template.renderer import Renderer


class Content:
    """Nodes owned by a slot: knows its first node, how to move and how to remove itself."""

    def first(self) -> int | None:
        raise NotImplementedError

    def move_before(self, ref: int) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError


class Mountable:
    """A child value that mounts itself (a component call): it creates its own content, tells
    whether content it created can take it instead, and updates that content.

    A base class, not a typing.Protocol: slots and list items test `isinstance(value,
    Mountable)` for every value they take, and a nominal check is a type lookup, not a scan of
    methods."""

    key: Any = None  # in a list: the item's key (None: its position)

    def create_host(self, renderer: Renderer) -> Content:
        raise NotImplementedError

    def same_kind(self, host: Content) -> bool:
        raise NotImplementedError

    def update_host(self, host: Content) -> None:
        raise NotImplementedError


class SingleNode(Content):
    """Content that is one node id (a text node, or the group of nodes of raw HTML)."""

    __slots__ = ("id", "renderer")

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.id = renderer.alloc(1)

    def first(self) -> int:
        return self.id

    def move_before(self, ref: int) -> None:
        self.renderer.emit(op.INSERT, self.id, ref)

    def remove(self) -> None:
        self.renderer.emit(op.REMOVE, self.id)
        self.renderer.drop(self.id, 1)


class TextItem(SingleNode):
    """A string or number inside a list: a text node of its own."""

    __slots__ = ("text",)

    def __init__(self, renderer: Renderer, text: str) -> None:
        super().__init__(renderer)
        self.text = text
        renderer.emit(op.CREATE_TEXT, self.id, text)

    def set(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.renderer.emit(op.TEXT, self.id, text)


class RawItem(SingleNode):
    """dangerous_html() markup, parsed and sanitised by the backend."""

    __slots__ = ()

    def __init__(self, renderer: Renderer, value: safety.DangerousHTML) -> None:
        super().__init__(renderer)
        renderer.emit(op.RAW_HTML, self.id, value.html)
