"""The memory backend's tree: nodes (element, text, comment, CDATA section), their HTML
serialisation, and the parser that builds them from markup.

What a test would see of the DOM is kept: HTML attribute names are lower case, properties
convert and reflect as the DOM's do, the style attribute follows the style properties, and the
parser puts each element in the namespace the browser's would (SVG and MathML, and HTML again
at their integration points). Selects keep their options' selectedness as the DOM does (a
select's `value` comes from its selected option, and options that arrive select the first when
none is), so a test sees the value a user would. framework/dom/memory.py applies the op protocol
to these nodes.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable, Iterable, Sequence
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
# Elements whose `value` property is their value attribute (an input's is not: it is its state).
# Elements whose `value` property writes the value attribute (a progress bar's or a meter's
# number, as text): innerHTML then shows it, and so must a prerendered page.
_VALUE_ATTRIBUTE_ELEMENTS = frozenset({"option", "button", "data", "progress", "meter"})
_NUMBER_VALUE_ELEMENTS = frozenset({"progress", "meter"})
_ASCII_WHITESPACE = re.compile("[\t\n\f\r ]+")


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
        # An option's selectedness: its `selected` attribute's until a script or its select
        # sets it (then dirty, and the attribute no longer counts), as the DOM keeps it.
        self.selectedness = tag == "option" and "selected" in self.attrs
        self.selectedness_dirty = False

    def clone(self) -> Element:
        copy = Element(self.tag, self.attrs, self.namespace)
        for child in self.children:
            copy.append(child.clone())
        return copy

    def attribute_name(self, name: str) -> str:
        """The name setAttribute stores: ASCII-lowered on an HTML element, as given elsewhere."""
        return name.translate(_ASCII_LOWER) if self.namespace == HTML else name

    def set_attribute(self, name: str, value: str) -> None:
        name = self.attribute_name(name)
        self.attrs[name] = value
        if name == "selected" and self.tag == "option":
            self._selected_attribute_changed()

    def remove_attribute(self, name: str) -> None:
        name = self.attribute_name(name)
        if self.attrs.pop(name, None) is not None and name == "selected" and self.tag == "option":
            self._selected_attribute_changed()

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
        if name == "value" and self.tag in _NUMBER_VALUE_ELEMENTS:  # a double, as its text
            number = float(value or 0)
            self.props[name] = int(number) if number.is_integer() else number
            self.value = self.props[name]
            return
        if name in _TEXT_PROPERTIES:
            value = "" if value is None else _js_string(value)
            if name == "textContent":
                for child in self.children:
                    child.parent = None
                self.children = []
                if value:
                    self.append(Text(value))
            if name == "value":
                self.props[name] = value
                self.value = value
                return
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
            if name == "selected" and self.tag == "option":
                self.props[name] = value
                self.selected = value
                return
        self.props[name] = value

    # -- form controls: their state as scripts read and set it ---------------------------------

    @property
    def value(self) -> str:
        """The `value` property as the DOM computes it: a select's is its first selected
        option's ("" with none), an option's its value attribute or else its text, an input's
        what was last set (else its value attribute), a textarea's what was last set (else its
        text)."""
        if self.tag == "select":
            chosen = self.selectedOptions
            return chosen[0].value if chosen else ""
        if self.tag in _VALUE_ATTRIBUTE_ELEMENTS:
            if self.tag == "option" and "value" not in self.attrs:
                return _ASCII_WHITESPACE.sub(" ", self.text_content).strip(" ")
            return self.attrs.get("value", "")
        if "value" in self.props:
            return str(self.props["value"])
        return self._default_value()

    @value.setter
    def value(self, value: Any) -> None:
        """`element.value = value`: a select selects the first option with that value and no
        other; an option, a button, a data element, a progress bar or a meter sets its
        attribute; an input or a textarea shows it (as a user's typing does)."""
        text = "" if value is None else _js_string(value)
        if self.tag == "select":
            for option in self.options:
                option.selectedness = False
            chosen = next((option for option in self.options if option.value == text), None)
            if chosen is not None:
                chosen.selectedness = chosen.selectedness_dirty = True
            self._show_state()
        elif self.tag in _VALUE_ATTRIBUTE_ELEMENTS:
            self.attrs["value"] = text
            select = self.owner_select
            if select is not None:
                select._show_state()
        else:
            self.props["value"] = text

    def _default_value(self) -> str:
        """An input's or a textarea's value before anything set it."""
        if self.tag == "textarea":
            return self.text_content
        if self.tag == "input" and self.attrs.get("type", "").lower() in ("checkbox", "radio"):
            return self.attrs.get("value", "on")  # the DOM's default for a box without one
        return self.attrs.get("value", "")

    @property
    def checked(self) -> bool:
        """A checkbox's or a radio's checkedness: what was last set, else its attribute."""
        return bool(self.props.get("checked", "checked" in self.attrs))

    @property
    def selected(self) -> bool:
        return self.selectedness

    @selected.setter
    def selected(self, value: Any) -> None:
        """`option.selected = value`, as a script or a user's choice sets it: in a select that
        is not multiple, selecting one deselects the others, and deselecting the only one
        selects the first option again."""
        self.selectedness, self.selectedness_dirty = bool(value), True
        self._ask_for_reset()

    @property
    def multiple(self) -> bool:
        return "multiple" in self.attrs

    @property
    def type(self) -> str:
        """The `type` property of a form control ("" for other elements)."""
        if self.tag == "input":
            return self.attrs.get("type", "text").translate(_ASCII_LOWER) or "text"
        if self.tag == "select":
            return "select-multiple" if self.multiple else "select-one"
        if self.tag == "textarea":
            return "textarea"
        if self.tag == "button":
            kind = self.attrs.get("type", "").translate(_ASCII_LOWER)
            return kind if kind in ("button", "reset") else "submit"
        return ""

    @property
    def owner_select(self) -> Element | None:
        """An option's select: its parent, or its optgroup's parent."""
        parent = self.parent
        if parent is not None and parent.tag == "optgroup":
            parent = parent.parent
        return parent if parent is not None and parent.tag == "select" else None

    @property
    def options(self) -> list[Element]:
        """A select's list of options: its option children and those of its optgroups."""
        return _options_among(self.children)

    @property
    def selectedOptions(self) -> list[Element]:  # the DOM's name: what an event handler reads
        return [option for option in self.options if option.selectedness]

    def select_values(self, values: Iterable[Any]) -> None:
        """Each option selected when its value is among `values` (as strings), one after the
        other as a script's loop over `options` sets them (in a select that is not multiple,
        the last one selected wins)."""
        wanted = {_js_string(value) for value in values}
        for option in self.options:
            option.selected = option.value in wanted
        self._show_state()

    def options_changed(self, inserted: Sequence[Node] = ()) -> None:
        """The DOM's selectedness setting algorithm, run when options come or go. In a select
        that is not multiple, an option inserted selected is the one selected, else the last
        one selected stays, and with none a dropdown (display size 1) selects its first enabled
        option: so options that arrive after the value select the first."""
        if not self.multiple:
            options = self.options
            arrived = [option for option in _options_among(inserted) if option.selectedness]
            kept = next((option for option in reversed(options) if option.selectedness), None)
            keep = arrived[-1] if arrived else kept
            for option in options:
                option.selectedness = option is keep
            if keep is None and self._display_size() == 1:
                first = next((option for option in options if not _disabled(option)), None)
                if first is not None:
                    first.selectedness = True
        self._show_state()

    def _display_size(self) -> int:
        try:
            size = int(self.attrs.get("size", "0"))
        except ValueError:
            size = 0
        return size if size > 0 else 1

    def _selected_attribute_changed(self) -> None:
        if not self.selectedness_dirty:
            self.selectedness = "selected" in self.attrs
            self._ask_for_reset()

    def _ask_for_reset(self) -> None:
        """An option's selectedness changed: its select settles which options stay selected."""
        select = self.owner_select
        if select is not None:
            select.options_changed([self] if self.selectedness else [])
        elif "selected" in self.props:
            self.props["selected"] = self.selectedness

    def _show_state(self) -> None:
        """The properties set on the select and its options (what a test is shown) follow
        their live state, as the browser's do when read."""
        if "value" in self.props:
            self.props["value"] = self.value
        for option in self.options:
            if "selected" in option.props:
                option.props["selected"] = option.selectedness

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


def _options_among(nodes: Iterable[Node]) -> list[Element]:
    """The options among a select's children (or nodes inserted in it): options, and the
    options of optgroups."""
    found: list[Element] = []
    for node in nodes:
        if isinstance(node, Element) and node.tag == "option":
            found.append(node)
        elif isinstance(node, Element) and node.tag == "optgroup":
            found.extend(_options_among(node.children))
    return found


def _disabled(option: Element) -> bool:
    group = option.parent
    in_disabled_group = group is not None and group.tag == "optgroup" and "disabled" in group.attrs
    return "disabled" in option.attrs or in_disabled_group


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
