"""The Backend protocol: everything the core asks of a document it renders into.

Two implementations: framework.browser.dom.BrowserDom (the page, one JS call per commit) and
framework.dom.memory.MemoryDom (an in-memory tree for tests). The renderer speaks to a backend
only through these members; the operations themselves are framework.dom.ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from framework.template.renderer import Renderer


class Backend(Protocol):
    """A document: applies batches of operations and sends its DOM events to its renderer."""

    renderer: Renderer | None
    """The one renderer of this document: None until the first mount sets it (see
    framework.template.renderer.renderer_for). The backend sends each delegated DOM event to
    `renderer.handle_event(listener_id, event_type, event)` and applies the batch it returns
    (the operations that finish the event; None: none) before the event goes on to the next
    element; it drops events while the renderer is None."""

    def apply(self, ops: list[Any]) -> None:
        """Apply one batch of operations (a flat list: opcode, arguments, opcode, ...)."""

    def node(self, node_id: int) -> Any:
        """The document's node for an id (what a Ref's `current` gives)."""

    def schedule(self, commit: Callable[[], None]) -> None:
        """Arrange for commit() to run after the current Python work: the renderer asks when
        the first operation of a batch is buffered, and not again until commit() runs.

        The browser queues a microtask, so the operations of one turn reach the DOM in one
        call before the next paint. A backend may instead leave commits to its owner by doing
        nothing here: MemoryDom does, so a test decides when a batch is applied
        (Mounted.flush(), or an event it dispatches) and can assert on exactly that batch.

        A backend may also have `after_paint(callback)`: run callback once the frame the
        current work goes into is painted. The renderer then releases the rows of a list removed
        at once there (Renderer.release_later); without it (MemoryDom) they are released at
        once."""
