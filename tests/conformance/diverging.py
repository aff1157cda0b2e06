"""Backends that each break one rule the browser keeps: the conformance table must catch every one
(tests/unit/test_backend_conformance.py), and in the browser the memory-to-browser comparison
must catch the first (main.py). Several are how the memory backend once behaved; `caught_by`
names a case that must fail.
"""

from __future__ import annotations

from typing import Any

from framework import MemoryDom
from framework.dom import protocol
from framework.dom.memory import Element, parse_fragment
from framework.dom.sanitizer import sanitize


class ScriptUrlsPrefixed(MemoryDom):
    """Gives a script URL in raw HTML the `unsafe:` prefix, as the memory backend did before it
    followed DOMPurify, which removes that attribute."""

    caught_by = "raw_html_url_attribute_href"

    def _raw_html(self, node_id: int, markup: str) -> None:
        fragment = parse_fragment(markup)
        written = {
            id(node): dict(node.attrs) for node in fragment.walk() if isinstance(node, Element)
        }
        sanitize(fragment)
        for node in fragment.walk():
            if not isinstance(node, Element):
                continue
            for name, value in written[id(node)].items():
                if name in protocol.URL_ATTRIBUTES and protocol.is_blocked_url(value):
                    node.attrs[name] = protocol.neutralise_url(value)
        self.nodes[node_id] = list(fragment.children)


class InsertAfter(MemoryDom):
    """Applies INSERT after the reference node instead of before it."""

    caught_by = "keyed_rows_move_across_flushes"

    def _insert(self, node_id: int, ref_id: int) -> None:
        ref = self._first(ref_id)
        parent = ref.parent
        assert parent is not None
        index = parent.children.index(ref)
        after = parent.children[index + 1] if index + 1 < len(parent.children) else None
        for node in self._group(node_id):
            parent.insert_before(node, after)


class EveryEventBubbles(MemoryDom):
    """Routes every event up to the root, the non-bubbling ones too."""

    caught_by = "focus_does_not_bubble"

    def dispatch(self, element: Element, event_type: str, **fields: Any) -> Any:
        event = super().dispatch(element, event_type, **fields)
        if event_type in protocol.NON_BUBBLING_EVENTS and not event.propagation_stopped:
            node = element.parent
            while node is not None and self.renderer is not None:
                handler = node.listeners.get(event_type)
                if handler is not None:
                    event.currentTarget = node
                    batch = self.renderer.handle_event(handler, event_type, event)
                    if batch is not None:
                        self.apply(batch)
                node = node.parent
        return event


class StyleNeverRemoved(MemoryDom):
    """Ignores STYLE's removals."""

    caught_by = "style_properties_and_the_style_attribute"

    def _style(self, node_id: int, name: str, value: str | None) -> None:
        if value is not None:
            super()._style(node_id, name, value)


class AttributeNamesAsGiven(MemoryDom):
    """Stores ATTR's name as the renderer sent it, where an HTML element lowers it."""

    caught_by = "attribute_names_are_lower_case_on_html_elements"

    def _write_attribute(self, element: Element, name: str, value: str) -> None:
        element.attrs[name] = value


class PropertiesAsGiven(MemoryDom):
    """Keeps PROP's value as sent, where the DOM converts it to the property's type."""

    caught_by = "properties_take_the_dom_type"

    def _prop(self, node_id: int, name: str, value: Any) -> None:
        self.nodes[node_id].props[name] = value


class ContainerOnDemand(MemoryDom):
    """Makes MOUNT's container when no element matches, where the page has none to give."""

    caught_by = "mounting_where_no_element_matches_is_an_error"

    def _mount(self, container_id: int, anchor_id: int, selector: str) -> None:
        self.container(selector)
        super()._mount(container_id, anchor_id, selector)


BACKENDS: list[type[MemoryDom]] = [
    ScriptUrlsPrefixed,
    InsertAfter,
    EveryEventBubbles,
    StyleNeverRemoved,
    AttributeNamesAsGiven,
    PropertiesAsGiven,
    ContainerOnDemand,
]
