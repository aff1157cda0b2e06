"""An in-memory DOM backend: applies the op protocol to a tiny tree, records every operation,
serialises to HTML and dispatches events, so rendering is unit-testable without a browser."""

from __future__ import annotations

import html as html_lib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from framework.dom import ops as op
from framework.template.parser import ELEMENT_MARKER, VOID_ELEMENTS
from framework.template.safety import sanitize_url


class Node:
    parent: Element | None = None

    def clone(self) -> Node:
        raise NotImplementedError

    def to_html(self) -> str:
        raise NotImplementedError

    @property
    def text_content(self) -> str:
        return ""


class Text(Node):
    def __init__(self, data: str = "") -> None:
        self.data = data

    def clone(self) -> Text:
        return Text(self.data)

    def to_html(self) -> str:
        return html_lib.escape(self.data, quote=False)

    @property
    def text_content(self) -> str:
        return self.data


class Comment(Node):
    def __init__(self, data: str) -> None:
        self.data = data

    def clone(self) -> Comment:
        return Comment(self.data)

    def to_html(self) -> str:
        return f"<!--{self.data}-->"


class Element(Node):
    def __init__(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.tag = tag
        self.attrs: dict[str, str] = dict(attrs or {})
        self.children: list[Node] = []
        self.props: dict[str, Any] = {}
        self.style: dict[str, str] = {}
        self.listeners: dict[str, int] = {}

    def clone(self) -> Element:
        copy = Element(self.tag, self.attrs)
        for child in self.children:
            copy.append(child.clone())
        return copy

    def append(self, child: Node) -> None:
        self.insert_before(child, None)

    def insert_before(self, child: Node, ref: Node | None) -> None:
        if child.parent is not None:
            child.parent.children.remove(child)
        index = len(self.children) if ref is None else self.children.index(ref)
        self.children.insert(index, child)
        child.parent = self

    def to_html(self) -> str:
        attrs = dict(self.attrs)
        if self.style:
            attrs["style"] = "; ".join(f"{k}: {v}" for k, v in self.style.items())
        rendered = "".join(
            f' {name}="{html_lib.escape(value)}"' if value != "" else f" {name}"
            for name, value in attrs.items()
        )
        if self.tag in VOID_ELEMENTS:
            return f"<{self.tag}{rendered}>"
        inner = "".join(child.to_html() for child in self.children)
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
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].append(Text(data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].append(Comment(data))


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
        if isinstance(node, Element) and ELEMENT_MARKER in node.attrs:
            del node.attrs[ELEMENT_MARKER]
            paths.append(_path_of(node, content))
        elif isinstance(node, Comment) and node.data == "$":
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
    """The memory backend. `document` holds mounted containers by selector."""

    document: Element = field(default_factory=lambda: Element("body"))
    nodes: dict[int, Any] = field(default_factory=dict)
    templates: dict[int, _Template] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    log: list[tuple[Any, ...]] = field(default_factory=list)
    dispatcher: Callable[[int, Any], None] | None = None
    record: bool = True

    def container(self, selector: str) -> Element:
        """A container for mount(); `#id` selectors create the element on first use."""
        matches = self.document.select(lambda n: f"#{n.attrs.get('id')}" == selector)
        if matches:
            return matches[0]
        element = Element("div", {"id": selector.lstrip("#")})
        self.document.append(element)
        return element

    def node(self, node_id: int) -> Any:
        return self.nodes[node_id]

    def attach(self, renderer: Any) -> None:
        """Route events to the renderer and finish their work at once, as the browser does."""
        from framework.reactive import flush

        def dispatch(handler_id: int, event: Any) -> None:
            renderer.dispatch(handler_id, event)
            flush()
            renderer.commit()

        self.dispatcher = dispatch

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
        self.nodes[node_id].attrs[name] = value

    def _unattr(self, node_id: int, name: str) -> None:
        self.nodes[node_id].attrs.pop(name, None)

    def _prop(self, node_id: int, name: str, value: Any) -> None:
        self.nodes[node_id].props[name] = value

    def _style(self, node_id: int, name: str, value: str | None) -> None:
        style = self.nodes[node_id].style
        if value is None:
            style.pop(name, None)
        else:
            style[name] = value

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
        self.nodes[node_id].listeners.pop(event_type, None)

    def _create_text(self, node_id: int, text: str) -> None:
        node = Text(text)
        Element("#fragment").append(node)  # a parent, so content can be inserted before it
        self.nodes[node_id] = node

    def _mount(self, container_id: int, anchor_id: int, selector: str) -> None:
        container = self.container(selector)
        anchor = Text("")
        container.append(anchor)
        self.nodes[container_id] = container
        self.nodes[anchor_id] = anchor

    def _unmount(self, container_id: int, anchor_id: int) -> None:
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
        """Bubble an event from element to the root, as the browser's delegated listener does.
        `fields` become event attributes (key=..., target=... to stand in for a live input)."""
        event = FakeEvent(event_type, fields.pop("target", element), **fields)
        node: Element | None = element
        while node is not None and not event.propagation_stopped:
            handler = node.listeners.get(event_type)
            if handler is not None and self.dispatcher is not None:
                event.currentTarget = node
                self.dispatcher(handler, event)
            node = node.parent
        return event


class FakeEvent:
    """What handlers receive from the memory backend: the fields of a DOM event they use."""

    def __init__(self, event_type: str, target: Any, **fields: Any) -> None:
        self.type = event_type
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


SCRIPT_ELEMENTS = ("script", "py-script", "mpy-script", "py-config", "mpy-config")


def sanitize_tree(root: Element) -> None:
    """The memory twin of the JS sanitiser used for dangerous_html()."""
    for node in list(root.walk()):
        if not isinstance(node, Element):
            continue
        if node.tag in SCRIPT_ELEMENTS or node.tag.endswith("-script"):
            if node.parent is not None:
                node.parent.children.remove(node)
            continue
        for name in list(node.attrs):
            lowered = name.lower()
            if lowered.startswith(("on", "py-", "mpy-")) or lowered == "srcdoc":
                del node.attrs[name]
            elif lowered in ("href", "src", "action", "formaction", "xlink:href"):
                node.attrs[name] = sanitize_url(node.attrs[name], image=lowered == "src")
