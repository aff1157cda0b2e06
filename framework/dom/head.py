"""The document's head as the core sees it: a title and meta tags, read and written.

Two implementations: framework.browser.head.BrowserHead (the page's own `<head>`) and
MemoryHead below, which a MemoryDom carries as `dom.head` so tests can read what a page set.
framework/document_head.py decides what to show; this is only where it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


def meta_attribute(name: str) -> str:
    """The attribute a meta tag is named by: Open Graph style names (`og:title`, with a
    colon) use `property`, the others (`description`) use `name`."""
    return "property" if ":" in name else "name"


class HeadBackend(Protocol):
    """A document's title and meta tags."""

    def get_title(self) -> str: ...

    def set_title(self, title: str) -> None: ...

    def get_meta(self, name: str) -> str | None:
        """The content of the meta tag `name`, or None when the document has none."""
        ...

    def set_meta(self, name: str, content: str | None) -> None:
        """Set the meta tag's content, adding the tag if needed; None removes it."""
        ...


@dataclass(eq=False)  # one document's head: compared (and hashed) by identity
class MemoryHead:
    """A head in memory: what a test reads as `dom.head.title` and `dom.head.meta[name]`."""

    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def get_title(self) -> str:
        return self.title

    def set_title(self, title: str) -> None:
        self.title = title

    def get_meta(self, name: str) -> str | None:
        return self.meta.get(name)

    def set_meta(self, name: str, content: str | None) -> None:
        if content is None:
            self.meta.pop(name, None)
        else:
            self.meta[name] = content
