"""Where a render is: the style scope of the component rendering, and the element its content
goes into.

The component layer sets both while a component renders (framework/component/host.py):
`scope` is the attribute (`data-s-<hash>`) its templates' elements carry, or None for a
component without styles; `parent_tag` is the tag of the element around the slot the component
was placed in ("" when unknown), which a failed component's default fallback fits. The template
layer reads them: the renderer plans each template once per scope (`scoped_html()` adds the
attribute to every element of its static HTML, so a row costs nothing more), and a child slot
inside an element (`<ul>{rows}</ul>`) names that element while it creates components.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from framework.dom import ops as op

if TYPE_CHECKING:
    from framework.template.renderer import Renderer

scope: str | None = None  # the scope attribute of the component rendering now
parent_tag = ""  # the element the content being created goes into

# A start tag in the parser's output (tag names are lowered, attribute values double-quoted),
# a comment or an end tag; raw text (<style>, <script>, <textarea>, <title>) is skipped whole.
_TOKEN = re.compile(r"<!--.*?-->|</[^>]*>|<([a-z][a-z0-9:-]*)", re.DOTALL)
_TAG_REST = re.compile(r'(?:[^">]|"[^"]*")*>')
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})


def scoped_html(html: str, attribute: str) -> str:
    """The parser's HTML with attribute added to every element."""
    out: list[str] = []
    position = 0
    while (match := _TOKEN.search(html, position)) is not None:
        tag = match.group(1)
        out.append(html[position : match.end()])
        position = match.end()
        if tag is None:
            continue
        out.append(f" {attribute}")
        rest = _TAG_REST.match(html, position)  # its attributes: a quoted value may hold "<"
        if rest is not None:
            out.append(rest.group())
            position = rest.end()
        if tag in _RAW_TEXT:  # its content is text up to its end tag, whatever it holds
            end = html.find(f"</{tag}", position)
            if end > position:
                out.append(html[position:end])
                position = end
    out.append(html[position:])
    return "".join(out)


def adopt_stylesheet(renderer: Renderer, key: str, css: str) -> None:
    """Give the document a stylesheet once: the first render of a styled component class asks,
    later ones find it there. It stays when the last instance goes (a component shown again
    finds its styles applied, with no flash of unstyled content)."""
    if key not in renderer.stylesheets:
        renderer.stylesheets.add(key)
        renderer.emit(op.STYLESHEET, key, css)
