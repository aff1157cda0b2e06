"""Two-way binding: `bind:value={signal}`, `bind:checked={signal}`, `bind:group={signal}`.

The signal's value is pushed to the element's property by an effect, and the element's input
or change event writes the new value back, read as the control's type gives it: a number
(`int` for a whole number, else `float`; `None` when empty) from `type=number` and `type=range`,
a `list[str]` from a `<select multiple>`, a `str` from anything else.

A select's options may come after its value (from a slot, a list, a component): the backend
keeps the value a select was given and shows it again when its options change (protocol.json's
`select_value`), so a select always shows its bound value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.reactive import Signal
from framework.template.part import Part, detached_effect

if TYPE_CHECKING:
    from framework.template.renderer import Renderer
    from framework.template.specs import AttrSpec

_NUMBER_TYPES = frozenset({"number", "range"})
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_NOTHING = object()  # no value came from the element since the last push


def number_from(text: str) -> int | float | None:
    """A number input's value as Python reads it: `int` for a whole number, `float` otherwise,
    `None` for an empty field (the browser also gives "" for text that is not a number)."""
    if _WHOLE_NUMBER.fullmatch(text):
        return int(text)
    try:
        return float(text) if text else None
    except ValueError:
        return None


def value_of(target: Any) -> Any:
    """What `bind:value` reads from the element an input or change event came from."""
    kind = getattr(target, "type", "")
    if kind == "select-multiple":
        return [str(option.value) for option in target.selectedOptions]
    text = str(target.value)
    return number_from(text) if kind in _NUMBER_TYPES else text


def bound_event(tag: str, name: str) -> str:
    """The event that writes a binding back: `input` for typed text, else `change`."""
    return "input" if name == "value" and tag in ("input", "textarea") else "change"


def _shown(value: Any) -> Any:
    """The value as a select multiple takes it: a list of strings, from any collection."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(item) for item in value]
    return value


class BindPart(Part):
    """Two-way binding: `bind:value={signal}`, `bind:checked={signal}`, `bind:group={signal}`.

    Its element routes `bound_event` events (the template's plan says so); the instance hands
    each to `on_event`."""

    __slots__ = ("cleanup", "from_element", "name", "own_value", "signal", "tag")

    def __init__(
        self, renderer: Renderer, node: int, tag: str, spec: AttrSpec, own_value: str | None
    ) -> None:
        super().__init__(renderer, node, spec.slots)
        self.tag, self.name, self.own_value = tag, spec.name, own_value
        if spec.name == "group" and own_value is None:
            raise ValueError('bind:group needs a static value="..." on the same element')
        self.signal: Signal[Any] | None = None
        self.cleanup: Callable[[], None] | None = None
        # The value a text field's own event just wrote: the field already shows it as typed,
        # so it is not pushed back (a number field would turn "1." into "1" under the caret).
        self.from_element: Any = _NOTHING
        if self.name not in ("value", "checked", "group"):
            raise ValueError(f"bind:{self.name} is not supported: use value, checked or group")

    def commit(self, value: Any) -> None:
        if not isinstance(value, Signal):
            raise TypeError(f"bind:{self.name} takes a Signal, got {type(value).__name__}")
        self.release()
        self.signal = signal = value

        def push() -> None:
            current = signal.value
            echo, self.from_element = self.from_element, _NOTHING
            if current is echo:
                return
            if self.name == "group":
                self.renderer.emit(op.PROP, self.node, "checked", current == self.own_value)
            elif self.tag == "select":
                self.renderer.emit(op.PROP, self.node, self.name, _shown(current))
            else:
                self.renderer.emit(op.PROP, self.node, self.name, current)

        self.cleanup = detached_effect(push)

    def on_event(self, event: Any) -> None:
        """The element's input or change event: write what it holds now back to the signal."""
        signal = self.signal
        if signal is None:
            return
        target = event.target
        if self.name == "value":
            read = value_of(target)
            if bound_event(self.tag, self.name) == "input":
                self.from_element = read
            signal.value = read
        elif self.name == "checked":
            signal.value = bool(target.checked)
        elif target.checked:
            signal.value = target.value

    def release(self) -> None:
        if self.cleanup is not None:
            self.cleanup()
            self.cleanup = None
        self.signal = None
        self.from_element = _NOTHING
