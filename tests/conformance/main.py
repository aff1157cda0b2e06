"""The conformance table in a real page: every case runs against the browser backend (the real
applier.js, handed protocol.json by BrowserDom as at any boot) and against the memory backend in
the same interpreter, and once more against a deliberately diverging memory backend. The results
wait in `window.__conformance__` (JSON) for tests/e2e/test_backend_conformance.py.

To look by hand: `framework serve tests/conformance`, then `JSON.parse(__conformance__)` in the
console.
"""

import json
import time
from typing import Any

import cases
import diverging
import js
import runner
from pyodide.ffi import jsnull, to_js

from framework.browser.dom import BrowserDom
from framework.dom import ops, protocol
from framework.dom.memory import HTML, MATHML, SVG, Comment, Element, Node, Text

NAMESPACES = {"http://www.w3.org/2000/svg": SVG, "http://www.w3.org/1998/Math/MathML": MATHML}
TEXT_NODE, COMMENT_NODE = 3, 8
same_value = getattr(js.Object, "is")  # Object.is: `is` is a keyword in Python


class RecordingBrowserDom(BrowserDom):
    """The browser backend, remembering which properties each element was given: the DOM has no
    list of the properties set on an element, and the serialisation shows those."""

    def __init__(self) -> None:
        super().__init__()
        self.properties = js.WeakMap.new()

    def apply(self, ops_list: list[Any]) -> None:
        super().apply(ops_list)
        for code, node_id, *rest in ops.decode(ops_list):
            element = self.node(node_id) if code == ops.PROP else None
            if element is None:
                continue
            names = self.properties.get(element)
            if names is None:
                names = js.Array.new()
                self.properties.set(element, names)
            if not names.includes(rest[0]):
                names.push(rest[0])


class BrowserHarness:
    """The page's document: a fresh `<div id="conformance">` per case, read back node by node
    into memory nodes, so both backends are serialised by the same to_html()."""

    def __init__(self) -> None:
        self.dom: RecordingBrowserDom | None = None

    def start(self) -> RecordingBrowserDom:
        old = self._container()
        if old:  # querySelector's null is jsnull, which is falsy
            old.remove()
        box = js.document.createElement("div")
        box.id = runner.SELECTOR[1:]
        js.document.body.append(box)
        self.dom = RecordingBrowserDom()
        return self.dom

    def serialise(self) -> str:
        return "".join(self._copy(child).to_html(properties=True) for child in self._children())

    def element(self, element_id: str) -> Any:
        return self._container().querySelector(f"#{element_id}")

    def fire(self, element_id: str, event_type: str) -> None:
        # As the browser fires its own events of that type: a `focus` does not bubble. (A
        # bubbling `error` would reach window, whose listeners take it for a page error.)
        bubbles = event_type not in protocol.NON_BUBBLING_EVENTS
        options = {"bubbles": bubbles, "cancelable": True}
        event = js.Event.new(event_type, to_js(options, dict_converter=js.Object.fromEntries))
        self.element(element_id).dispatchEvent(event)

    def element_id(self, element: Any) -> str:
        return str(element.id)

    def same(self, first: Any, second: Any) -> bool:
        return bool(same_value(first, second))

    def _container(self) -> Any:
        return js.document.querySelector(runner.SELECTOR)

    def _children(self) -> Any:
        return self._container().childNodes

    def _copy(self, node: Any) -> Node:
        if node.nodeType == TEXT_NODE:
            return Text(node.data)
        if node.nodeType == COMMENT_NODE:
            return Comment(node.data)
        namespace = NAMESPACES.get(node.namespaceURI, HTML)
        copy = Element(node.localName, {a.name: a.value for a in node.attributes}, namespace)
        assert self.dom is not None
        names = self.dom.properties.get(node)
        for name in names or []:
            copy.props[name] = _python(getattr(node, name))
        template = node.localName == "template" and namespace == HTML
        for child in node.content.childNodes if template else node.childNodes:
            copy.append(self._copy(child))
        return copy


def _python(value: Any) -> Any:
    """A property's value as the memory backend holds it: JS null is None."""
    return None if value is jsnull else value


def run() -> dict[str, Any]:
    started = time.perf_counter()
    browser = runner.run_table(cases.CASES, BrowserHarness())
    memory = runner.run_table(cases.CASES, runner.MemoryHarness())
    control = diverging.BACKENDS[0]
    diverged = runner.run_table(cases.CASES, runner.MemoryHarness(control))
    return {
        "browser": {result.name: result.as_json() for result in browser},
        "memory": {result.name: result.as_json() for result in memory},
        "diverging": {
            "backend": control.__name__,
            "caught_by": control.caught_by,
            "results": {result.name: result.as_json() for result in diverged},
        },
        "seconds": round(time.perf_counter() - started, 3),
    }


js.window.__conformance__ = json.dumps(run())
