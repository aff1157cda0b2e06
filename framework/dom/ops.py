"""The DOM-operations protocol between the renderer and a backend.

The renderer never touches a DOM. It appends operations to one flat list
(opcode, args..., opcode, args...) and a backend applies the whole list at once: the browser
backend with one call into a small JS applier per flush, the memory backend in Python for tests.

Nodes are named by integer ids the renderer allocates. CLONE gives a template instance a
contiguous range: `base` names the instance's top-level nodes as a group, `base + 1 + i` its
i-th part node (an element with dynamic attributes, or the empty text node that anchors a
child slot). INSERT and REMOVE accept a group id and move all of its nodes.

A row is one CLONE: it carries the row's first texts and attributes (the template's `fills`,
named by DEFINE) and where to insert it, and its elements route the events the template names,
so creating 1,000 rows is 1,000 operations, not seven thousand. The operations, their
codes and arguments are listed in protocol.json, which the browser's applier reads too.
"""

from __future__ import annotations

from typing import Any

from framework.dom.protocol import CODES, OPS

# Plain int constants for the renderer's hot paths; their values, and each op's arguments, are
# protocol.json's (tests/unit/test_protocol.py checks that every op there has its name here).
DEFINE: int = CODES["DEFINE"]
CLONE: int = CODES["CLONE"]
TEXT: int = CODES["TEXT"]
ATTR: int = CODES["ATTR"]
UNATTR: int = CODES["UNATTR"]
PROP: int = CODES["PROP"]
STYLE: int = CODES["STYLE"]
INSERT: int = CODES["INSERT"]
REMOVE: int = CODES["REMOVE"]
DROP: int = CODES["DROP"]
CREATE_TEXT: int = CODES["CREATE_TEXT"]
MOUNT: int = CODES["MOUNT"]
RAW_HTML: int = CODES["RAW_HTML"]
REMOVE_RANGE: int = CODES["REMOVE_RANGE"]
UNMOUNT: int = CODES["UNMOUNT"]
STYLESHEET: int = CODES["STYLESHEET"]
PORTAL: int = CODES["PORTAL"]
TRAP_FOCUS: int = CODES["TRAP_FOCUS"]
RELEASE_FOCUS: int = CODES["RELEASE_FOCUS"]
ENTER: int = CODES["ENTER"]
LEAVE: int = CODES["LEAVE"]
END_LEAVES: int = CODES["END_LEAVES"]
FLIP: int = CODES["FLIP"]

NAMES = {spec.code: spec.name for spec in OPS}
ARITY = {spec.code: len(spec.args) for spec in OPS}


def decode(ops: list[Any]) -> list[tuple[Any, ...]]:
    """Split a flat op list into (opcode, *args) tuples: for backends and test assertions."""
    result: list[tuple[Any, ...]] = []
    index = 0
    while index < len(ops):
        code = ops[index]
        count = ARITY[code]
        result.append((code, *ops[index + 1 : index + 1 + count]))
        index += 1 + count
    return result
