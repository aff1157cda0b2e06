"""`browser.html`: element factories such as `html.INPUT()` and `html.IMG(src=...)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def __getattr__(name: str) -> Callable[..., Any]:
    if not name.isupper():
        raise AttributeError(f"browser.html has tag factories in capitals (html.DIV), not {name!r}")
    from framework.browser.brython_dom import make_tag

    return make_tag(name.lower())
