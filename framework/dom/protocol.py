"""The DOM protocol's facts, read from protocol.json: the one copy of them.

Op codes and their arguments, which attributes carry URLs and how a bound URL is neutralised,
what raw HTML loses besides DOMPurify's allowlists, which events do not bubble. The browser's
applier.js holds no copy: it is handed `TEXT` at boot (framework/browser/dom.py), so it and the
memory backend read the same table.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

PATH = os.path.join(os.path.dirname(__file__), "protocol.json")
with open(PATH, encoding="utf-8") as _file:
    TEXT = _file.read()  # as the applier receives it
_DATA: dict[str, Any] = json.loads(TEXT)


@dataclass(frozen=True, slots=True)
class OpSpec:
    """One operation: its code is its position in protocol.json's `ops`."""

    name: str
    code: int
    args: tuple[str, ...]
    does: str


OPS = tuple(
    OpSpec(spec["name"], code, tuple(spec["args"]), spec["does"])
    for code, spec in enumerate(_DATA["ops"])
)
CODES = {spec.name: spec.code for spec in OPS}

ELEMENT_MARKER: str = _DATA["markers"]["element"]
CHILD_MARKER: str = _DATA["markers"]["child"]  # the comment's data


def _pattern(source: str) -> re.Pattern[str]:
    # ASCII: JavaScript's RegExp (no `u` flag) folds case only within ASCII, so must we.
    return re.compile(source, re.IGNORECASE | re.ASCII)


_URLS: dict[str, Any] = _DATA["urls"]
URL_ATTRIBUTES: frozenset[str] = frozenset(_URLS["attributes"])
SRCSET_ATTRIBUTES: frozenset[str] = frozenset(_URLS["srcset_attributes"])
SRCSET_SPACE: str = _URLS["srcset_space"]  # separates a srcset candidate's parts
IMAGE_ELEMENTS: frozenset[str] = frozenset(_URLS["image_elements"])
IMAGE_ATTRIBUTES: frozenset[str] = frozenset(_URLS["image_attributes"])
BLOCKED_SCHEMES: frozenset[str] = frozenset(_URLS["blocked_schemes"])
BLOCKED_PREFIX: str = _URLS["blocked_prefix"]
IGNORED_IN_SCHEME = _pattern(_URLS["ignored_in_scheme"])
SCHEME = _pattern(_URLS["scheme"])
SAFE_DATA_IMAGE = _pattern(_URLS["safe_data_image"])

HTML_SINKS: frozenset[str] = frozenset(_DATA["html_sinks"])
PYTHON_ATTRIBUTE_PREFIXES: tuple[str, ...] = tuple(_DATA["python_attribute_prefixes"])

_RAW_HTML: dict[str, Any] = _DATA["raw_html"]
SCRIPT_ELEMENT: str = _RAW_HTML["script_element"]
SCRIPT_ELEMENT_SUFFIX: str = _RAW_HTML["script_element_suffix"]
FORBIDDEN_ELEMENTS: frozenset[str] = frozenset(_RAW_HTML["forbidden_elements"])
NAMED_PROPERTY_PREFIX: str = _RAW_HTML["named_property_prefix"]
NON_BUBBLING_EVENTS: frozenset[str] = frozenset(_DATA["non_bubbling_events"])
# The DOM event types an `on<type>={...}` attribute may name (lower case, as templates write
# them); any other name is a typo unless written as a custom event, `on:<name>={...}`.
EVENTS: frozenset[str] = frozenset(_DATA["events"])
# The property a select keeps (see `select_value`): set with PROP, shown again after its options
# change, so a select always shows its bound value.
SELECT_VALUE_ELEMENT: str = _DATA["select_value"]["element"]
SELECT_VALUE_PROPERTY: str = _DATA["select_value"]["property"]
# Transitions' class suffixes and end events (see `transitions`): the memory backend plays them.
TRANSITIONS: dict[str, Any] = _DATA["transitions"]


def is_image_url(tag: str, name: str) -> bool:
    """Whether a safe `data:image/...` URL may stay in this attribute of this element."""
    return tag in IMAGE_ELEMENTS and name in IMAGE_ATTRIBUTES


def is_blocked_url(url: str, image: bool = False) -> bool:
    """Whether `url` runs script (or is data of any kind but a safe image, where one may be)."""
    compact = IGNORED_IN_SCHEME.sub("", url)
    match = SCHEME.match(compact)
    if not match or match.group(1).lower() not in BLOCKED_SCHEMES:
        return False
    return not (image and SAFE_DATA_IMAGE.match(compact))


def neutralise_url(url: str, image: bool = False) -> str:
    return BLOCKED_PREFIX + url if is_blocked_url(url, image) else url


def neutralise_srcset(value: str) -> str:
    """Each candidate's URL neutralised as an image URL, everything else kept as written. The
    candidates are split as browsers split them: a URL is a run of non-space characters (a
    trailing comma ends the candidate, so a data: URL keeps its comma), and its descriptors
    run to the next comma outside parentheses."""
    pieces: list[str] = []
    index, end = 0, len(value)
    while index < end:
        start = index
        while index < end and (value[index] in SRCSET_SPACE or value[index] == ","):
            index += 1
        pieces.append(value[start:index])
        start = index
        while index < end and value[index] not in SRCSET_SPACE:
            index += 1
        token = value[start:index]
        url = token.rstrip(",")
        pieces.append(neutralise_url(url, image=True))
        index = start + len(url)
        if len(url) < len(token):
            continue  # no descriptors: the commas are the separator
        start, in_parentheses = index, False
        while index < end and (value[index] != "," or in_parentheses):
            if value[index] in "()":
                in_parentheses = value[index] == "("
            index += 1
        pieces.append(value[start:index])
    return "".join(pieces)
