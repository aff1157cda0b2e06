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

URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "data", "poster", "cite",
        "background", "ping", "manifest", "codebase", "longdesc", "usemap", "lowsrc", "dynsrc",
        "icon", "profile", "classid", "archive",
    }
)  # fmt: skip
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# Attributes and properties whose value is parsed as HTML (srcdoc: a whole same-origin document).
HTML_SINKS = frozenset({"srcdoc", "innerhtml", "outerhtml"})
BLOCKED_PREFIX = "unsafe:"
# Control characters and whitespace are ignored by browsers inside a scheme: `jav\tascript:`.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(
    r"^data:image/(?:png|gif|jpe?g|webp|avif|bmp|x-icon);base64,[a-z0-9+/=\s]*$", re.IGNORECASE
)
_BLOCKED_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_EXPRESSION = re.compile(r"expression\s*\(|javascript:|-moz-binding|behavior\s*:", re.I)


class UnsafeValueError(ValueError):
    """A bound value that would run code, refused with the reason and the fix."""


@dataclass(frozen=True, slots=True)
class DangerousHTML:
    """Markup you trust, inserted as HTML. Still sanitised: scripts of any type, py-script and
    mpy-script elements and on*/py-*/mpy-* attributes are removed (PyScript runs Python found in
    injected HTML)."""

    html: str


def dangerous_html(markup: str) -> DangerousHTML:
    """Wrap trusted markup for a child slot. The name says what it is: never pass user input."""
    if not isinstance(markup, str):
        raise TypeError(f"dangerous_html() takes a str, got {type(markup).__name__}")
    return DangerousHTML(markup)


def sanitize_url(url: str, image: bool = False) -> str:
    """Neutralise script URLs by prefixing `unsafe:`; a dev warning says what was blocked."""
    compact = _IGNORED_IN_SCHEME.sub("", url)
    match = _SCHEME.match(compact)
    if not match or match.group(1).lower() not in _BLOCKED_SCHEMES:
        return url
    if image and _SAFE_DATA_IMAGE.match(compact):
        return url
    warnings.warn(f"blocked an unsafe URL: {url[:80]!r}", stacklevel=3)
    return BLOCKED_PREFIX + url


def sanitize_srcset(value: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = sanitize_url(parts[0], image=True)
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


def attribute_string(tag: str, name: str, value: object) -> str:
    """The string written with setAttribute, stringified once (T10) and URL-checked."""
    if callable(value) and name.lower().startswith("on"):
        raise UnsafeValueError(f"<{tag} {name}>: bind events as on{name[2:]}={{handler}}")
    text = value if isinstance(value, str) else str(value)
    lowered = name.lower()
    if lowered in URL_ATTRIBUTES:
        image = tag in ("img", "source", "video", "audio", "input") and lowered in ("src", "poster")
        return sanitize_url(text, image=image)
    if lowered in SRCSET_ATTRIBUTES:
        return sanitize_srcset(text)
    return text


def check_attribute_name(tag: str, name: str) -> None:
    lowered = name.lower()
    if lowered.startswith(("py-", "mpy-")):
        raise UnsafeValueError(f"<{tag} {name}>: py-*/mpy-* attributes would run Python; refused")
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
        scheme = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", url))
        if (
            scheme
            and scheme.group(1).lower() not in ("http", "https")
            and not (_SAFE_DATA_IMAGE.match(url))
        ):
            raise UnsafeValueError(f"style {name}: url({url[:60]!r}) is not http(s); refused")
    return text
