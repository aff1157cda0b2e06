"""framework/dom/protocol.json is the one statement of the DOM protocol: the op constants are its
codes, the applier holds no copy of its tables, and the rules for bound URLs it defines. (What
raw HTML loses is dangerous_html()'s behaviour: tests/unit/test_sanitizer.py.)"""

import json
import re
from pathlib import Path

import pytest

from framework.dom import ops, protocol

APPLIER = Path(protocol.PATH).parents[1] / "browser" / "applier.js"
TABLE = json.loads(protocol.TEXT)


def test_every_op_has_its_constant_with_the_protocols_code():
    constants = {
        name: value
        for name, value in vars(ops).items()
        if name.isupper() and type(value) is int  # NAMES and ARITY are dicts
    }
    assert constants == {op["name"]: code for code, op in enumerate(TABLE["ops"])}


def test_arity_is_the_number_of_named_arguments():
    flat = [ops.ATTR, 7, "title", "x", ops.REMOVE, 7, ops.STYLE, 7, "color", None]
    assert ops.decode(flat) == [
        (ops.ATTR, 7, "title", "x"),
        (ops.REMOVE, 7),
        (ops.STYLE, 7, "color", None),
    ]
    assert {code: len(op["args"]) for code, op in enumerate(TABLE["ops"])} == ops.ARITY


def strings_in(value):
    """Every string of a JSON value (lists and objects' values), prose left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            if key not in ("about", "does")
            for text in strings_in(item)
        ]
    return []


def test_the_applier_keeps_no_copy_of_the_tables():
    """applier.js is handed protocol.json at boot (configure); a name or op code written into it
    by hand would drift from the Python side, as its URL list once did (7 names of 20)."""
    source = re.sub(r"//[^\n]*", "", APPLIER.read_text(encoding="utf-8"))  # code, not comments
    literals = set(re.findall(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', source))
    literals = {text for pair in literals for text in pair}
    facts = {text for text in strings_in(TABLE) if text.strip()}
    assert not literals & facts
    assert not re.search(r"\bcase\s+\d", source), "op codes are read from the protocol"


@pytest.mark.parametrize(
    ("url", "image", "blocked"),
    [
        ("javascript:alert(1)", False, True),
        ("\u0000 JaVa\tScRipt:x", False, True),
        ("vbscript:x", False, True),
        ("data:text/html,<script>x</script>", False, True),
        ("data:image/png;base64,AAAA", True, False),
        ("data:image/png;base64,AAAA", False, True),
        ("data:image/svg+xml,<svg onload=x()>", True, True),
        ("data:image/png;base64,AA AA", True, False),  # spaces are ignored, as by browsers
        ("https://example.org/javascript:x", False, False),
        ("ſcript:x", False, False),  # not ASCII: no scheme at all, as in JavaScript's RegExp
        ("", False, False),
    ],
)
def test_blocked_urls(url, image, blocked):
    assert protocol.is_blocked_url(url, image) is blocked
    expected = protocol.BLOCKED_PREFIX + url if blocked else url
    assert protocol.neutralise_url(url, image) == expected


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [
        ("a.png 1x, javascript:x 2x", "a.png 1x, unsafe:javascript:x 2x"),
        ("data:image/png;base64,AAAA 1x,b.png 2x", "data:image/png;base64,AAAA 1x,b.png 2x"),
        ("javascript:x,b.png", "unsafe:javascript:x,b.png"),
        ("a.png (x, y) 1x, javascript:x", "a.png (x, y) 1x, unsafe:javascript:x"),
        ("  ,, a.png  ", "  ,, a.png  "),
        ("", ""),
    ],
)
def test_each_srcset_url_is_checked_and_the_rest_kept(srcset, expected):
    assert protocol.neutralise_srcset(srcset) == expected
