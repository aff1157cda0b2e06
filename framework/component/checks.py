"""What a component's render() may return, and how a component's failure is keyed for reporting.

render() returns a t-string (or a component call). An f-string is the common slip: its markup
would show as text, so a str is refused with the fix, at the user's `return` line.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import traceback
from collections.abc import Callable
from string.templatelib import Template
from typing import Any

from framework.errors import report_once
from framework.template.content import Mountable
from framework.template.safety import DangerousHTML
from framework.template.source import Spot


class RenderResultError(TypeError):
    """render() returned something that is not a template: says what to return instead."""


def check_rendered(component: type, render: Callable[..., Any], result: object) -> None:
    """Raise RenderResultError unless result is a template, a component call or trusted
    markup (dangerous_html)."""
    if isinstance(result, (Template, Mountable, DangerousHTML)):
        return
    name = f"{component.__name__}.render()"
    if isinstance(result, str):
        message = (
            f'{name} returned a str, not a template: write t"..." (a t-string), not f"..." or '
            '"...". A str is never parsed as HTML: its markup would show as text.'
        )
        spot = _return_spot(render, (ast.JoinedStr, ast.Constant, ast.BinOp))
    elif result is None:
        message = (
            f'{name} returned None: a render returns a template, t"<p>...</p>" (did it miss '
            'a `return`?). To show nothing, return t"".'
        )
        spot = _return_spot(render, ())
    else:
        message = (
            f'{name} returned a {type(result).__name__}: return a template, t"...", with '
            'the value in a slot (t"<ul>{items}</ul>" for a list).'
        )
        spot = _return_spot(render, (ast.expr,))
    error = RenderResultError(message)
    if spot is not None:
        error.add_note(f"at {spot.excerpt()}")
    report_once(error, ("RenderResultError", message, spot.where if spot else ""))
    raise error


def _return_spot(render: Callable[..., Any], kinds: tuple[type, ...]) -> Spot | None:
    """The first `return` of render whose value is one of kinds (the def line if none)."""
    function = getattr(render, "__func__", render)
    try:
        lines, first = inspect.getsourcelines(function)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except OSError, TypeError, SyntaxError:
        code = getattr(function, "__code__", None)
        return Spot(code.co_filename, code.co_firstlineno, 0, 0) if code else None
    indent = len(lines[0]) - len(lines[0].lstrip())
    filename = function.__code__.co_filename
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Return) else None
        if value is not None and kinds and isinstance(value, kinds):
            end = (value.end_col_offset or 0) + indent if value.end_lineno == value.lineno else 0
            line = first + value.lineno - 1
            return Spot(filename, line, value.col_offset + indent, end)
    return Spot(filename, first, indent, 0)


def mark_failure(error: BaseException, component: type) -> None:
    """Key a component's failure by where it was raised, so the same failure in 200 rows of a
    list is reported once. A mistake already shown at the user's line (a template's, a render
    result's) loses its traceback: it would only list the framework's own frames."""
    if getattr(error, "_framework_located", False) or isinstance(error, RenderResultError):
        error.__traceback__ = None
    frames = traceback.extract_tb(error.__traceback__)
    origin = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    report_once(error, (type(error).__name__, str(error), origin, component.__name__))
