"""Refs: `ref={r}` fills a Ref with the DOM node of its element."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from framework.template.part import Part

if TYPE_CHECKING:
    from framework.template.renderer import Renderer


class Ref:
    """Filled with the DOM node of `ref={r}` once it is in the document."""

    __slots__ = ("_id", "_renderer")

    def __init__(self) -> None:
        self._renderer: Renderer | None = None
        self._id = 0

    @property
    def current(self) -> Any:
        if self._renderer is None:
            return None
        self._renderer.commit()
        return self._renderer.backend.node(self._id)


class RefPart(Part):
    __slots__ = ()

    def commit(self, value: Any) -> None:
        if not isinstance(value, Ref):
            raise TypeError(f"ref= takes a Ref(), got {type(value).__name__}")
        value._renderer, value._id = self.renderer, self.node

    def release(self) -> None:
        if isinstance(self.value, Ref):
            self.value._renderer = None
