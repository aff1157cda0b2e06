"""Where a mistake is in the user's source: file, line and column, the line itself, a caret.

A t-string's interpolations carry no position, but the code that built it does: the template's
static strings are a constant of that code object (the same tuple every time the line runs),
and each `{...}` is a BUILD_INTERPOLATION instruction whose position is the slot's span. So a
template is located by finding the code object holding its strings and reading the positions
of its instructions. That search runs only when an error needs a location (once per
template), never on the happy path.
"""

from __future__ import annotations

import dis
import linecache
import os
import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_FRAMEWORK = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_LIBRARIES = (os.sep + "site-packages" + os.sep, os.sep + "lib" + os.sep + "python3")


@dataclass(frozen=True, slots=True)
class Spot:
    """A place in a source file: 1-based line, 0-based columns (as code positions are)."""

    file: str
    line: int
    column: int
    end_column: int  # on `line`: a span over several lines is drawn to the end of the first

    @property
    def where(self) -> str:
        """`file:line:col` (1-based column), the form editors and ruff use."""
        return f"{self.file}:{self.line}:{self.column + 1}"

    def source_line(self) -> str:
        return linecache.getline(self.file, self.line).rstrip("\n")

    def excerpt(self) -> str:
        """The line, and a caret under the span; only the location when the file is unknown."""
        text = self.source_line()
        if not text.strip():
            return self.where
        indent = len(text) - len(text.lstrip())
        end = self.end_column if self.end_column > self.column else len(text)
        caret = " " * (self.column - indent) + "^" * max(1, min(end, len(text)) - self.column)
        return f"{self.where}\n    {text.strip()}\n    {caret}"


def is_user_file(filename: str) -> bool:
    """Code of the app (or of a test), not of the framework, the standard library or a wheel."""
    if filename.startswith("<"):
        return False
    path = os.path.abspath(filename)
    return not path.startswith(_FRAMEWORK) and not any(part in path for part in _LIBRARIES)


def user_frames(start: types.FrameType | None) -> list[types.FrameType]:
    """The frames of user code from `start` outwards, innermost first."""
    frames = []
    frame = start
    while frame is not None:
        if is_user_file(frame.f_code.co_filename):
            frames.append(frame)
        frame = frame.f_back
    return frames


def frame_spot(frame: types.FrameType) -> Spot:
    """Where a frame is now: the span of the instruction it is running."""
    code, offset = frame.f_code, frame.f_lasti
    for instruction in dis.get_instructions(code):
        if instruction.offset == offset and instruction.positions is not None:
            position = instruction.positions
            if position.lineno is not None and position.col_offset is not None:
                same_line = position.end_lineno == position.lineno
                end = position.end_col_offset if same_line else None
                return Spot(code.co_filename, position.lineno, position.col_offset, end or 0)
    return Spot(code.co_filename, frame.f_lineno or code.co_firstlineno, 0, 0)


# -- templates ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A template in its source: where it starts, and the span of each `{...}` slot."""

    start: Spot
    slots: tuple[Spot, ...]
    function: str  # the qualified name of the code that builds it

    def slot(self, index: int | None) -> Spot:
        if index is None or not 0 <= index < len(self.slots):
            return self.start
        return self.slots[index]


_located: dict[tuple[int, tuple[str, ...]], tuple[tuple[str, ...], TemplateSource | None]] = {}
_extra_code: list[types.CodeType] = []  # code whose functions are gone (a module's top level)


def remember_caller(depth: int = 2) -> None:
    """Keep the calling frame's code for locating templates later: mount(t"...") at a module's
    top level builds its template in code no function keeps."""
    code = sys._getframe(depth).f_code
    kept = any(code is other for other in _extra_code)
    if code.co_name == "<module>" and is_user_file(code.co_filename) and not kept:
        _extra_code.append(code)


def locate_template(
    strings: tuple[str, ...], expressions: tuple[str, ...], hints: Iterable[Any] = ()
) -> TemplateSource | None:
    """Where the template with these static strings and slot expressions is written, or None
    if no code found has it. `hints` (classes, functions, code) are searched first: usually
    the rendering component. (Equal strings in one module are one constant, so the slot
    expressions tell such templates apart.)"""
    key = (id(strings), expressions)
    known = _located.get(key)
    if known is not None and known[0] is strings:
        return known[1]
    found = None
    for code in _codes(hints):
        found = _template_in(code, strings, expressions)
        if found is not None:
            break
    _located[key] = (strings, found)
    return found


