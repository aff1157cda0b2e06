"""Runs INSIDE Pyodide (`lint_runner.mjs`): compiles each module and lints its t-string templates.

This is Python 3.14 in WebAssembly, the page's own interpreter, so a module that compiles here
compiles in the browser, and `ast` knows t-strings (`ast.TemplateStr`). It imports the standard
library and the framework's own template parser (mounted from the host), so a template is judged
by the very code that will parse it in the page; no second HTML parser.

Input: `{"files": [path, ...]}`. Output (the return value of
`main`): a JSON list of `{"file", "line", "col", "message"}`, line and col 1-based, col counted
in characters, pointing at the mistake in the user's source.

What is found, without running any of the app:
- a syntax error (what the page's import would raise);
- a template the parser refuses: an unclosed or unbalanced tag, a slot where none can go;
- an `on<event>` attribute whose event is unknown (`onclik`), or whose modifier is;
- a call in an event slot (`onclick={self.remove()}`): it runs while rendering;
- `render()` returning an f-string or a str: the page would show the markup as text;
- `{{name}}` in a template's text: a t-string prints it as `{name}`.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import tokenize
from dataclasses import asdict, dataclass
from typing import Any

from framework.dom import protocol
from framework.template.events import EVENT_MODIFIERS
from framework.template.names import unknown_event
from framework.template.parser import TemplateSyntaxError, _Parser

# Calls that return a handler rather than run one.
HANDLER_FACTORIES = frozenset({"partial", "functools.partial"})
# `{{name}}`, `{{ user.name }}`, `{{items[0]}}`, `{{f(x)}}`: an expression in doubled braces. CSS
# in a t-string (`a {{ color: red }}`) needs doubled braces too, and does not look like this.
DOUBLED_BRACES = re.compile(r"\{\{\s*[A-Za-z_][\w.]*(?:\[[^\]{}]*\]|\([^(){}]*\))?\s*\}\}")
MARKUP = re.compile(r"</?[A-Za-z][\w-]*[\s/>]")
TAG_STATES = frozenset(
    {"tag_name", "end_tag", "in_tag", "attr_name", "before_value", "quoted_value", "unquoted_value"}
)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    col: int
    message: str


# -- positions: from a template's static strings back to the user's source ------------------------


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    col: int  # 1-based, in characters


class Source:
    """A module's text, to turn ast positions (UTF-8 byte columns) into character columns."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def position(self, line: int, byte_col: int) -> Position:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Position(line, len(text.encode()[:byte_col].decode(errors="replace")) + 1)

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment("".join(self.lines), node) or ""


class Piece:
    """One static string of a t-string as written (a Constant node): maps an offset in its value
    to the line and column of the character that wrote it (`{{` writes one `{`, `\\n` one
    newline)."""

    def __init__(self, node: ast.Constant, source: Source) -> None:
        self.value = str(node.value)
        self.start = source.position(node.lineno, node.col_offset)
        raw = source.segment(node)
        self.raw, self.offsets = raw, _value_offsets(raw, self.value)

    def position(self, offset: int) -> Position:
        raw_offset = self.offsets[offset] if offset < len(self.offsets) else len(self.raw)
        if not self.offsets and self.value:
            raw_offset = 0  # an escape we could not follow: the start of the string will do
        before = self.raw[:raw_offset]
        newlines = before.count("\n")
        if not newlines:
            return Position(self.start.line, self.start.col + raw_offset)
        return Position(self.start.line + newlines, raw_offset - before.rfind("\n"))


def _value_offsets(raw: str, value: str) -> list[int]:
    """For each character of value, its offset in raw; [] when the escapes are not followed."""
    for is_raw in (False, True):
        offsets = _walk(raw, is_raw)
        if offsets is not None and len(offsets) == len(value):
            return offsets
    return []


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}
_QUOTE = "(?:\"\"\"|'''|\"|')"
_BETWEEN_LITERALS = re.compile(rf"{_QUOTE}(?:\s|#[^\n]*)*[rRtT]{{1,2}}{_QUOTE}")


def _walk(raw: str, is_raw: bool) -> list[int] | None:
    offsets: list[int] = []
    i = 0
    while i < len(raw):
        boundary = _BETWEEN_LITERALS.match(raw, i)
        if boundary:  # t"a" t"b": the end of one literal and the start of the next write nothing
            i = boundary.end()
        elif raw.startswith(("{{", "}}"), i):
            offsets.append(i)
            i += 2
        elif raw[i] == "\\" and not is_raw and i + 1 < len(raw):
            following = raw[i + 1]
            if following == "\n":
                i += 2  # a line continuation writes nothing
                continue
            if following == "N":
                end = raw.find("}", i)
                if end < 0:
                    return None
                length = end + 1 - i
            elif following in _ESCAPE_LENGTHS:
                length = _ESCAPE_LENGTHS[following]
            elif following in "01234567":
                length = 2 + len(re.match(r"[0-7]{0,2}", raw[i + 2 :]).group())  # type: ignore[union-attr]
            elif following in "\\'\"abfnrtv":
                length = 2
            else:  # an unknown escape keeps its backslash
                offsets.append(i)
                i += 1
                continue
            offsets.append(i)
            i += length
        else:
            offsets.append(i)
            i += 1
    return offsets


