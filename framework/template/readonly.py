"""Render is read-only: while a component renders, writing a Signal or a Store, emitting an
event to the parent or navigating is an error, and nothing of it is applied.

The classic way in is a handler called instead of passed: `onclick={self.remove()}` runs
`remove` while the row renders, and if it writes the app's data the data is gone. The guard
is on only while user code builds a template (a component's render(), a row of each()); a
Signal write checks it through reactive's write guard, before anything changes.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Callable
from typing import Any

from framework.errors import report_once
from framework.reactive import Signal, set_write_guard
from framework.template.source import Spot, frame_spot, user_frames


class RenderWriteError(RuntimeError):
    """State was changed while rendering: names the component, the write and the likely fix."""


# What is rendering now: the component's name and the code of the function building the
# template (render, or an each() row function); None when nothing is.
_rendering: tuple[str, types.CodeType | None] | None = None
# The component whose render (and whose slots) is under way: names each() rows in errors and
# tells the template locator where to look first. Set by the component layer.
component_name = "a component"
component_class: type | None = None


def rendering[T](name: str, fn: Callable[..., T], *args: Any) -> T:
    """Call fn(*args) (user code building a template) with state changes refused."""
    global _rendering  # noqa: PLW0603 - one render runs at a time
    outer = _rendering
    _rendering = (name, getattr(getattr(fn, "__func__", fn), "__code__", None))
    previous = set_write_guard(_refuse_write)
    try:
        return fn(*args)
    finally:
        _rendering = outer
        set_write_guard(previous)


def refuse_during_render(action: str) -> None:
    """Raise RenderWriteError if a render is running; `action` says what was attempted
    ("emit 'removed' to its parent", "navigate to '/done'")."""
    if _rendering is not None:
        raise _error(action, sys._getframe(1))


def _refuse_write(signal: Signal[Any]) -> None:
    if _rendering is not None:
        raise _error(f"write {_describe(signal)}", sys._getframe(1))


def _describe(signal: Signal[Any]) -> str:
    name = getattr(signal, "_name", None)
    return name if name else "a Signal"


# `onclick={self.remove()}` or `onclick={self.remove(item)}` in a line of source.
_CALLED_HANDLER = re.compile(r"\b(on[\w:.\-]*)\s*=\s*\{\s*([^{}()]+)\(([^{}]*)\)\s*\}")


def _error(action: str, frame: types.FrameType | None) -> RenderWriteError:
    assert _rendering is not None
    name, render_code = _rendering
    frames = user_frames(frame)
    lines = [f"{name} tried to {action} while rendering: render is read-only, nothing was changed."]
    write = frame_spot(frames[0]) if frames else None
    call = _call_site(frames, render_code)
    if call is not None and call != write:
        lines.append(f"  the render: {call.excerpt()}")
    if write is not None:
        lines.append(f"  the change: {write.excerpt()}")
    lines.append(called_handler_hint(call.source_line() if call is not None else ""))
    error = RenderWriteError("\n".join(lines))
    report_once(error, ("RenderWriteError", lines[0], write.where if write else ""))
    return error


def _call_site(frames: list[types.FrameType], render_code: types.CodeType | None) -> Spot | None:
    """The line of the template that called what wrote: the frame of the user function that
    called the writing one (innermost but one), else the render's own frame."""
    for frame in frames:
        if frame.f_code is render_code:
            return frame_spot(frame)
    return frame_spot(frames[1]) if len(frames) > 1 else None


def called_handler_hint(line: str) -> str:
    """The fix for a handler called in an event slot, with the user's own names if the line
    shows one; otherwise where state may change."""
    match = _CALLED_HANDLER.search(line)
    if match is None:
        return (
            "Likely cause: a function called while rendering that changes state. Change state "
            "in an event handler, an effect or setup(); an event slot takes the function itself: "
            "onclick={self.remove}, not onclick={self.remove()}."
        )
    event, function, arguments = match.group(1), match.group(2).strip(), match.group(3).strip()
    fix = f"{event}={{{function}}}"
    if arguments and ("=" in arguments or "*" in arguments):  # keywords: only a lambda says it
        fix = f"{event}={{(lambda: {function}({arguments}))}}"  # a bare lambda: is a format spec
    elif arguments:  # a tuple binds the arguments with no closure (events.py)
        fix = f"{event}={{({function}, {arguments})}}"
    return (
        f"You called the handler: write {fix}, not {event}={{{function}({arguments})}} "
        "(the slot takes the function; the event calls it)."
    )
