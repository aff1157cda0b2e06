"""The DOM-operations protocol between the renderer and a backend.

The renderer never touches a DOM. It appends operations to an OpBuffer as a flat list
(opcode, args..., opcode, args...) and a backend applies the whole list at once: the browser
backend with one call into a small JS applier per flush, the memory backend in Python for tests.

Nodes are named by integer ids the renderer allocates. CLONE gives a template instance a
contiguous range: `base` names the instance's top-level nodes as a group, `base + 1 + i` its
i-th part node (an element with dynamic attributes, or the empty text node that anchors a
child slot). INSERT and REMOVE accept a group id and move all of its nodes.
"""

from __future__ import annotations

from typing import Any, Protocol

DEFINE = 0  # tid, html: register a template; markers become parts in document order
CLONE = 1  # tid, base: clone it; base = the group of top-level nodes, base+1.. = parts
TEXT = 2  # id, text: set a text node's data
ATTR = 3  # id, name, value: setAttribute
UNATTR = 4  # id, name: removeAttribute
PROP = 5  # id, name, value: element[name] = value
STYLE = 6  # id, name, value | None: style.setProperty / removeProperty
INSERT = 7  # id, ref: insert node or group before the first node of ref (a move if attached)
REMOVE = 8  # id: detach node or group
DROP = 9  # base, count: forget ids base .. base+count-1
LISTEN = 10  # id, type, handler: route `type` events on this element to handler id
UNLISTEN = 11  # id, type
CREATE_TEXT = 12  # id, text: a new text node
MOUNT = 13  # container id, anchor id, selector: find the container, append an empty anchor
RAW_HTML = 14  # id, html: parse, sanitise, keep the nodes as group `id`
REMOVE_RANGE = 15  # first, end: remove every node from first's first node up to (not) end
UNMOUNT = 16  # container id, anchor id: remove the anchor

NAMES = {
    value: name
    for name, value in list(globals().items())
    if name.isupper() and isinstance(value, int) and name != "NAMES"
}
ARITY = {
    DEFINE: 2, CLONE: 2, TEXT: 2, ATTR: 3, UNATTR: 2, PROP: 3, STYLE: 3, INSERT: 2, REMOVE: 1,
    DROP: 2, LISTEN: 3, UNLISTEN: 2, CREATE_TEXT: 2, MOUNT: 3, RAW_HTML: 2, REMOVE_RANGE: 2,
    UNMOUNT: 2,
}  # fmt: skip


class Backend(Protocol):
    """Applies a flush's operations; dispatches DOM events to `dispatch(handler_id, event)`."""

    def apply(self, ops: list[Any]) -> None: ...

    def node(self, node_id: int) -> Any: ...


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
