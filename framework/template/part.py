"""A part: the code behind one dynamic place of a template instance.

Each marked node of a clone gets one part per dynamic thing it carries (an attribute, an event,
a binding, a child slot). On every render the instance hands the new values to the parts whose
slots changed; a part reads its own slots and emits operations only when its value changed.
The part classes live in their own modules (attributes, events, binding, ref, child); this one
holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from framework.reactive import Computed, Effect, Signal, run_with_owner

if TYPE_CHECKING:
    from framework.template.renderer import Renderer


class _Unset:
    __slots__ = ()


UNSET: Any = _Unset()  # a part that has not taken a value yet


# The same object again means "unchanged" only for these: a list or dict may have changed in
# place. A Signal or Computed is followed by the part itself, so the same one is unchanged too.
IMMUTABLE = (str, int, float, bool, tuple, Signal, Computed)
IMMUTABLE_TYPES = frozenset({type(None), *IMMUTABLE})
REACTIVE = (Signal, Computed)


# A part reads its slots' values by slot number: from the template's values, or from one
# {slot: value} when a watched Signal changed (attributes.py).
Values = tuple[Any, ...] | dict[int, Any]


def immutable(value: object) -> bool:
    return type(value) in IMMUTABLE_TYPES or isinstance(value, IMMUTABLE)


class Part:
    __slots__ = ("node", "renderer", "slots", "value")

    # Whether release() does nothing the app can see (no component unmounts, no Ref let go):
    # rows whose parts are all such may be released after the frame (Renderer.release_later).
    QUIET_RELEASE: ClassVar[bool] = False

    def __init__(self, renderer: Renderer, node: int, slots: tuple[int, ...]) -> None:
        self.renderer, self.node, self.slots = renderer, node, slots
        self.value: Any = UNSET

    def update(self, values: tuple[Any, ...]) -> None:
        self.take(values[self.slots[0]])

    def take(self, value: Any) -> None:
        """The slot's new value: committed unless it is the same immutable value."""
        if value is self.value and immutable(value):
            return
        self.commit(value)
        self.value = value

    def commit(self, value: Any) -> None:
        raise NotImplementedError

    def release(self) -> None:
        """Let go of handlers and effects; the nodes are removed by the owner."""

    @classmethod
    def release_all(cls, parts: list[Part]) -> None:
        """release() of every part in `parts`, all of this class (the rows of a cleared list);
        a class whose parts can be released without a call each overrides it."""
        for part in parts:
            part.release()


def detached_effect(fn: Callable[[], None]) -> Callable[[], None]:
    """An effect owned by no render (it lives until its part lets go); returns its disposer.
    A root effect, not an effect in a new scope: one object per binding in a long list."""
    return run_with_owner(None, Effect, fn).dispose
