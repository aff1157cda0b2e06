"""The part plan: how to stamp out an instance of one template, decided once per template.

For each marked node of the parsed template: which part classes to construct and with which
arguments (names are checked here, so a bad template fails when it is first rendered, and
stamping out a row is one constructor call per part). Also, per slot, which part reads it and
whether the same object there means "unchanged" (see TemplateMeta).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from framework.template import safety
from framework.template.attributes import AttrPart, BoolPart, ClassPart, PropPart, StylePart
from framework.template.binding import BindPart
from framework.template.child import ChildPart
from framework.template.events import EventPart, check_modifiers
from framework.template.located import mark_slot
from framework.template.parser import CHILD_MARKER
from framework.template.part import Part
from framework.template.ref import RefPart
from framework.template.specs import AttrSpec, ChildSpec, ElementSpec, ParsedTemplate

PartPlan = tuple[tuple[type[Part], int, tuple[Any, ...]], ...]


@dataclass(frozen=True, slots=True)
class TemplateMeta:
    """A template as the renderer knows it: defined once in the backend under `tid`."""

    tid: int
    strings: tuple[str, ...]
    parsed: ParsedTemplate
    has_roots: bool
    plan: PartPlan  # how to build each part: (class, node offset, arguments), checked once
    # Child slots at the top level, as indexes into the instance's parts: their content sits
    # beside the instance's own top-level nodes, not inside them, so it moves with them here.
    top_parts: tuple[int, ...]
    leading: int | None  # the top-level slot that comes first, before any node
    # For each slot: the index of the part that reads it, and whether the same object there
    # means "unchanged" whatever its type (a handler, a ref, a bound signal). Elsewhere only an
    # immutable value can be skipped by identity: a list or dict may have changed in place.
    slot_parts: tuple[int, ...]
    stable_slots: tuple[bool, ...]


def plan_template(tid: int, strings: tuple[str, ...], parsed: ParsedTemplate) -> TemplateMeta:
    """Everything an instance of this template needs, worked out once."""
    plan, owners, stable = _part_plan(parsed, strings)
    top_parts, leading = _top_level_slots(parsed)
    return TemplateMeta(
        tid, strings, parsed, bool(parsed.html), plan, top_parts, leading, owners, stable
    )


_STABLE_KINDS = frozenset({"event", "ref", "bind"})


def _part_plan(
    parsed: ParsedTemplate, strings: tuple[str, ...]
) -> tuple[PartPlan, tuple[int, ...], tuple[bool, ...]]:
    """Each part's class and arguments, decided (and its names checked) once per template, so
    stamping out a row is one constructor call per part. Also, for each slot, the index of the
    part that reads it and whether identity alone shows it unchanged (see TemplateMeta)."""
    plan: list[tuple[type[Part], int, tuple[Any, ...]]] = []
    slot_count = len(strings) - 1
    owners = [-1] * slot_count
    stable = [False] * slot_count
    for offset, spec in enumerate(parsed.parts, start=1):
        if isinstance(spec, ChildSpec):
            owners[spec.slot] = len(plan)
            plan.append((ChildPart, offset, ((spec.slot,), spec.parent)))
            continue
        for attr in spec.attrs:
            for slot in attr.slots:
                owners[slot], stable[slot] = len(plan), attr.kind in _STABLE_KINDS
            try:
                cls, args = _attribute_plan(spec, attr)
            except Exception as error:  # a misspelt name: shown at its slot in the user's file
                mark_slot(error, attr.slots[0])
                raise
            plan.append((cls, offset, args))
    if -1 in owners:
        raise AssertionError(f"slot {owners.index(-1)} belongs to no part")  # a parser bug
    return tuple(plan), tuple(owners), tuple(stable)


def _attribute_plan(element: ElementSpec, spec: AttrSpec) -> tuple[type[Part], tuple[Any, ...]]:
    if spec.kind == "event":
        check_modifiers(spec)
    elif spec.kind == "prop":
        safety.check_property_name(spec.name)
    elif spec.kind in ("attr", "class", "bool"):
        safety.check_attribute_name(element.tag, spec.name)
    cls, arguments = _PART_KINDS.get(spec.kind, _PART_KINDS["attr"])
    return cls, arguments(element, spec)


def _top_level_slots(parsed: ParsedTemplate) -> tuple[tuple[int, ...], int | None]:
    """Indexes (in the part plan's order) of the child slots at the top level, and of the one
    whose anchor is the template's first node, if any."""
    top: list[int] = []
    index = 0
    for spec in parsed.parts:
        if isinstance(spec, ChildSpec):
            if spec.top:
                top.append(index)
            index += 1
        else:
            index += len(spec.attrs)
    leading = top[0] if top and top[0] == 0 and parsed.html.startswith(CHILD_MARKER) else None
    return tuple(top), leading


_Arguments = Callable[[ElementSpec, AttrSpec], tuple[Any, ...]]


def _absent(element: ElementSpec, spec: AttrSpec) -> bool:
    """Whether a fresh clone lacks the attribute: then a first value that removes it (None,
    False) sends no op, which spares every new row of a list an UNATTR for `class={None}`."""
    return element.static_value(spec.name) is None


_PART_KINDS: dict[str, tuple[type[Part], _Arguments]] = {
    "style": (StylePart, lambda element, spec: (spec.slots,)),
    "ref": (RefPart, lambda element, spec: (spec.slots,)),
    "event": (EventPart, lambda element, spec: (spec,)),
    "prop": (PropPart, lambda element, spec: (spec,)),
    "bool": (BoolPart, lambda element, spec: (spec, _absent(element, spec))),
    "bind": (BindPart, lambda element, spec: (element.tag, spec, element.static_value("value"))),
    "class": (ClassPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
    "attr": (AttrPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
}
