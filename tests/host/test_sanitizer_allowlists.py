"""framework/dom/sanitizer.py restates DOMPurify's default tables for the memory backend: read from
the pinned DOMPurify itself (dist/purify.js in the runtime cache), they must be the same or
stricter, so that a DOMPurify upgrade that narrows one is noticed here.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from framework.cli import assets
from framework.dom import sanitizer

PURIFY = assets.npm_root() / "dompurify" / "dist" / "purify.js"


@cache
def tables() -> dict[str, frozenset[str]]:
    """Every string list purify.js names (`const x = freeze([...])` or `addToSet({}, [...])`),
    in lower case, as DOMPurify compares names."""
    source = PURIFY.read_text(encoding="utf-8")
    lists = re.findall(
        r"const ([\w$]+) = (?:freeze\(|addToSet\(\{\}, )\[([^\]]*)\]", source, re.DOTALL
    )
    return {
        name: frozenset(item.lower() for item in re.findall(r'"([^"]*)"', body))
        for name, body in lists
    }


def union(*names: str) -> frozenset[str]:
    return frozenset().union(*(tables()[name] for name in names))


def test_the_pinned_dompurify_is_the_one_restated() -> None:
    assert assets.npm_versions()["dompurify"] == "3.4.18"
    assert "3.4.18" in (sanitizer.__doc__ or "")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (sanitizer.ELEMENTS, ("html$1", "svg$1", "svgFilters", "mathMl$1")),
        (sanitizer.ATTRIBUTES, ("html", "svg", "mathMl", "xml")),
        (sanitizer.NOT_URLS, ("DEFAULT_URI_SAFE_ATTRIBUTES",)),
        (sanitizer.DATA_URL_ELEMENTS, ("DEFAULT_DATA_URI_TAGS",)),
    ],
    ids=["elements", "attributes", "attributes-not-urls", "data-url-elements"],
)
def test_what_ours_allow_dompurify_allows(ours: frozenset[str], theirs: tuple[str, ...]) -> None:
    assert ours - union(*theirs) == frozenset()


def test_every_element_whose_content_dompurify_drops_drops_it_here() -> None:
    assert union("DEFAULT_FORBID_CONTENTS") - sanitizer.CONTENT_DROPPED == frozenset()


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (sanitizer.SVG_NAMES, ("svg$1", "svgFilters", "svgDisallowed")),
        (sanitizer.MATHML_NAMES, ("mathMl$1", "mathMlDisallowed")),
    ],
    ids=["svg", "mathml"],
)
def test_the_namespace_rules_know_the_same_names(
    ours: frozenset[str], theirs: tuple[str, ...]
) -> None:
    """These decide in both directions (an SVG name is allowed in SVG, refused in HTML): the same."""
    assert ours == union(*theirs)
