"""The page's own `<head>` for framework.head: document.title and `<meta>` tags."""

from __future__ import annotations

from typing import Any

import js

from framework.dom.head import meta_attribute


class BrowserHead:
    """A HeadBackend (framework.dom.head) over the page's document."""

    def get_title(self) -> str:
        return str(js.document.title)

    def set_title(self, title: str) -> None:
        js.document.title = title

    def get_meta(self, name: str) -> str | None:
        tag = _find_meta(name)
        return None if tag is None else str(tag.getAttribute("content") or "")

    def set_meta(self, name: str, content: str | None) -> None:
        tag = _find_meta(name)
        if content is None:
            if tag is not None:
                tag.remove()
            return
        if tag is None:
            tag = js.document.createElement("meta")
            tag.setAttribute(meta_attribute(name), name)
            js.document.head.appendChild(tag)
        tag.setAttribute("content", content)


def _find_meta(name: str) -> Any:
    """The head's meta tag for name, compared as text (no selector to escape)."""
    attribute = meta_attribute(name)
    for tag in js.document.head.querySelectorAll("meta"):
        if tag.getAttribute(attribute) == name:
            return tag
    return None
