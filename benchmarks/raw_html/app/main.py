"""One slot that shows an article either as dangerous_html() or as text (benchmarks.raw_html).

`__article__(kind, text)`: "html" renders text through dangerous_html(), "text" as text, "" empties
the slot; the render is flushed before the call returns.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, dangerous_html, mount

SHOWN: Signal[tuple[str, str]] = Signal(("", ""))


class Article(Component):
    def render(self):
        kind, text = SHOWN.value
        content = dangerous_html(text) if kind == "html" else text if kind == "text" else None
        return t'<article id="article">{content}</article>'


root = mount(Article(), "#app")


def show(kind: str, text: str) -> None:
    SHOWN.value = (kind, text)
    root.flush()


js.window.__article__ = create_proxy(show)
