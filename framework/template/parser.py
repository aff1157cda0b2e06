"""Parse a t-string's static strings once into HTML with markers and a list of part specs.

The static HTML becomes a <template> in the DOM backend. Every dynamic place is marked: an
element with dynamic attributes gets the marker attribute `f-$`, a child slot becomes the comment
`<!--$-->` (the backend swaps it for an empty text node). Part specs (specs.py) are listed in
document order, the order in which the backend meets the markers, so no node paths are computed
here.

Slots are allowed in text and in attribute values. A slot in a tag name, an attribute name, a
comment or a <script>/<style> element is a TemplateSyntaxError that shows the template line with
a caret under the slot. Tags must be balanced (void elements and `<x/>` excepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from framework.dom import protocol
from framework.template.names import unknown_event
from framework.template.specs import (
    AttrKind,
    AttrSpec,
    ChildSpec,
    ElementSpec,
    ParsedTemplate,
    PartSpec,
)

# The markers the backends look for, from the DOM protocol (framework/dom/protocol.json).
ELEMENT_MARKER = protocol.ELEMENT_MARKER
CHILD_MARKER = f"<!--{protocol.CHILD_MARKER}-->"
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})  # fmt: skip
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
ESCAPABLE_RAW_TEXT_ELEMENTS = frozenset({"textarea", "title"})
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:-]*")
_ATTR_NAME = re.compile(r"[^\s\"'<>/=\x00]+")


class TemplateSyntaxError(ValueError):
    """A template that cannot be parsed; the message shows the line and points at the slot."""

    reason: str = ""  # the message alone, without the template excerpt
    slot: int | None = None  # the slot it is at, if any


@dataclass(slots=True)
class _Attr:
    name: str
    strings: list[str] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)


class _Parser:
    """A small state machine over the static strings; slots sit between consecutive strings."""

    def __init__(self, strings: tuple[str, ...], expressions: tuple[str, ...]) -> None:
        self.strings, self.expressions = strings, expressions
        self.out: list[str] = []
        self.parts: list[PartSpec] = []
        self.stack: list[str] = []
        self.state = "text"
        self.tag = ""
        self.attrs: list[_Attr] = []
        self.attr: _Attr | None = None
        self.quote = ""
        self.chunk = 0  # index of the static string being read
        self.pos = 0

    # -- errors --------------------------------------------------------------------------------

    def fail(self, message: str, slot: int | None = None) -> TemplateSyntaxError:
        source, caret = _source_with_caret(self.strings, self.expressions, slot, self.chunk)
        where = f"slot {{{self.expressions[slot]}}}" if slot is not None else "template"
        error = TemplateSyntaxError(f"{message} (at {where}):\n    {source}\n    {caret}")
        # Where it is in the user's file replaces the template excerpt once located (located.py).
        error.reason, error.slot = message, slot  # no slot: the template as a whole
        return error

    # -- driver --------------------------------------------------------------------------------

    def parse(self) -> ParsedTemplate:
        for index, text in enumerate(self.strings):
            self.chunk = index
            self.read(text)
            if index < len(self.strings) - 1:
                self.slot(index)
        if self.state != "text":
            raise self.fail(f"unfinished {self.state.replace('_', ' ')} at the end")
        if self.stack:
            raise self.fail(f"<{self.stack[-1]}> is never closed")
        html = "".join(self.out)
        return ParsedTemplate(html=html, parts=self.parts, slot_count=len(self.strings) - 1)

    def read(self, text: str) -> None:
        i = 0
        while i < len(text):
            i = getattr(self, f"on_{self.state}")(text, i)

    # -- slots ---------------------------------------------------------------------------------

    def slot(self, index: int) -> None:
        state = self.state
        if state == "text":
            if self.stack and self.stack[-1] in RAW_TEXT_ELEMENTS:
                raise self.fail(f"a slot inside <{self.stack[-1]}> is not allowed", index)
            if self.stack and self.stack[-1] in ESCAPABLE_RAW_TEXT_ELEMENTS:
                raise self.fail(
                    f"a slot inside <{self.stack[-1]}> is not allowed: "
                    f"bind it as a property instead, e.g. <{self.stack[-1]} .value={{...}}>",
                    index,
                )
            self.out.append(CHILD_MARKER)
            parent = self.stack[-1] if self.stack else ""  # what a fallback must fit in
            self.parts.append(ChildSpec(index, not self.stack, parent))
        elif state == "comment":
            raise self.fail("a slot inside an HTML comment is not allowed", index)
        elif state in ("tag_name", "end_tag"):
            raise self.fail("a slot in a tag name is not allowed", index)
        elif state == "attr_name":
            raise self.fail("a slot in an attribute name is not allowed", index)
        elif state == "before_value":
            assert self.attr is not None
            self.attr.strings.append("")
            self.attr.slots.append(index)
            self.state = "unquoted_value"
        elif state in ("quoted_value", "unquoted_value"):
            assert self.attr is not None
            self.attr.slots.append(index)
        else:  # in the tag, between attributes
            raise self.fail(
                "a slot must be an attribute value (name={value}), not a whole attribute", index
            )

    # -- states --------------------------------------------------------------------------------

    def on_text(self, text: str, i: int) -> int:
        top = self.stack[-1] if self.stack else ""
        if top in RAW_TEXT_ELEMENTS or top in ESCAPABLE_RAW_TEXT_ELEMENTS:
            end = text.lower().find(f"</{top}", i)
            if end < 0:
                self.out.append(text[i:])
                return len(text)
            self.out.append(text[i:end])
            return self.start_tag_open(text, end)
        lt = text.find("<", i)
        if lt < 0:
            self.out.append(text[i:])
            return len(text)
        self.out.append(text[i:lt])
        return self.start_tag_open(text, lt)

    def start_tag_open(self, text: str, lt: int) -> int:
        if text.startswith("<!--", lt):
            self.out.append("<!--")
            self.state = "comment"
            return lt + 4
        if text.startswith("</", lt):
            self.state = "end_tag"
            return lt + 2
        if text.startswith("<!", lt):  # doctype: copy through
            end = text.find(">", lt)
            if end < 0:
                raise self.fail("unfinished <! declaration")
            self.out.append(text[lt : end + 1])
            return end + 1
        if lt + 1 == len(text) and self.chunk < len(self.strings) - 1:
            self.state = "tag_name"  # `<{slot}`: the slot would be the tag name
            return lt + 1
        match = _TAG_NAME.match(text, lt + 1)
        if not match:
            self.out.append("&lt;")  # a lone '<' in text is text
            return lt + 1
        self.tag = match.group().lower()
        self.attrs = []
        self.state = "in_tag"
        return match.end()

    def on_comment(self, text: str, i: int) -> int:
        end = text.find("-->", i)
        if end < 0:
            self.out.append(text[i:])
            return len(text)
        self.out.append(text[i : end + 3])
        self.state = "text"
        return end + 3

    def on_end_tag(self, text: str, i: int) -> int:
        end = text.find(">", i)
        if end < 0:
            raise self.fail("unfinished closing tag")
        name = text[i:end].strip().lower()
        if not self.stack or self.stack[-1] != name:
            opened = f"<{self.stack[-1]}> is still open" if self.stack else "nothing is open"
            raise self.fail(f"</{name}> does not match: {opened}")
        self.stack.pop()
        self.out.append(f"</{name}>")
        self.state = "text"
        return end + 1

    def on_in_tag(self, text: str, i: int) -> int:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return i
        if text.startswith("/>", i):
            self.close_start_tag(self_closing=True)
            return i + 2
        if text[i] == ">":
            self.close_start_tag(self_closing=False)
            return i + 1
        match = _ATTR_NAME.match(text, i)
        if not match:
            raise self.fail(f"unexpected {text[i]!r} in <{self.tag}>")
        self.attr = _Attr(match.group())
        self.attrs.append(self.attr)
        self.state = "attr_name"
        return match.end()

    def on_attr_name(self, text: str, i: int) -> int:
        if text[i] == "=":
            self.state = "before_value"
            return i + 1
        if text[i].isspace() or text[i] in "/>":
            self.state = "in_tag"
            return i
        raise self.fail(f"unexpected {text[i]!r} after attribute {self.attr_name()}")

    def on_before_value(self, text: str, i: int) -> int:
        assert self.attr is not None
        if text[i] in "\"'":
            self.quote = text[i]
            self.attr.strings.append("")
            self.state = "quoted_value"
            return i + 1
        if text[i].isspace():
            return i + 1
        self.attr.strings.append("")
        self.state = "unquoted_value"
        return i

    def on_quoted_value(self, text: str, i: int) -> int:
        assert self.attr is not None
        end = text.find(self.quote, i)
        self.extend_value(text[i : len(text) if end < 0 else end])
        if end < 0:
            return len(text)
        self.state = "in_tag"
        return end + 1

    def on_unquoted_value(self, text: str, i: int) -> int:
        j = i
        while j < len(text) and not text[j].isspace() and text[j] != ">":
            if text.startswith("/>", j):
                break
            j += 1
        self.extend_value(text[i:j])
        if j < len(text):
            self.state = "in_tag"
        return j

    def extend_value(self, piece: str) -> None:
        assert self.attr is not None
        if len(self.attr.strings) == len(self.attr.slots):
            self.attr.strings.append(piece)
        else:
            self.attr.strings[-1] += piece

    def attr_name(self) -> str:
        return self.attr.name if self.attr else "?"

    # -- emitting an element -------------------------------------------------------------------

    def close_start_tag(self, self_closing: bool) -> None:
        static, dynamic = [], []
        for attr in self.attrs:
            if attr.slots:
                dynamic.append(_attr_spec(attr, self))
            else:
                static.append(attr)
        if self.tag in RAW_TEXT_ELEMENTS and dynamic:
            raise self.fail(f"slots in <{self.tag}> attributes are not allowed")
        pieces = [f"<{self.tag}"]
        if dynamic:
            pieces.append(f" {ELEMENT_MARKER}")
            fixed = tuple((a.name, a.strings[0] if a.strings else "") for a in static)
            self.parts.append(ElementSpec(self.tag, tuple(dynamic), fixed))
        pieces += [_static_attr(attr, self) for attr in static]
        pieces.append(">")
        self.out.append("".join(pieces))
        self.state = "text"
        if self.tag in VOID_ELEMENTS:
            return
        if self_closing:
            self.out.append(f"</{self.tag}>")
        else:
            self.stack.append(self.tag)


def _static_attr(attr: _Attr, parser: _Parser) -> str:
    _check_static_name(attr.name, parser)
    if not attr.strings:
        return f" {attr.name}"
    value = attr.strings[0].replace("&", "&amp;").replace('"', "&quot;")
    return f' {attr.name}="{value}"'


def _check_static_name(name: str, parser: _Parser) -> None:
    lowered = name.lower()
    if lowered.startswith(("py-", "mpy-")):
        raise parser.fail(f"attribute {name}: py-*/mpy-* attributes run Python; use on<event>=")
    if lowered.startswith("on") and not lowered.startswith("on:"):
        raise parser.fail(f"attribute {name}: inline JavaScript handlers are not allowed")


def _attr_spec(attr: _Attr, parser: _Parser) -> AttrSpec:
    name, *modifiers = attr.name.split(".") if not attr.name.startswith(".") else ["", attr.name]
    kind: AttrKind
    lowered = name.lower()
    if not name:  # `.value={...}`: a DOM property
        kind, name, modifiers = "prop", attr.name[1:], []
    elif lowered.startswith("bind:"):
        kind, name = "bind", name[5:]
    elif lowered == "ref":
        kind = "ref"
    elif lowered.startswith("on"):
        kind, name = "event", _event_name(name, attr, parser)
    elif lowered.startswith("?"):
        kind, name = "bool", name[1:]
    elif lowered == "class":
        kind = "class"
    elif lowered == "style":
        kind = "style"
    elif lowered in ("value", "checked", "selected", "indeterminate", "muted"):
        kind = "prop"  # the live state of a form control is a property, not the attribute
    else:
        kind = "attr"
    if lowered.startswith(("py-", "mpy-")):
        raise parser.fail(f"attribute {name}: py-*/mpy-* attributes run Python; use on<event>=")
    multi = len(attr.slots) > 1 or any(attr.strings)
    if multi and kind not in ("attr", "class"):
        raise parser.fail(f"attribute {attr.name} must be a single slot: {attr.name}={{...}}")
    if modifiers and kind != "event":
        raise parser.fail(f"attribute {attr.name}: only events take .modifiers")
    slots, expression = tuple(attr.slots), parser.expressions[attr.slots[0]]
    return AttrSpec(name, kind, tuple(attr.strings), slots, tuple(modifiers), expression)


def _event_name(name: str, attr: _Attr, parser: _Parser) -> str:
    """The event type of `on<type>` (a DOM event: a typo is an error) or `on:<name>` (a custom
    event, any name, kept as written)."""
    if name[2:3] == ":":
        return name[3:]
    event = name[2:].lower()
    if event not in protocol.EVENTS:
        raise parser.fail(unknown_event(event), attr.slots[0])
    return event


def _source_with_caret(
    strings: tuple[str, ...], expressions: tuple[str, ...], slot: int | None, chunk: int
) -> tuple[str, str]:
    """Rebuild the t-string source and draw a caret under the slot (or the failing chunk)."""
    pieces: list[str] = []
    start = end = 0
    for index, text in enumerate(strings):
        if slot is None and index == chunk:
            start, end = len("".join(pieces)), len("".join(pieces)) + max(len(text), 1)
        pieces.append(text)
        if index < len(expressions):
            if index == slot:
                start = len("".join(pieces))
                end = start + len(expressions[index]) + 2
            pieces.append("{" + expressions[index] + "}")
    source = "".join(pieces)
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", start)
    line = source[line_start : line_end if line_end >= 0 else len(source)]
    width = max(1, min(end, line_start + len(line)) - start)
    caret = " " * (start - line_start) + "^" * width
    return line, caret


def parse(strings: tuple[str, ...], expressions: tuple[str, ...]) -> ParsedTemplate:
    """Parse a template's static strings; expressions are only used for error messages."""
    parsed = _Parser(strings, expressions).parse()
    parsed.html = _strip_edges(parsed.html)
    return parsed


def _strip_edges(html: str) -> str:
    # Indentation around a multi-line t-string is not content.
    return html.strip(" \t\r\n")
