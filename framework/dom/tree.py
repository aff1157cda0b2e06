"""The memory backend's tree: nodes (element, text, comment, CDATA section), their HTML
serialisation, and the parser that builds them from markup.

What a test would see of the DOM is kept: HTML attribute names are lower case, properties
convert and reflect as the DOM's do, the style attribute follows the style properties, and the
parser puts each element in the namespace the browser's would (SVG and MathML, and HTML again
at their integration points). framework/dom/memory.py applies the op protocol to these nodes.
"""

from __future__ import annotations

import html as html_lib
import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from framework.template.parser import VOID_ELEMENTS

HTML, SVG, MATHML = "html", "svg", "math"
# The HTML parser's namespace switches: <svg> and <math> start foreign content, and these
# foreign elements hold HTML again (integration points).
_FOREIGN_ROOTS = {"svg": SVG, "math": MATHML}
_INTEGRATION_POINTS = frozenset({"foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"})
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# What the DOM does with `element[name] = value` where a test would see it: the property's type
# converts the value (an input's value 5 reads "5"), and some properties are an attribute, or
# the content, under another name. Properties not listed keep the value as given.
_TEXT_PROPERTIES = frozenset({"value", "textContent"})  # strings; None becomes ""
_STRING_PROPERTIES = {"id": "id", "className": "class", "title": "title", "lang": "lang"}
_BOOLEAN_PROPERTIES = frozenset({"checked", "selected", "indeterminate", "muted"})
_BOOLEAN_ATTRIBUTE_PROPERTIES = {"disabled": "disabled", "hidden": "hidden", "required": "required"}


class Node:
    parent: Element | None = None

    def clone(self) -> Node:
        raise NotImplementedError

    def to_html(self, properties: bool = False) -> str:
        """The node as HTML; with `properties`, each element's set properties too, written
        ` .name=<JSON>` after its attributes (how the conformance suite compares DOMs)."""
        raise NotImplementedError

    @property
    def text_content(self) -> str:
        return ""


class Text(Node):
    def __init__(self, data: str = "") -> None:
        self.data = data

    def clone(self) -> Text:
        return Text(self.data)

    def to_html(self, properties: bool = False) -> str:
        return _escape_text(self.data)

    @property
    def text_content(self) -> str:
        return self.data


class Comment(Node):
    def __init__(self, data: str) -> None:
        self.data = data

    def clone(self) -> Comment:
        return Comment(self.data)

    def to_html(self, properties: bool = False) -> str:
        return f"<!--{self.data}-->"


