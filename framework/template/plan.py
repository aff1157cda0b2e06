"""The part plan: how to stamp out an instance of one template, decided once per template.

For each marked node of the parsed template: which part classes to construct and with which
arguments (names are checked here, so a bad template fails when it is first rendered). Also,
per slot, which part reads it and whether the same object there means "unchanged" (see
TemplateMeta).

Most places of a row hold plain values: a text, an attribute, a handler. Those need no part
object at all (kinds TEXT, ATTR, CLASS and EVENT): the instance writes their first values into
its CLONE (`fills`), later values with one op, and finds a handler in its values when the event
comes (`handlers`; the template's elements route their events themselves, `listens`). A part is
made for the rest (PART), and for a light place the moment it takes a value a part is needed
for (a Signal, a nested template, a list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from framework.template import safety
from framework.template.attributes import AttrPart, BoolPart, ClassPart, PropPart, StylePart
from framework.template.binding import BindPart, bound_event
from framework.template.child import ChildPart
from framework.template.events import EventPart, check_modifiers, event_arguments
from framework.template.kinds import ATTR, CLASS, EVENT, PART, TEXT
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
    kinds: tuple[int, ...]  # per plan entry: TEXT, ATTR, CLASS, EVENT or PART
    first_slots: tuple[int, ...]  # per plan entry: the (first) slot it reads
    fill_of: tuple[int, ...]  # per plan entry: its index in a CLONE's values, or -1
    fills: tuple[tuple[int, str], ...]  # per CLONE value: (part, attribute; "" for text)
    listens: tuple[tuple[int, str], ...]  # (part, event type) the clone's elements route
    # (node offset, event type) -> the plan entries to run, in document order: EVENT entries
    # call the handler in their slot, PART entries (a binding) their part's on_event.
    handlers: dict[tuple[int, str], tuple[int, ...]]
    event_offsets: tuple[int, ...]  # the node offsets that route events, each once
    node_count: int  # the part nodes: ids base+1 .. base+node_count


def plan_template(tid: int, strings: tuple[str, ...], parsed: ParsedTemplate) -> TemplateMeta:
    """Everything an instance of this template needs, worked out once."""
    plan, owners, stable = _part_plan(parsed, strings)
    top_parts, leading = _top_level_slots(parsed)
    kinds = tuple(_kind(cls, args) for cls, _, args in plan)
    firsts = tuple(owners.index(index) for index in range(len(plan)))
    fill_of, fills = _fills(plan, kinds)
    handlers = _handlers(plan, kinds)
    listens = tuple((offset - 1, event_type) for offset, event_type in handlers)
    offsets = tuple(dict.fromkeys(offset for offset, _ in handlers))
    return TemplateMeta(
        tid, strings, parsed, bool(parsed.html), plan, top_parts, leading, owners, stable,
        kinds, firsts, fill_of, fills, listens, handlers, offsets, len(parsed.parts),
    )  # fmt: skip


def _kind(cls: type[Part], args: tuple[Any, ...]) -> int:
    """How an instance handles a plan entry: without a part where its values allow."""
    if cls is ChildPart:
        return TEXT
    if cls is EventPart:
        return EVENT
    if cls in (AttrPart, ClassPart):
        _, spec, absent = args
        if absent and len(spec.slots) == 1 and not any(spec.strings):
            return CLASS if cls is ClassPart else ATTR
    return PART


def _fills(
    plan: PartPlan, kinds: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
    """Where each light entry's first value goes in a CLONE, and what the backend does with
    it: the text of the part's anchor ("") or the attribute it names."""
    fill_of: list[int] = []
    fills: list[tuple[int, str]] = []
    for (_, offset, args), kind in zip(plan, kinds, strict=True):
        if kind in (TEXT, ATTR, CLASS):
            fill_of.append(len(fills))
            fills.append((offset - 1, "" if kind == TEXT else args[1].name))
        else:
            fill_of.append(-1)
    return tuple(fill_of), tuple(fills)


def _handlers(plan: PartPlan, kinds: tuple[int, ...]) -> dict[tuple[int, str], tuple[int, ...]]:
    """For each element and event type, the plan entries that take that event, in order."""
    found: dict[tuple[int, str], list[int]] = {}
    for index, ((cls, offset, args), kind) in enumerate(zip(plan, kinds, strict=True)):
        if kind == EVENT:
            event_type = args[0].name
        elif cls is BindPart:
            event_type = bound_event(args[0], args[1].name)
        else:
            continue
        found.setdefault((offset, event_type), []).append(index)
    return {key: tuple(indexes) for key, indexes in found.items()}


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
    "event": (EventPart, lambda element, spec: event_arguments(spec)),
    "prop": (PropPart, lambda element, spec: (spec,)),
    "bool": (BoolPart, lambda element, spec: (spec, _absent(element, spec))),
    "bind": (BindPart, lambda element, spec: (element.tag, spec, element.static_value("value"))),
    "class": (ClassPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
    "attr": (AttrPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
}
