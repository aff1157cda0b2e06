"""Template errors at the user's line: an error raised while a template is parsed, planned or
filled gets the file, line and column of its slot, that source line with a caret, and is
marked to be reported once per template and error (framework.errors.report_once).

An error is located by the innermost template it passes through (a nested template's slot,
not the outer slot holding it); the outer ones leave it alone.
"""

from __future__ import annotations

import re
from string.templatelib import Template
from typing import Any

from framework.errors import report_once
from framework.template import readonly
from framework.template.source import Spot, locate_template

_LOCATED = "_framework_located"
_SLOT = "_framework_slot"


class EventSlotError(TypeError):
    """An event slot given something other than a function (None, a value)."""


def mark_slot(error: BaseException, slot: int | None) -> None:
    """Note which slot of the template being filled raised (the innermost one wins)."""
    if not getattr(error, _LOCATED, False) and not hasattr(error, _SLOT):
        setattr(error, _SLOT, slot)


def locate(error: BaseException, template: Template) -> None:
    """Add where in the user's source the slot marked by mark_slot() is (or the template, when
    none is), once: the innermost template an error passes through locates it."""
    if getattr(error, _LOCATED, False):
        return
    setattr(error, _LOCATED, True)
    slot = getattr(error, _SLOT, None)
    strings = template.strings
    expressions = tuple(interpolation.expression for interpolation in template.interpolations)
    hints: list[Any] = [readonly.component_class] if readonly.component_class else []
    source = locate_template(strings, expressions, hints)
    reason = getattr(error, "reason", None)  # a syntax error's message without its own caret
    if source is None:
        report_once(error, (type(error).__name__, str(error), strings, slot))
        return
    if isinstance(reason, str) and reason:
        error.args = (reason,)
    spot = _with_attribute_name(source.slot(slot))
    error.add_note(f"in a template of {source.function}(), at {spot.excerpt()}")
    if isinstance(error, EventSlotError):
        error.add_note(readonly.called_handler_hint(spot.source_line()))
    report_once(error, (type(error).__name__, str(error), spot.where))


_ATTRIBUTE = re.compile(r"([^\s\"'<>/=]+)\s*=\s*[\"']?$")


def _with_attribute_name(spot: Spot) -> Spot:
    """An attribute slot's span widened to start at the attribute's name (`onclik={...}`)."""
    match = _ATTRIBUTE.search(spot.source_line()[: spot.column])
    if match is None:
        return spot
    return Spot(spot.file, spot.line, match.start(1), spot.end_column)