class Element(Node):
    def __init__(
        self, tag: str, attrs: dict[str, str] | None = None, namespace: str = HTML
    ) -> None:
        self.tag = tag
        self.namespace = namespace
        self.attrs: dict[str, str] = dict(attrs or {})
        self.children: list[Node] = []
        self.props: dict[str, Any] = {}
        self.listeners: dict[str, int] = {}

    def clone(self) -> Element:
        copy = Element(self.tag, self.attrs, self.namespace)
        for child in self.children:
            copy.append(child.clone())
        return copy

    def attribute_name(self, name: str) -> str:
        """The name setAttribute stores: ASCII-lowered on an HTML element, as given elsewhere."""
        return name.translate(_ASCII_LOWER) if self.namespace == HTML else name

    @property
    def style(self) -> dict[str, str]:
        """The style properties, read from the style attribute as the browser keeps them."""
        return _declarations(self.attrs.get("style", ""))

    def set_style(self, name: str, value: str | None) -> None:
        """style.setProperty / removeProperty; the style attribute follows, as in the browser
        (`name: value;` each, and still there, empty, once the last property goes)."""
        if not name.startswith("--"):
            name = name.translate(_ASCII_LOWER)  # property names are case-insensitive
        style = self.style
        if value is None or value == "":  # setProperty(name, "") removes the property too
            if style.pop(name, None) is None:
                return  # nothing removed: the browser leaves the attribute alone
        else:
            style[name] = value
        self.attrs["style"] = " ".join(f"{key}: {text};" for key, text in style.items())

    def set_property(self, name: str, value: Any) -> None:
        """element[name] = value, converted and reflected as the DOM does (see the tables)."""
        if name in _TEXT_PROPERTIES:
            value = "" if value is None else _js_string(value)
            if name == "textContent":
                for child in self.children:
                    child.parent = None
                self.children = []
                if value:
                    self.append(Text(value))
        elif name in _STRING_PROPERTIES:
            value = _js_string(value)
            self.attrs[_STRING_PROPERTIES[name]] = value
        elif name in _BOOLEAN_PROPERTIES or name in _BOOLEAN_ATTRIBUTE_PROPERTIES:
            value = bool(value)
            attribute = _BOOLEAN_ATTRIBUTE_PROPERTIES.get(name)
            if attribute is not None and value:
                self.attrs[attribute] = ""
            elif attribute is not None:
                self.attrs.pop(attribute, None)
        self.props[name] = value

    def append(self, child: Node) -> None:
        self.insert_before(child, None)

    def insert_before(self, child: Node, ref: Node | None) -> None:
        if child.parent is not None:
            child.parent.children.remove(child)
        index = len(self.children) if ref is None else self.children.index(ref)
        self.children.insert(index, child)
        child.parent = self

    def to_html(self, properties: bool = False) -> str:
        rendered = "".join(
            f' {name}="{html_lib.escape(value)}"' if value != "" else f" {name}"
            for name, value in self.attrs.items()
        )
        if properties:
            rendered += "".join(
                f" .{name}={_escape_text(json.dumps(value, ensure_ascii=False, default=repr))}"
                for name, value in self.props.items()
            )
        if self.tag in VOID_ELEMENTS and self.namespace == HTML:
            return f"<{self.tag}{rendered}>"
        inner = "".join(child.to_html(properties) for child in self.children)
        return f"<{self.tag}{rendered}>{inner}</{self.tag}>"

    @property
    def text_content(self) -> str:
        return "".join(child.text_content for child in self.children)

    def walk(self) -> list[Node]:
        """Every descendant in document order."""
        found: list[Node] = []
        for child in self.children:
            found.append(child)
            if isinstance(child, Element):
                found.extend(child.walk())
        return found

    def select(self, predicate: Callable[[Element], bool]) -> list[Element]:
        return [n for n in self.walk() if isinstance(n, Element) and predicate(n)]

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return self.select(
            lambda n: n.tag == tag and all(n.attrs.get(k) == v for k, v in attrs.items())
        )


class _TreeBuilder(HTMLParser):
    """Builds nodes from the HTML the template parser generated."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#fragment")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        namespace = _namespace(tag, parent)
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")  # a repeated attribute: the first one counts
        element = Element(tag, values, namespace)
        parent.append(element)
        if tag not in VOID_ELEMENTS or namespace != HTML:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<x/>` closes itself only in foreign content; in HTML the slash is ignored.
        self.handle_starttag(tag, attrs)
        if self.stack[-1].tag == tag and self.stack[-1].namespace != HTML:
            self.stack.pop()

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        # <style>, <title>, <textarea> ... hold text only as HTML elements: in SVG and MathML
        # they hold markup, as browsers parse them.
        if self.stack[-1].namespace == HTML:
            super().set_cdata_mode(elem, escapable=escapable)

    def handle_endtag(self, tag: str) -> None:
        # Close the innermost open element of that name (and what it holds); a stray end tag
        # closes nothing.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].append(Text(data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].append(Comment(data))

    def unknown_decl(self, data: str) -> None:
        # `<![CDATA[x]]>`: text in foreign content; in HTML a comment, as browsers parse it (they
        # end that comment at its first `>`, which this parser cannot: what follows such a `>`
        # is lost here, where a browser parses it).
        if not data.startswith("CDATA["):
            return
        parent = self.stack[-1]
        content = data.removeprefix("CDATA[")
        parent.append(Comment(f"[{data}]]") if parent.namespace == HTML else Text(content))


def _escape_text(text: str) -> str:
    return html_lib.escape(text, quote=False)


def _js_string(value: Any) -> str:
    """JavaScript's String(value) for what an op list carries (JSON: None, bool, numbers, str)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _namespace(tag: str, parent: Element) -> str:
    if parent.namespace == HTML or parent.tag in _INTEGRATION_POINTS:
        return _FOREIGN_ROOTS.get(tag, HTML)
    return parent.namespace


def _declarations(text: str) -> dict[str, str]:
    """A style attribute's `name: value` declarations."""
    found: dict[str, str] = {}
    for declaration in text.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            found[name.strip()] = value.strip()
    return found


def parse_fragment(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root
