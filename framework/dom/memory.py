"""An in-memory DOM backend: applies the op protocol to a tiny tree, records every operation,
serialises to HTML and dispatches events, so rendering is unit-testable without a browser.

It keeps the browser backend's rules (framework/browser/applier.js), read from the same
protocol.json: the same raw-HTML sanitising and URL neutralising, the same event routing
(non-bubbling events reach their target only), and the DOM's own behaviour where a test would
see it (HTML attribute names are lower case, the style attribute follows the style
properties). tests/conformance runs one table of cases against both and compares the DOMs.
"""

from __future__ import annotations

import html as html_lib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.dom import protocol
from framework.template.parser import VOID_ELEMENTS

if TYPE_CHECKING:
    from framework.template.renderer import Renderer

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
        element = Element(tag, {name: value or "" for name, value in attrs}, namespace)
        parent.append(element)
        if tag not in VOID_ELEMENTS or namespace != HTML:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<x/>` closes itself only in foreign content; in HTML the slash is ignored.
        self.handle_starttag(tag, attrs)
        if self.stack[-1].tag == tag and self.stack[-1].namespace != HTML:
            self.stack.pop()

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


def _page() -> Element:
    body = Element("body")
    body.append(Element("div", {"id": "app"}))
    return body


def parse_fragment(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


@dataclass
class _Template:
    content: Element
    paths: list[list[int]]


def _path_of(node: Node, root: Element) -> list[int]:
    path: list[int] = []
    while node.parent is not None and node is not root:
        path.append(node.parent.children.index(node))
        node = node.parent
    return path[::-1]


def _prepare(markup: str) -> _Template:
    """Find markers in document order, record their paths, and swap comments for empty texts."""
    content = parse_fragment(markup)
    paths: list[list[int]] = []
    for node in content.walk():
        if isinstance(node, Element) and protocol.ELEMENT_MARKER in node.attrs:
            del node.attrs[protocol.ELEMENT_MARKER]
            paths.append(_path_of(node, content))
        elif isinstance(node, Comment) and node.data == protocol.CHILD_MARKER:
            anchor = Text("")
            assert node.parent is not None
            node.parent.insert_before(anchor, node)
            node.parent.children.remove(node)
            paths.append(_path_of(anchor, content))
    return _Template(content, paths)


def _resolve(root: Element, path: list[int]) -> Node:
    node: Node = root
    for index in path:
        assert isinstance(node, Element)
        node = node.children[index]
    return node


@dataclass
class MemoryDom:
    """The memory backend. `document` is the page's body: like the page `framework serve`
    generates, it starts with `<div id="app">`; `container()` adds others."""

    document: Element = field(default_factory=_page)
    nodes: dict[int, Any] = field(default_factory=dict)
    templates: dict[int, _Template] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    log: list[tuple[Any, ...]] = field(default_factory=list)
    renderer: Renderer | None = field(default=None, repr=False, compare=False)
    record: bool = True

    def find(self, selector: str) -> Element | None:
        """The element an `#id` selector matches (the only kind this backend reads), or None."""
        if not selector.startswith("#"):
            raise ValueError(f"MemoryDom finds elements by `#id` selectors only, not {selector!r}")
        matches = self.document.select(lambda n: n.attrs.get("id") == selector[1:])
        return matches[0] if matches else None

    def container(self, selector: str) -> Element:
        """The element `#id` matches: a container for mount(), created on first use (as if
        the page had it)."""
        found = self.find(selector)
        if found is None:
            found = Element("div", {"id": selector[1:]})
            self.document.append(found)
        return found

    def node(self, node_id: int) -> Any:
        return self.nodes[node_id]

    def schedule(self, commit: Callable[[], None]) -> None:
        """Commits are left to the test (Mounted.flush(), or an event it dispatches), so what
        it asserts about the operations is exactly one batch."""

    def reset_counts(self) -> None:
        self.counts.clear()
        self.log.clear()

    def apply(self, ops: list[Any]) -> None:
        for entry in op.decode(ops):
            code, *args = entry
            if self.record:
                self.counts[op.NAMES[code]] += 1
                self.log.append((op.NAMES[code], *args))
            getattr(self, f"_{op.NAMES[code].lower()}")(*args)

    # -- operations ----------------------------------------------------------------------------

    def _define(self, tid: int, markup: str) -> None:
        self.templates[tid] = _prepare(markup)

    def _clone(self, tid: int, base: int) -> None:
        template = self.templates[tid]
        copy = template.content.clone()
        self.nodes[base] = list(copy.children)
        for index, path in enumerate(template.paths, start=1):
            self.nodes[base + index] = _resolve(copy, path)
        # Top-level nodes stay in their fragment until INSERT, so slots at the top level can
        # already receive content (as in the browser, where a clone is a DocumentFragment).

    def _text(self, node_id: int, text: str) -> None:
        self.nodes[node_id].data = text

    def _attr(self, node_id: int, name: str, value: str) -> None:
        element: Element = self.nodes[node_id]
        element.attrs[element.attribute_name(name)] = value

    def _unattr(self, node_id: int, name: str) -> None:
        element: Element = self.nodes[node_id]
        element.attrs.pop(element.attribute_name(name), None)

    def _prop(self, node_id: int, name: str, value: Any) -> None:
        self.nodes[node_id].set_property(name, value)

    def _style(self, node_id: int, name: str, value: str | None) -> None:
        self.nodes[node_id].set_style(name, value)

    def _group(self, node_id: int) -> list[Node]:
        found = self.nodes[node_id]
        return list(found) if isinstance(found, list) else [found]

    def _first(self, node_id: int) -> Node:
        return self._group(node_id)[0]

    def _insert(self, node_id: int, ref_id: int) -> None:
        ref = self._first(ref_id)
        parent = ref.parent
        assert parent is not None, "insert before a detached node"
        for node in self._group(node_id):
            parent.insert_before(node, ref)

    def _remove(self, node_id: int) -> None:
        for node in self._group(node_id):
            if node.parent is not None:
                node.parent.children.remove(node)
                node.parent = None

    def _drop(self, base: int, count: int) -> None:
        for node_id in range(base, base + count):
            self.nodes.pop(node_id, None)

    def _listen(self, node_id: int, event_type: str, handler: int) -> None:
        self.nodes[node_id].listeners[event_type] = handler

    def _unlisten(self, node_id: int, event_type: str) -> None:
        element = self.nodes.get(node_id)  # the applier, too, ignores an element already gone
        if element is not None:
            element.listeners.pop(event_type, None)

    def _create_text(self, node_id: int, text: str) -> None:
        node = Text(text)
        Element("#fragment").append(node)  # a parent, so content can be inserted before it
        self.nodes[node_id] = node

    def _mount(self, container_id: int, anchor_id: int, selector: str) -> None:
        container = self.find(selector)
        if container is None:  # as in the browser: a page without that element
            raise LookupError(f"mount(): no element matches {selector}")
        anchor = Text("")
        container.append(anchor)
        self.nodes[container_id] = container
        self.nodes[anchor_id] = anchor

    def _unmount(self, container_id: int, anchor_id: int) -> None:
        if anchor_id in self.nodes:
            self._remove(anchor_id)
        self.nodes.pop(container_id, None)
        self.nodes.pop(anchor_id, None)

    def _raw_html(self, node_id: int, markup: str) -> None:
        fragment = parse_fragment(markup)
        sanitize_tree(fragment)
        self.nodes[node_id] = list(fragment.children)

    def _remove_range(self, first_id: int, end_id: int) -> None:
        first, end = self._first(first_id), self._first(end_id)
        parent = end.parent
        assert parent is not None
        start = parent.children.index(first)
        stop = parent.children.index(end)
        for node in parent.children[start:stop]:
            node.parent = None
        del parent.children[start:stop]

    # -- events --------------------------------------------------------------------------------

    def dispatch(self, element: Element, event_type: str, **fields: Any) -> FakeEvent:
        """Route an event as the browser's delegated listener does: from element up to the
        root, unless it stops propagating or its type does not bubble (then to element only).
        `fields` become event attributes (key=..., target=... to stand in for a live input)."""
        event = FakeEvent(event_type, fields.pop("target", element), **fields)
        node: Element | None = element
        while node is not None and not event.propagation_stopped:
            handler = node.listeners.get(event_type)
            if handler is not None and self.renderer is not None:
                event.currentTarget = node
                self.renderer.handle_event(handler, event)
            node = node.parent if event.bubbles else None
        return event


