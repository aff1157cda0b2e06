"""Two-way binding: `bind:value={signal}`, `bind:checked={signal}`, `bind:group={signal}`.

The signal's value is pushed to the element's property by an effect, and the element's input
or change event writes the new value back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.reactive import Signal
from framework.template.part import Part, detached_effect

if TYPE_CHECKING:
    from framework.template.events import Handler
    from framework.template.renderer import Renderer
    from framework.template.specs import AttrSpec


class BindPart(Part):
    """Two-way binding: `bind:value={signal}`, `bind:checked={signal}`, `bind:group={signal}`."""

    __slots__ = ("cleanup", "handler", "name", "own_value", "tag")

    def __init__(
        self, renderer: Renderer, node: int, tag: str, spec: AttrSpec, own_value: str | None
    ) -> None:
        super().__init__(renderer, node, spec.slots)
        self.tag, self.name, self.own_value = tag, spec.name, own_value
        if spec.name == "group" and own_value is None:
            raise ValueError('bind:group needs a static value="..." on the same element')
        self.handler: Handler | None = None
        self.cleanup: Callable[[], None] | None = None
        if self.name not in ("value", "checked", "group"):
            raise ValueError(f"bind:{self.name} is not supported: use value, checked or group")

    def commit(self, value: Any) -> None:
        if not isinstance(value, Signal):
            raise TypeError(f"bind:{self.name} takes a Signal, got {type(value).__name__}")
        self.release()
        signal = value
        event = "input" if self.name == "value" and self.tag in ("input", "textarea") else "change"

        def write_back(event_object: Any) -> None:
            target = event_object.target
            if self.name == "value":
                signal.value = target.value
            elif self.name == "checked":
                signal.value = bool(target.checked)
            elif target.checked:
                signal.value = target.value

        def push() -> None:
            current = signal.value
            if self.name == "group":
                self.renderer.emit(op.PROP, self.node, "checked", current == self.own_value)
            else:
                self.renderer.emit(op.PROP, self.node, self.name, current)

        self.handler = self.renderer.events.listen(self.node, event, write_back, ())
        self.cleanup = detached_effect(push)

    def release(self) -> None:
        if self.cleanup is not None:
            self.cleanup()
            self.cleanup = None
        if self.handler is not None:
            self.renderer.events.unlisten(self.handler)
            self.handler = None