def _codes(hints: Iterable[Any]) -> Iterator[types.CodeType]:
    """Every code object reachable from the hints, then from the user's modules, nested code
    (methods, lambdas, comprehensions, class bodies) included; each once."""
    seen: set[int] = set()
    roots: list[Any] = [*hints, *_extra_code]
    roots += [module for module in list(sys.modules.values()) if _is_user_module(module)]
    for root in roots:
        yield from _walk_object(root, seen)


def _is_user_module(module: Any) -> bool:
    # A module may be a proxy (Pyodide's `js`): only a real str file name counts.
    if not isinstance(module, types.ModuleType):
        return False
    filename = getattr(module, "__file__", None)
    return isinstance(filename, str) and is_user_file(filename)


def _walk_object(item: Any, seen: set[int], depth: int = 0) -> Iterator[types.CodeType]:
    if id(item) in seen or depth > 6:
        return
    seen.add(id(item))
    if isinstance(item, types.CodeType):
        yield from _walk_code(item, seen, depth)
        return
    if isinstance(item, (staticmethod, classmethod)):
        item = item.__func__
    code = getattr(item, "__code__", None)
    if isinstance(code, types.CodeType):
        yield from _walk_object(code, seen, depth)
    elif isinstance(item, property):
        for accessor in (item.fget, item.fset, item.fdel):
            yield from _walk_object(accessor, seen, depth)
    elif isinstance(item, type) and not _user_class(item):
        return
    elif isinstance(item, (type, types.ModuleType)):
        for value in list(vars(item).values()):
            if isinstance(value, _CONTAINERS):
                yield from _walk_object(value, seen, depth + 1)


def _walk_code(code: types.CodeType, seen: set[int], depth: int) -> Iterator[types.CodeType]:
    if is_user_file(code.co_filename):
        yield code
        for constant in code.co_consts:
            if isinstance(constant, types.CodeType):
                yield from _walk_object(constant, seen, depth)


_CONTAINERS = (type, types.FunctionType, types.CodeType, property, staticmethod, classmethod)


def _user_class(cls: type) -> bool:
    return _is_user_module(sys.modules.get(cls.__module__))


def _template_in(
    code: types.CodeType, strings: tuple[str, ...], expressions: tuple[str, ...]
) -> TemplateSource | None:
    if not any(constant is strings for constant in code.co_consts):
        return None
    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        if instruction.opname == "LOAD_CONST" and instruction.argval is strings:
            found = _slots_after(code, instructions, index, expressions)
            if found is not None:
                return found
    return None


def _slots_after(
    code: types.CodeType,
    instructions: list[dis.Instruction],
    index: int,
    expressions: tuple[str, ...],
) -> TemplateSource | None:
    """The template whose strings are loaded at `index`, if its slots are `expressions`: its
    span, and the spans of the BUILD_INTERPOLATION instructions inside it that no other slot
    contains (a nested template's slots sit inside a slot of the outer one). Each slot's
    expression text is the constant loaded at the same position."""
    outer = instructions[index].positions
    start = _spot(code.co_filename, outer)
    if start is None or outer is None:
        return None
    texts: dict[Any, set[str]] = {}
    spans: list[tuple[tuple[int, int], tuple[int, int], Any]] = []
    for instruction in instructions[index + 1 :]:
        position = instruction.positions
        if position is None or position.lineno is None:
            continue
        if instruction.opname == "LOAD_CONST" and isinstance(instruction.argval, str):
            texts.setdefault(position, set()).add(instruction.argval)
        if instruction.opname != "BUILD_INTERPOLATION":
            continue
        begin, end = (position.lineno, position.col_offset or 0), _end(position)
        if begin < (outer.lineno or 0, outer.col_offset or 0):
            continue
        if end > _end(outer):
            break
        spans.append((begin, end, position))
    top = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o is not s for o in spans)]
    top.sort(key=lambda span: span[0])
    if len(top) != len(expressions) or any(
        text not in texts.get(span[2], ()) for text, span in zip(expressions, top, strict=True)
    ):
        return None  # the same strings, other slots: another template
    slots = tuple(spot for span in top if (spot := _spot(code.co_filename, span[2])) is not None)
    return TemplateSource(start, slots, code.co_qualname)


def _end(position: Any) -> tuple[int, int]:
    return (position.end_lineno or 0, position.end_col_offset or 0)


def _spot(filename: str, position: Any) -> Spot | None:
    if position is None or position.lineno is None or position.col_offset is None:
        return None
    end = position.end_col_offset if position.end_lineno == position.lineno else 0
    return Spot(filename, position.lineno, position.col_offset, end or 0)
