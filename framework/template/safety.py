"""Safe by construction: how bound values become attribute strings, URLs, classes and styles.

Text is always text and attribute values go through setAttribute, so escaping is never needed
for the DOM. What remains dangerous is a URL that runs script (`javascript:`, `vbscript:`,
non-image `data:`) in any URL attribute, strings bound to event attributes, and raw HTML, which
is accepted only through `dangerous_html` and is sanitised by the DOM backend.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from framework.dom import protocol

# The URL and HTML-sink tables are the DOM protocol's (framework/dom/protocol.json): one statement
# of them for bound values, here and in browser.html's builders.
URL_ATTRIBUTES = protocol.URL_ATTRIBUTES
SRCSET_ATTRIBUTES = protocol.SRCSET_ATTRIBUTES
HTML_SINKS = protocol.HTML_SINKS
BLOCKED_PREFIX = protocol.BLOCKED_PREFIX
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_EXPRESSION = re.compile(r"expression\s*\(|javascript:|-moz-binding|behavior\s*:", re.I)


class UnsafeValueError(ValueError):
    """A bound value that would run code, refused with the reason and the fix."""


@dataclass(frozen=True, slots=True)
class DangerousHTML:
    """Markup you trust, inserted as HTML. Still sanitised: by DOMPurify in the browser
    (framework/browser/sanitize.js), and by the same rules on the memory backend
    (framework/dom/sanitizer.py). Only allowlisted elements and attributes stay, a URL that could
    run script loses its attribute, and whatever PyScript would run goes (it runs Python found in
    inserted HTML): docs/security.md has the details."""

    html: str


def dangerous_html(markup: str) -> DangerousHTML:
    """Wrap trusted markup for a child slot. The name says what it is: never pass user input."""
    if not isinstance(markup, str):
        raise TypeError(f"dangerous_html() takes a str, got {type(markup).__name__}")
    return DangerousHTML(markup)


def sanitize_url(url: str, image: bool = False) -> str:
    """Neutralise script URLs by prefixing `unsafe:`; a dev warning says what was blocked."""
    if not protocol.is_blocked_url(url, image):
        return url
    warnings.warn(f"blocked an unsafe URL: {url[:80]!r}", stacklevel=3)
    return BLOCKED_PREFIX + url


def sanitize_srcset(value: str) -> str:
    """Each candidate's URL checked as an image URL; a dev warning when one was blocked."""
    result = protocol.neutralise_srcset(value)
    if result != value:
        warnings.warn(f"blocked an unsafe URL in a srcset: {value[:80]!r}", stacklevel=3)
    return result


def attribute_string(tag: str, name: str, value: object) -> str:
    """The string written with setAttribute, stringified once (T10) and URL-checked."""
    if callable(value) and name.lower().startswith("on"):
        raise UnsafeValueError(f"<{tag} {name}>: bind events as on{name[2:]}={{handler}}")
    text = value if isinstance(value, str) else str(value)
    lowered = name.lower()
    if lowered in URL_ATTRIBUTES:
        return sanitize_url(text, image=protocol.is_image_url(tag, lowered))
    if lowered in SRCSET_ATTRIBUTES:
        return sanitize_srcset(text)
    return text


def check_attribute_name(tag: str, name: str) -> None:
    lowered = name.lower()
    if lowered.startswith(protocol.PYTHON_ATTRIBUTE_PREFIXES):
        raise UnsafeValueError(f"<{tag} {name}>: PyScript attributes would run Python; refused")
    if lowered in HTML_SINKS:
        raise UnsafeValueError(_html_sink_message(f"<{tag} {name}>"))


def check_property_name(name: str) -> None:
    """`.innerHTML={...}` and friends would insert raw HTML past dangerous_html(); refused."""
    if name.lower() in HTML_SINKS:
        raise UnsafeValueError(_html_sink_message(f".{name}"))


def _html_sink_message(where: str) -> str:
    return (
        f"{where}: a bound value here is parsed as HTML and can run scripts; refused. Render "
        "markup with a template, or dangerous_html() in a child slot for trusted HTML"
    )


def class_string(value: object) -> str | None:
    """class= accepts a str, a list/tuple of str, or a dict of name -> bool."""
    if value is None or value is False:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return " ".join(str(name) for name, on in value.items() if on)
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(item) for item in value if item)
    raise TypeError(f"class takes a str, a list or a dict of bools, got {type(value).__name__}")


def style_dict(value: object) -> dict[str, str]:
    """style= takes a dict of property -> value; a raw string is refused (style injection)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(
            f"style takes a dict such as {{'color': 'red'}}, got {type(value).__name__}: "
            "a raw style string could inject any CSS"
        )
    result: dict[str, str] = {}
    for name, raw in value.items():
        if raw is None or raw is False:
            continue
        result[_css_name(str(name))] = style_value(str(name), raw)
    return result


def _css_name(name: str) -> str:
    # Python-friendly background_color -> background-color; custom properties kept as written.
    return name if name.startswith("--") else name.replace("_", "-")


def style_value(name: str, raw: Any) -> str:
    text = str(raw)
    if _CSS_EXPRESSION.search(text):
        raise UnsafeValueError(f"style {name}: {text[:60]!r} could run script; refused")
    for match in _CSS_URL.finditer(text):
        url = match.group(2).strip()
        compact = protocol.IGNORED_IN_SCHEME.sub("", url)
        scheme = protocol.SCHEME.match(compact)
        if (
            scheme
            and scheme.group(1).lower() not in ("http", "https")
            and not protocol.SAFE_DATA_IMAGE.match(compact)
        ):
            raise UnsafeValueError(f"style {name}: url({url[:60]!r}) is not http(s); refused")
    return text
