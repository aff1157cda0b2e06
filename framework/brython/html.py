"""`browser.html`: element factories such as `html.INPUT()` and `html.IMG(src=...)`.

Unlike Brython's, the attributes follow the templates' rules (framework/template/safety.py), so
building elements in Python is no way around them: a URL that would run script (`javascript:`,
`vbscript:`, `data:` other than an image) gets `unsafe:` in front, in every URL attribute and in
each `srcset` candidate, with a warning; names that run code are refused with UnsafeValueError:
`on*` (bind a function instead: `node.bind("click", handler)`), PyScript's `py-*`/`mpy-*`, and
HTML sinks such as `srcdoc`. Setting a node's property (`node.href = url`) follows the same
URL rule, and `node.innerHTML = ...` is refused: `node.html = markup` is sanitised like
dangerous_html().
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from framework.template.safety import (
    SRCSET_ATTRIBUTES,
    URL_ATTRIBUTES,
    UnsafeValueError,
    attribute_string,
    check_attribute_name,
    check_property_name,
)


def __getattr__(name: str) -> Callable[..., Any]:
    if not name.isupper():
        raise AttributeError(f"browser.html has tag factories in capitals (html.DIV), not {name!r}")
    from framework.browser.brython_dom import make_tag

    return make_tag(name.lower())


def attribute_items(tag: str, attributes: Mapping[str, object]) -> list[tuple[str, str]]:
    """The (name, value) pairs to set for `html.TAG(**attributes)`: Brython's keyword names
    (`Class` for class, `_` for `-`), values checked as a template checks them."""
    items = []
    for keyword, value in attributes.items():
        name = "class" if keyword == "Class" else keyword.replace("_", "-")
        if name.lower().startswith("on"):
            raise UnsafeValueError(
                f"html.{tag.upper()}({keyword}=...): no inline handlers; "
                f"bind a function: node.bind({name[2:].lower()!r}, handler)"
            )
        check_attribute_name(tag, name)
        items.append((name, attribute_string(tag, name, value)))
    return items


def property_value(tag: str, name: str, value: object) -> object:
    """What `node.<name> = value` writes: URL properties checked like the attributes."""
    check_property_name(name)
    lowered = name.lower()
    if lowered in URL_ATTRIBUTES or lowered in SRCSET_ATTRIBUTES:
        return attribute_string(tag, lowered, value)
    return value
