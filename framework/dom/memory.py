"""An in-memory DOM backend: applies the op protocol to a tiny tree (framework/dom/tree.py),
records every operation, serialises to HTML and dispatches events, so rendering is unit-testable
without a browser.

It keeps the browser backend's rules (framework/browser/applier.js), read from the same
protocol.json: the same event routing (non-bubbling events reach their target only), the same
property rule for selects (a select keeps the value it was given and shows it again when its
options change), and the DOM's own behaviour where a test would see it. Raw HTML is sanitised
as DOMPurify sanitises it in the browser, never more permissively (framework/dom/sanitizer.py).
tests/conformance runs one table of cases against both backends and compares the DOMs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from framework.dom import ops as op
from framework.dom import protocol
from framework.dom.focus import FocusTraps
from framework.dom.head import MemoryHead
from framework.dom.sanitizer import sanitize
from framework.dom.transitions import Transitions, nodes_between
from framework.dom.tree import (
    HTML,
    MATHML,
    SVG,
    Comment,
    Element,
    Node,
    Text,
    parse_fragment,
)

if TYPE_CHECKING:
    from framework.template.renderer import Renderer

# The tree's names, for the tests and apps that import them from here.
__all__ = [
    "HTML",
    "MATHML",
    "SVG",
    "Comment",
    "Element",
    "FakeEvent",
    "MemoryDom",
    "Node",
    "Text",
    "parse_fragment",
]


def _page() -> Element:
    body = Element("body")
    body.append(Element("div", {"id": "app"}))
    return body


@dataclass
class _Template:
    content: Element
    paths: list[list[int]]
    selects: list[list[int]] = field(default_factory=list)  # settled at each clone
    fills: list[tuple[int, str]] = field(default_factory=list)  # DEFINE's: [part, attribute]
    listens: list[tuple[int, str]] = field(default_factory=list)  # DEFINE's: [part, type]


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
    selects = [_path_of(select, content) for select in content.find("select")]
    return _Template(content, paths, selects)


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
    # protocol.json's select_value: the value each select was given with PROP, and the kept
    # selects whose options changed in the batch being applied (shown again at its end).
    kept_values: WeakKeyDictionary[Element, Any] = field(
        default_factory=WeakKeyDictionary, repr=False, compare=False
    )
    _kept_changed: dict[int, Element] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    head: MemoryHead = field(default_factory=MemoryHead)  # title, meta tags: document_head.py
    # The document's stylesheets by key, in the order they came (a component's scoped styles).
    stylesheets: dict[str, str] = field(default_factory=dict)
    # Enter, leave and move transitions playing (transitions.py): a test moves them on with
    # transitions.next_frame(), an end event or transitions.end_all().
    transitions: Transitions = field(default_factory=Transitions, repr=False, compare=False)
    # The element that has the keyboard focus (None: the body): the testing kit's User moves
    # it, and so do dialogs (focus.py, the ops TRAP_FOCUS and RELEASE_FOCUS).
    focused: Element | None = field(default=None, repr=False, compare=False)
    focus_traps: FocusTraps = field(default_factory=FocusTraps, repr=False, compare=False)
    # A portal's frame -> the node where the portal stands: events bubble on from its parent.
    portal_places: WeakKeyDictionary[Element, Node] = field(
        default_factory=WeakKeyDictionary, repr=False, compare=False
    )
    _missing_targets: list[str] = field(default_factory=list, init=False, repr=False, compare=False)

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
        self._show_kept_values()
        self.transitions.after_batch()
        self.focus_traps.settle(self)
        if self._missing_targets:
            missing, self._missing_targets = self._missing_targets, []
            raise LookupError(
                f"portal(): no element matches {missing[0]!r}, the target it was given (its "
                "content went into the body instead); add that element to the page, or give "
                "portal()/dialog() another `to`"
            )

    # -- operations ----------------------------------------------------------------------------

    def _define(
        self, tid: int, markup: str, fills: list[list[Any]], listens: list[list[Any]]
    ) -> None:
        template = _prepare(markup)
        template.fills = [(part, name) for part, name in fills]
        template.listens = [(part, event_type) for part, event_type in listens]
        self.templates[tid] = template

    def _clone(self, tid: int, base: int, values: list[str | None], ref_id: int) -> None:
        template = self.templates[tid]
        copy = template.content.clone()
        self.nodes[base] = list(copy.children)
        parts = [_resolve(copy, path) for path in template.paths]
        for index, node in enumerate(parts, start=1):
            self.nodes[base + index] = node
        for (part, name), value in zip(template.fills, values, strict=True):
            node = parts[part]
            if value is None:
                continue
            if isinstance(node, Element):
                self._write_attribute(node, name, value)
            elif isinstance(node, Text):
                node.data = value
        for part, event_type in template.listens:
            element = parts[part]
            assert isinstance(element, Element)
            element.listeners[event_type] = base + 1 + part
        for path in template.selects:  # its options were inserted: as the DOM's clone does
            select = _resolve(copy, path)
            assert isinstance(select, Element)
            select.options_changed()
        # Without a ref the top-level nodes stay in their fragment until INSERT, so slots at the
        # top level can already receive content (as in the browser: a clone is a fragment).
        if ref_id:
            self._insert(base, ref_id)

    def _text(self, node_id: int, text: str) -> None:
        node = self.nodes[node_id]
        node.data = text
        self._changed_in(node.parent)

    def _attr(self, node_id: int, name: str, value: str) -> None:
        element: Element = self.nodes[node_id]
        self._write_attribute(element, name, value)
        self._changed_in(element.parent)

    def _write_attribute(self, element: Element, name: str, value: str) -> None:
        """setAttribute: by ATTR, or by CLONE for a new row's attributes."""
        element.set_attribute(name, value)

    def _unattr(self, node_id: int, name: str) -> None:
        element: Element = self.nodes[node_id]
        element.remove_attribute(name)
        self._changed_in(element.parent)

    def _prop(self, node_id: int, name: str, value: Any) -> None:
        element: Element = self.nodes[node_id]
        if name == protocol.SELECT_VALUE_PROPERTY and element.tag == protocol.SELECT_VALUE_ELEMENT:
            self.kept_values[element] = value
            _show_value(element, value)
        else:
            element.set_property(name, value)
        self._changed_in(element.parent)

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
        group = self._group(node_id)
        left = {id(node.parent): node.parent for node in group if node.parent not in (None, parent)}
        for node in group:
            parent.insert_before(node, ref)
        for old_parent in left.values():
            self._options_changed(old_parent, ())
        self._options_changed(parent, group)

    def _remove(self, node_id: int) -> None:
        for node in self._group(node_id):
            parent = node.parent
            if parent is not None and not self.transitions.is_leaving(node):
                parent.children.remove(node)
                node.parent = None
                self._options_changed(parent, ())

    def _drop(self, base: int, count: int) -> None:
        for node_id in range(base, base + count):
            self.nodes.pop(node_id, None)

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
        sanitize(fragment)
        for select in fragment.find("select"):  # parsed with its options, as in the DOM
            select.options_changed()
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
        self._options_changed(parent, ())

    # -- selects -------------------------------------------------------------------------------

    def _options_changed(self, parent: Element | None, inserted: list[Node] | tuple[()]) -> None:
        """Nodes came into or left `parent`: a select (or an optgroup in one) settles which
        option is selected as the DOM does, and a select keeping a value (protocol.json's
        select_value) shows it again at the end of the batch."""
        if parent is None:
            return
        select = parent if parent.tag == "select" else None
        if parent.tag == "optgroup":
            select = parent.owner_select
        if select is not None:
            select.options_changed(inserted)
        self._changed_in(parent)

    def _changed_in(self, node: Element | None) -> None:
        """Something changed in `node` (an option's text or children, an optgroup's or a
        select's children): a select holding it keeping a value shows it again at the end of
        the batch, as the applier's changedIn() does."""
        if not self.kept_values:
            return
        for _depth in range(3):
            if node is None:
                return
            if node in self.kept_values:
                self._kept_changed[id(node)] = node
                return
            node = node.parent

    def _show_kept_values(self) -> None:
        if self._kept_changed:
            changed, self._kept_changed = self._kept_changed, {}
            for select in changed.values():
                _show_value(select, self.kept_values[select])

    def _stylesheet(self, key: str, css: str) -> None:
        self.stylesheets.setdefault(key, css)

    def _enter(self, node_id: int, name: str, duration: float | None) -> None:
        self.transitions.enter(self._group(node_id), name, duration)

    def _leave(self, node_id: int, anchor_id: int, name: str, duration: float | None) -> None:
        self.transitions.leave(self._group(node_id), self.nodes[anchor_id], name, duration)

    def _end_leaves(self, anchor_id: int) -> None:
        self.transitions.end_leaves(self.nodes[anchor_id])

    def _flip(self, first_id: int, end_id: int, name: str) -> None:
        self.transitions.note_positions(
            nodes_between(self._first(first_id), self._first(end_id)), name
        )

    def _portal(self, node_id: int, owner_id: int, target: str) -> None:
        frame = self._first(node_id)
        assert isinstance(frame, Element)
        container = self.document if target == "body" else self.find(target)
        if container is None:  # as in the browser: nothing is lost, the batch ends in an error
            self._missing_targets.append(target)
            container = self.document
        container.append(frame)
        self.portal_places[frame] = self.nodes[owner_id]

    def _trap_focus(self, node_id: int) -> None:
        dialog = self._first(node_id)
        assert isinstance(dialog, Element)
        self.focus_traps.trap(dialog, self.focused)

    def _release_focus(self, node_id: int) -> None:
        dialog = self._first(node_id)
        assert isinstance(dialog, Element)
        self.focus_traps.release(dialog)

    # -- events --------------------------------------------------------------------------------

    def dispatch(self, element: Element, event_type: str, **fields: Any) -> FakeEvent:
        """Route an event as the browser's delegated listener does: from element up to the
        root, unless it stops propagating or its type does not bubble (then to element only).
        `fields` become event attributes (key=..., target=... to stand in for a live input)."""
        event = FakeEvent(event_type, fields.pop("target", element), **fields)
        if event_type in ("keydown", "focusin"):  # an open dialog holds the focus (focus.py)
            self.focus_traps.before_handlers(self, event)
        node: Element | None = element
        while node is not None and not event.propagation_stopped:
            handler = node.listeners.get(event_type)
            if handler is not None and self.renderer is not None:
                event.currentTarget = node
                batch = self.renderer.handle_event(handler, event_type, event)
                if batch is not None:
                    self.apply(batch)
            node = self._bubbles_to(node) if event.bubbles else None
        self.transitions.end_event(element, event_type)  # as the applier's own listener
        return event

    def _bubbles_to(self, node: Element) -> Element | None:
        """The parent an event goes on to: a portal's frame's is where the portal stands."""
        place = self.portal_places.get(node)
        return place.parent if place is not None else node.parent


def _show_value(select: Element, value: Any) -> None:
    """A kept value shown: a string (None: "") selects the first option with it, a list selects
    each option whose value it holds."""
    if isinstance(value, list):
        select.props["value"] = ""  # set, so a test is shown the select's value, as PROP does
        select.select_values(value)
    else:
        select.set_property("value", "" if value is None else value)


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