class TemplateLiteral:
    """A t-string as the parser sees it (strings and expressions), with the user's positions."""

    def __init__(self, node: Any, source: Source) -> None:
        self.pieces: list[list[Piece]] = [[]]  # the Constant nodes of each static string
        self.slots: list[Any] = []  # the Interpolation nodes
        self.source = source
        for value in node.values:
            if isinstance(value, ast.Constant):
                self.pieces[-1].append(Piece(value, source))
            else:
                self.slots.append(value)
                self.pieces.append([])
        self.start = source.position(node.lineno, node.col_offset)
        self.strings = tuple("".join(p.value for p in pieces) for pieces in self.pieces)
        self.expressions = tuple(source.segment(s.value) for s in self.slots)

    def at(self, chunk: int, offset: int) -> Position:
        """Where the character at offset of static string chunk was written."""
        for piece in self.pieces[chunk]:
            if offset < len(piece.value):
                return piece.position(offset)
            offset -= len(piece.value)
        if chunk < len(self.slots):  # the end of a string: the slot that follows
            return self.slot(chunk)
        pieces = self.pieces[chunk]
        return pieces[-1].position(len(pieces[-1].value)) if pieces else self.start

    def slot(self, index: int) -> Position:
        slot = self.slots[index]
        return self.source.position(slot.lineno, slot.col_offset)


# -- templates: the framework's parser, with positions and hooks -------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    position: Position
    message: str


class LintParser(_Parser):  # type: ignore[misc]
    """The page's template parser, noting where each tag and attribute starts so its errors point
    into the source, and checking each element's event attributes as the tag closes."""

    def __init__(self, literal: TemplateLiteral, rules: Rules) -> None:
        super().__init__(literal.strings, literal.expressions)
        self.literal, self.rules = literal, rules
        self.findings: list[Finding] = []
        self.tag_at = (0, 0)  # (chunk, offset) of the last '<'
        self.open_at: list[tuple[int, int]] = []  # the start tag of each open element
        self.attr_at: dict[str, tuple[int, int]] = {}  # attribute name -> its start, this tag

    def read(self, text: str) -> None:
        i = 0
        while i < len(text):
            self.pos = i
            i = getattr(self, f"on_{self.state}")(text, i)

    def start_tag_open(self, text: str, lt: int) -> int:
        self.tag_at, self.attr_at = (self.chunk, lt), {}
        result: int = super().start_tag_open(text, lt)
        return result

    def on_in_tag(self, text: str, i: int) -> int:
        before = self.attr
        result: int = super().on_in_tag(text, i)
        if self.attr is not before:
            self.attr_at[self.attr.name] = (self.chunk, result - len(self.attr.name))
        return result

    def close_start_tag(self, self_closing: bool) -> None:
        for attr in self.attrs:
            self.check_event(attr)
        depth = len(self.stack)
        super().close_start_tag(self_closing)
        if len(self.stack) > depth:
            self.open_at.append(self.tag_at)

    def on_end_tag(self, text: str, i: int) -> int:
        result: int = super().on_end_tag(text, i)
        self.open_at.pop()
        return result

    def check_event(self, attr: Any) -> None:
        written = str(attr.name)
        name, *modifiers = written.lower().split(".")
        if not name.startswith("on") or not attr.slots:
            return
        where = self.literal.at(*self.attr_at.get(written, self.tag_at))
        if not name.startswith("on:"):  # `on:name` is the explicit spelling of a custom event
            message = self.rules.unknown_event(name[2:])
            if message:
                self.findings.append(Finding(where, message))
                # Reported: read on as if it were custom, so the parser (which refuses it too)
                # goes on to the rest of the template.
                attr.name = f"on:{written[2:]}"
        for modifier in modifiers:
            if modifier not in self.rules.modifiers:
                known = ", ".join(sorted(self.rules.modifiers))
                self.findings.append(
                    Finding(
                        where, f"{written}: unknown event modifier {modifier!r}; known: {known}"
                    )
                )
        for slot in attr.slots:
            message = self.rules.called_handler(written, self.literal.slots[slot].value)
            if message:
                self.findings.append(Finding(self.literal.slot(slot), message))

    def fail(self, message: str, slot: int | None = None) -> TemplateSyntaxError:
        if slot is not None:
            where = self.literal.slot(slot)
        elif message.endswith("is never closed") and self.open_at:
            where = self.literal.at(*self.open_at[-1])
            message += f": close it with </{self.stack[-1]}>"
        elif message.startswith("attribute ") and message.split()[1].rstrip(":") in self.attr_at:
            where = self.literal.at(*self.attr_at[message.split()[1].rstrip(":")])
        elif self.state in TAG_STATES:
            where = self.literal.at(*self.tag_at)
        else:
            where = self.literal.at(self.chunk, self.pos)
        self.findings.append(Finding(where, message))
        return TemplateSyntaxError(message)