class FakeEvent:
    """What handlers receive from the memory backend: the fields of a DOM event they use."""

    def __init__(self, event_type: str, target: Any, **fields: Any) -> None:
        self.type = event_type
        self.bubbles = event_type not in protocol.NON_BUBBLING_EVENTS
        self.target = target
        self.currentTarget: Element | None = target
        self.defaultPrevented = False
        self.propagation_stopped = False
        self.key: str = fields.pop("key", "")
        for name, value in fields.items():
            setattr(self, name, value)

    def preventDefault(self) -> None:
        self.defaultPrevented = True

    def stopPropagation(self) -> None:
        self.propagation_stopped = True


def sanitize_tree(root: Element) -> None:
    """dangerous_html()'s rules (protocol.json `raw_html`), as the browser's applier applies them:
    script-like elements go, attributes that run code go, URLs are neutralised."""
    for node in list(root.walk()):
        if not isinstance(node, Element):
            continue
        if protocol.is_script_element(node.tag.translate(_ASCII_LOWER)):
            if node.parent is not None:
                node.parent.children.remove(node)
                node.parent = None
            continue
        for name in list(node.attrs):
            lowered = name.translate(_ASCII_LOWER)
            value = node.attrs[name]
            if protocol.runs_code(lowered):
                del node.attrs[name]
            elif lowered in protocol.URL_ATTRIBUTES:
                image = protocol.is_image_url(node.tag, lowered)
                node.attrs[name] = protocol.neutralise_url(value, image)
            elif lowered in protocol.SRCSET_ATTRIBUTES:
                node.attrs[name] = protocol.neutralise_srcset(value)
