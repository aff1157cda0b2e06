"""The few Brython DOM helpers that the examples of `browser.aio` and `browser.ajax` use:
`document[id]`, `document <= node`, `html.TAG(...)`, `node.html`, `alert`, `@bind`.

A small wrapper, not Brython's DOM API: apps written for this framework render with
components and templates. Attributes not defined here pass through to the DOM element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js
from pyodide.ffi import create_proxy

from framework.brython.html import attribute_items, property_value

window = js.window
console = js.console


def alert(message: Any) -> None:
    js.window.alert(str(message))


class DOMNode:
    """A DOM element with Brython's conveniences; `.elt` is the element itself."""

    __slots__ = ("elt",)

    def __init__(self, element: Any) -> None:
        object.__setattr__(self, "elt", element)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.elt, name)
        return DOMNode(value) if _is_element(value) else value

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)  # html, text: the setters below
        else:
            setattr(self.elt, name, property_value(str(self.elt.localName or ""), name, value))

    def __getitem__(self, element_id: str) -> DOMNode:
        found = self.elt.getElementById(element_id) if hasattr(self.elt, "getElementById") else None
        if found is None:
            raise KeyError(f"no element with id {element_id!r}")
        return DOMNode(found)

    def __le__(self, child: Any) -> bool:
        """`parent <= child` appends child (a node, or text); `document <= x` fills the body."""
        parent = self.elt.body if self.elt.nodeType == DOCUMENT_NODE else self.elt
        parent.append(child.elt if isinstance(child, DOMNode) else str(child))
        return True

    @property
    def html(self) -> str:
        return str(self.elt.innerHTML)

    @html.setter
    def html(self, markup: str) -> None:
        # Unlike Brython's innerHTML: sanitised as dangerous_html() is (framework/browser/
        # sanitize.js), which is also the only way in under the dev server's Trusted Types.
        self.elt.replaceChildren(*js.__framework_sanitize__(str(markup)))

    @property
    def text(self) -> str:
        return str(self.elt.textContent)

    @text.setter
    def text(self, value: str) -> None:
        self.elt.textContent = value

    def remove(self) -> None:
        self.elt.remove()

    def bind(self, event: str, function: Callable[[Any], Any]) -> DOMNode:
        self.elt.addEventListener(event, _keep(function))
        return self


def _is_element(value: Any) -> bool:
    return getattr(value, "nodeType", None) == 1


DOCUMENT_NODE = 9
_kept: list[Any] = []


def _keep(function: Callable[[Any], Any]) -> Any:
    """A proxy for a listener that lives as long as the page, as Brython's bindings do."""
    proxy = create_proxy(function)
    _kept.append(proxy)
    return proxy


def bind(target: Any, event: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Decorator: `@bind("#upload", "click")` or `@bind(node, "click")`."""

    def decorate(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        if isinstance(target, str):
            elements = list(js.document.querySelectorAll(target))
        else:
            elements = [getattr(target, "elt", target)]
        for element in elements:
            DOMNode(element).bind(event, function)
        return function

    return decorate


document = DOMNode(js.document)


def make_tag(tag: str) -> Callable[..., DOMNode]:
    def create(content: Any = None, **attributes: Any) -> DOMNode:
        items = attribute_items(tag, attributes)  # the templates' URL and name rules
        node = DOMNode(js.document.createElement(tag))
        if content is not None:
            node <= content  # noqa: B015 - Brython's append operator
        for name, value in items:
            node.elt.setAttribute(name, value)
        return node

    create.__name__ = tag
    return create