# -- rules ---------------------------------------------------------------------------------------


class Rules:
    """What a module is checked against: the page's events and modifiers, and the module's own
    handler factories."""

    def __init__(self) -> None:
        self.modifiers = EVENT_MODIFIERS
        self.factories: set[str] = set(HANDLER_FACTORIES)

    def unknown_event(self, event: str) -> str | None:
        """The page's own message for an unknown event (framework/template/names.py)."""
        return None if event in protocol.EVENTS else unknown_event(event)

    def called_handler(self, name: str, value: ast.expr) -> str | None:
        if not isinstance(value, ast.Call) or _dotted(value.func) in self.factories:
            return None
        called = ast.unparse(value)
        plain = not value.keywords and not any(isinstance(a, ast.Starred) for a in value.args)
        if value.args and plain:  # a tuple binds the arguments with no closure per row
            bound = ", ".join(ast.unparse(part) for part in (value.func, *value.args))
            fix = f"{name}={{({bound})}}"
        elif value.args or value.keywords:
            fix = f"{name}={{(lambda: {called})}}"
        else:
            fix = f"{name}={{{ast.unparse(value.func)}}}"
        return (
            f"{name}={{{called}}} calls the handler while rendering, not on the event; "
            f"pass the function: {fix}"
        )


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _returns_callable(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True for a function that makes handlers: it returns a lambda or a function it defines."""
    inner = {n.name for n in function.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for node in _own_nodes(function):
        if isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Lambda) or _dotted(value) in inner:
                return True
            if isinstance(value, ast.Call) and _dotted(value.func) in HANDLER_FACTORIES:
                return True
    return False


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's body, but not of the functions and classes it defines."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _factories(tree: ast.Module) -> set[str]:
    """The module's own handler factories, as an event slot would call them: `make(...)` for a
    module function, `self.make(...)` for a method."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _returns_callable(node):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _returns_callable(
                    item
                ):
                    names.update({f"self.{item.name}", f"cls.{item.name}", item.name})
    return names


# -- a module ------------------------------------------------------------------------------------


def lint_module(path: str) -> list[Problem]:
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
        compile(data, path, "exec", dont_inherit=True)
        tree = ast.parse(data, path)
    except SyntaxError as error:
        line, col = error.lineno or 1, error.offset or 1
        return [Problem(path, line, max(col, 1), f"syntax error: {error.msg}")]
    except (ValueError, UnicodeDecodeError) as error:
        return [Problem(path, 1, 1, f"cannot compile: {error}")]
    source = Source(text)
    rules = Rules()
    rules.factories |= _factories(tree)
    findings: list[Finding] = []
    for node in ast.walk(tree):
        if type(node).__name__ == "TemplateStr":
            findings += _lint_template(TemplateLiteral(node, source), rules)
        elif isinstance(node, ast.ClassDef):
            findings += _lint_render_returns(node, source)
    return [Problem(path, f.position.line, f.position.col, f.message) for f in findings]


def _lint_template(literal: TemplateLiteral, rules: Rules) -> list[Finding]:
    parser = LintParser(literal, rules)
    with contextlib.suppress(TemplateSyntaxError):
        parser.parse()  # a failure is noted by fail(); the rest of the template is not read
    findings = parser.findings
    for pieces in literal.pieces:
        for piece in pieces:
            for match in DOUBLED_BRACES.finditer(piece.raw):
                inner = match.group()[2:-2].strip()
                at = piece.start
                before = piece.raw[: match.start()]
                line = at.line + before.count("\n")
                col = (
                    at.col + len(before) if "\n" not in before else len(before) - before.rfind("\n")
                )
                findings.append(
                    Finding(
                        Position(line, col),
                        f"{match.group()} shows the text {{{inner}}} on the page: a t-string "
                        f"slot has single braces, {{{inner}}}",
                    )
                )
    return findings


def _lint_render_returns(cls: ast.ClassDef, source: Source) -> list[Finding]:
    findings: list[Finding] = []
    for item in cls.body:
        if not isinstance(item, ast.FunctionDef) or item.name != "render":
            continue
        for node in _own_nodes(item):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            value = node.value
            if isinstance(value, ast.JoinedStr):
                kind = "an f-string"
            elif (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and MARKUP.search(value.value)
            ):
                kind = "a str"
            else:
                continue
            findings.append(
                Finding(
                    source.position(value.lineno, value.col_offset),
                    f"render() returns {kind}: the page would show its markup as text; "
                    f'write a t-string, t"..."',
                )
            )
    return findings


def main(config_json: str) -> str:
    config = json.loads(config_json)
    problems: list[Problem] = []
    for path in config["files"]:
        problems += lint_module(path)
    return json.dumps([asdict(p) for p in problems])
