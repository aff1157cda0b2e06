"""The renderer of one document: node ids, the op buffer, template definitions, and commits.

The data path, top down: a component's render() returns a t-string; `instantiate` (or a child
slot holding the same template, which updates its instance) looks up the template's part plan
(parsed and planned once per `strings` tuple, defined once in the backend); the instance's
parts compare their new values with the last ones and emit operations (framework.dom.ops) for
what changed; `commit` sends the buffered operations to the backend in one call. DOM events
come back through `handle_event`.
"""

from __future__ import annotations

from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework import files
from framework.dom import ops as op
from framework.reactive import before_flush, flush_after
from framework.template import scoping
from framework.template.events import EventRouter
from framework.template.instance import TemplateInstance
from framework.template.located import locate, mark_slot
from framework.template.parser import TemplateSyntaxError, parse
from framework.template.plan import TemplateMeta, plan_template
from framework.template.specs import ParsedTemplate

if TYPE_CHECKING:
    from collections.abc import Callable

    from framework.dom.backend import Backend


def renderer_for(backend: Backend) -> Renderer:
    """The renderer of a backend's document, created with the first mount: one per document,
    so every mount shares template definitions and event handlers. It is the backend's own
    attribute (not an entry in a registry), so a test's MemoryDom and everything rendered into
    it are freed together when the test lets go of it."""
    found = backend.renderer
    if found is None:
        found = backend.renderer = Renderer(backend)
    return found


class Renderer:
    """Owns node ids, template definitions, event handlers and the op buffer of one document."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.ops: list[Any] = []
        self.templates: dict[tuple[str, ...], TemplateMeta] = {}
        # The same strings rendered by a styled component: planned again, with its scope
        # attribute on every element (scoping.py), keyed by (scope, strings).
        self.scoped_templates: dict[tuple[str, tuple[str, ...]], TemplateMeta] = {}
        self.stylesheets: set[str] = set()  # the keys of the stylesheets the document has
        self.events = EventRouter()
        self._next_id = 1
        self._last_drop = -1  # where the last DROP op starts in self.ops, to merge the next
        self._schedule = backend.schedule
        self._commit_pending = False
        # Templates an instance of which made a part whose release the app can see (see
        # release_later), by tid; and the releases waiting for the frame to be painted.
        self.loud_templates: set[int] = set()
        self._released_later: list[Callable[[], None]] = []
        self._after_paint: Callable[[Callable[[], None]], None] | None = getattr(
            backend, "after_paint", None
        )

    # -- templates -----------------------------------------------------------------------------

    def instantiate(self, template: Template, before: int = 0) -> TemplateInstance:
        """A new instance of template, inserted before node `before` (0: not placed yet)."""
        try:
            return TemplateInstance(self, self.meta(template), template.values, before)
        except Exception as error:  # the user's mistake, shown at the slot in their source
            locate(error, template)
            raise

    def meta(self, template: Template) -> TemplateMeta:
        strings = template.strings
        scope = scoping.scope
        if scope is not None:
            return self._scoped_meta(template, scope)
        found = self.templates.get(strings)
        if found is None:
            found = self._plan(template, self._parse(template))
            self.templates[strings] = found
        return found

    def _parse(self, template: Template) -> ParsedTemplate:
        expressions = tuple(i.expression for i in template.interpolations)
        try:
            return parse(template.strings, expressions)
        except TemplateSyntaxError as error:
            mark_slot(error, error.slot)
            locate(error, template)
            raise

    def _scoped_meta(self, template: Template, scope: str) -> TemplateMeta:
        key = (scope, template.strings)
        found = self.scoped_templates.get(key)
        if found is None:
            unscoped = self.templates.get(template.strings)
            parsed = unscoped.parsed if unscoped is not None else self._parse(template)
            html = scoping.scoped_html(parsed.html, scope)
            found = self._plan(template, ParsedTemplate(html, parsed.parts, parsed.slot_count))
            self.scoped_templates[key] = found
        return found

    def _plan(self, template: Template, parsed: ParsedTemplate) -> TemplateMeta:
        tid = len(self.templates) + len(self.scoped_templates) + 1
        try:
            found = plan_template(tid, template.strings, parsed)
        except Exception as error:
            locate(error, template)
            raise
        self.emit(op.DEFINE, found.tid, parsed.html, found.fills, found.listens)
        self.events.routes_up_to(max(found.event_offsets, default=0))
        return found

    # -- ids, ops and commits ------------------------------------------------------------------

    def alloc(self, count: int) -> int:
        base = self._next_id
        self._next_id += count
        return base

    def emit(self, *entry: Any) -> None:
        self.ops.extend(entry)
        if not self._commit_pending:
            self._commit_pending = True
            self._schedule(self.commit)

    def drop(self, base: int, count: int) -> None:
        """Forget ids base .. base+count-1; a DROP right after one that ends at base grows it,
        so clearing a list of rows created together costs one op, not one per row."""
        ops = self.ops
        last = self._last_drop
        if last >= 0 and last + 3 == len(ops) and ops[last + 1] + ops[last + 2] == base:
            ops[last + 2] += count
            return
        self._last_drop = len(ops)
        self.emit(op.DROP, base, count)

    def release_later(self, release: Callable[[], None]) -> None:
        """Run release() once the frame is painted (the backend's `after_paint`), or at the
        start of the next flush if that comes first, so that no effect of what it releases
        runs meanwhile: rows removed together, whose nodes left with this batch, let go of
        their effects, routes and ids off the path from the click to the screen (the rows of
        a cleared list: half of its Python). A backend without `after_paint` (MemoryDom: a
        test sees every op of a batch) has it run now."""
        if self._after_paint is None:
            release()
            return
        if not self._released_later:
            self._after_paint(self.release_pending)
            before_flush(self.release_pending)
        self._released_later.append(release)

    def release_pending(self) -> None:
        """Run the releases release_later() is holding, now."""
        pending, self._released_later = self._released_later, []
        for release in pending:
            release()

    def commit(self) -> None:
        """Send the buffered operations to the backend in one call."""
        batch = self.take_ops()
        if batch is not None:
            self.backend.apply(batch)

    def take_ops(self) -> list[Any] | None:
        """The buffered operations, now the caller's to apply; None when there are none."""
        self._commit_pending = False
        if not self.ops:
            return None
        batch, self.ops = self.ops, []
        self._last_drop = -1  # it pointed into this batch
        return batch

    # -- events --------------------------------------------------------------------------------

    def handle_event(self, node: int, event_type: str, event: Any) -> list[Any] | None:
        """A DOM event from the backend, for the element with id `node`: its handlers run as
        `run_as_event` runs work. Returns the operations that finish the event, for the backend
        to apply as its dispatch returns, in the same frame: the browser's applier gets them as
        its listener's return value, one call fewer."""
        return self.run_as_event(self.events.dispatch, node, event_type, event)

    def run_as_event(self, fn: Callable[..., object], *args: Any) -> list[Any] | None:
        """fn(*args), then the work it caused (effects) inside this call, with nothing
        scheduled meanwhile (in the browser each would be a call between JS and Python): what
        a DOM event does. Returns the operations buffered by then, for the caller to apply so
        that the result is painted in this frame; if fn or an effect raises, they are
        committed before the error propagates."""
        self._commit_pending = True  # the event's operations leave with it: nothing to schedule
        try:
            flush_after(fn, *args)
        except BaseException:
            self.commit()  # what ran before the error still reaches the page
            raise
        files.changed()  # a handler may have written a persistent folder: its save starts now
        return self.take_ops()
