"""What the parser makes of a template: its HTML with markers, and one spec per dynamic place.

Specs are listed in document order, the order in which the backend meets the markers in a
clone, so the n-th spec describes the n-th marked node. The part plan (plan.py) turns them into
the classes and arguments that stamp out an instance's parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttrKind = Literal["attr", "bool", "prop", "event", "ref", "bind", "class", "style"]


@dataclass(frozen=True, slots=True)
class ChildSpec:
    """A slot between tags: text, a nested template, a component, a list, or nothing."""

    slot: int
    top: bool = False  # at the template's top level, not inside one of its elements
    parent: str = ""  # the tag of the element around it ("" at the top level)


@dataclass(frozen=True, slots=True)
class AttrSpec:
    """An attribute with slots: `name={v}` or `name="a {v} b"` (strings interleave slots)."""

    name: str
    kind: AttrKind
    strings: tuple[str, ...]
    slots: tuple[int, ...]
    modifiers: tuple[str, ...] = ()
    expression: str = field(default="", compare=False)  # the first slot's source, for errors


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """An element carrying the marker; its attribute parts follow it."""

    tag: str
    attrs: tuple[AttrSpec, ...]
    static: tuple[tuple[str, str], ...] = ()

    def static_value(self, name: str) -> str | None:
        return next((value for key, value in self.static if key == name), None)


PartSpec = ChildSpec | ElementSpec


@dataclass(slots=True)
class ParsedTemplate:
    html: str
    parts: list[PartSpec] = field(default_factory=list)
    slot_count: int = 0
