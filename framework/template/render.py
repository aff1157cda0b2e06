"""Render t-string templates into a DOM backend, touching only the slots whose values changed.

A template is parsed once per `strings` tuple and defined once in the backend. An instance is a
clone plus one part per dynamic place; re-rendering hands the new interpolation values to the
parts, and each part emits operations only when its value changed. Lists of templates or
components are reconciled by key, moving nodes instead of recreating them.
"""

from __future__ import annotations

import asyncio
import inspect
import operator
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from string.templatelib import Template
from types import MethodType
from typing import Any

from framework.dom import ops as op
from framework.errors import report_error
from framework.reactive import Computed, Effect, Signal, run_with_owner
from framework.template import safety
from framework.template.parser import (
    CHILD_MARKER,
    AttrSpec,
    ChildSpec,
    ElementSpec,
    ParsedTemplate,
    parse,
)

__all__ = ["Keyed", "Memo", "Mountable", "Ref", "Renderer", "TemplateInstance", "each", "keyed"]

KEY_FILTERS = {
    "enter": ("Enter",),
    "escape": ("Escape", "Esc"),
    "esc": ("Escape", "Esc"),
    "tab": ("Tab",),
    "space": (" ", "Spacebar"),
    "up": ("ArrowUp",),
    "down": ("ArrowDown",),
    "left": ("ArrowLeft",),
    "right": ("ArrowRight",),
    "delete": ("Delete", "Backspace"),
}
EVENT_MODIFIERS = frozenset({"prevent", "stop", "once", "self", *KEY_FILTERS})


@dataclass(frozen=True, slots=True)
class Keyed:
    """A list item with an explicit key, so reordering moves its nodes."""

    key: Any
    value: Any


def keyed(key: Any, value: Any) -> Keyed:
    return Keyed(key, value)


class Memo:
    """A list item rendered from `source` only when needed: `each()` makes these."""

    __slots__ = ("_value", "render", "source")

    def __init__(self, source: Any, render: Callable[[Any], Any]) -> None:
        self.source, self.render = source, render
        self._value: Any = _UNSET

    @property
    def value(self) -> Any:
        if self._value is _UNSET:
            self._value = self.render(self.source)
        return self._value


def each(
    items: Iterable[Any], render: Callable[[Any], Any], *, key: Callable[[Any], Any] | None = None
) -> list[Keyed]:
    """A keyed list that calls `render(item)` only for items it has not rendered yet, or whose
    object changed since (compared by identity, so keep items immutable and replace them):

        {each(rows, lambda row: t"<tr><td>{row.label}</td></tr>", key=lambda row: row.id)}

    A re-render of the parent then costs one identity check per unchanged row. `render` must
    depend only on its item (anything else it shows should be a Signal or Computed in a slot,
    which updates on its own). Without `key`, the item itself is the key.
    """
    if key is None:
        return [Keyed(item, Memo(item, render)) for item in items]
    return [Keyed(key(item), Memo(item, render)) for item in items]


class Ref:
    """Filled with the DOM node of `ref={r}` once it is in the document."""

    __slots__ = ("_id", "_renderer")

    def __init__(self) -> None:
        self._renderer: Renderer | None = None
        self._id = 0

    @property
    def current(self) -> Any:
        if self._renderer is None:
            return None
        self._renderer.commit()
        return self._renderer.backend.node(self._id)


class Mountable:
    """A child value that mounts itself (a component call). Subclassed by the component layer."""

    key: Any = None

    def create_host(self, renderer: Renderer) -> Content:
        raise NotImplementedError

    def same_kind(self, host: Content) -> bool:
        raise NotImplementedError

    def update_host(self, host: Content) -> None:
        raise NotImplementedError


PartPlan = tuple[tuple[type["Part"], int, tuple[Any, ...]], ...]


@dataclass(slots=True)
class TemplateMeta:
    tid: int
    strings: tuple[str, ...]
    parsed: ParsedTemplate
    has_roots: bool
    plan: PartPlan  # how to build each part: (class, node offset, arguments), checked once
    # Child slots at the top level, as indexes into the instance's parts: their content sits
    # beside the instance's own top-level nodes, not inside them, so it moves with them here.
    top_parts: tuple[int, ...] = ()
    leading: int | None = None  # the top-level slot that comes first, before any node
    # For each slot: the index of the part that reads it, and whether the same object there
    # means "unchanged" whatever its type (a handler, a ref, a bound signal). Elsewhere only an
    # immutable value can be skipped by identity: a list or dict may have changed in place.
    slot_parts: tuple[int, ...] = ()
    stable_slots: tuple[bool, ...] = ()


@dataclass(slots=True)
class Handler:
    fn: Callable[..., Any]
    modifiers: tuple[str, ...]
    node: int
    event_type: str
    group: list[int]  # the ids of every handler of this element and event type (shared list)
    listener: int  # the id the document knows this element and event type by


class Renderer:
    """Owns node ids, template definitions, event handlers and the op buffer of one document."""

    def __init__(
        self, backend: op.Backend, schedule: Callable[[Callable[[], None]], Any] | None = None
    ):
        self.backend = backend
        self.ops: list[Any] = []
        self.templates: dict[tuple[str, ...], TemplateMeta] = {}
        self.handlers: dict[int, Handler] = {}
        # Several handlers may share an element and event type (`onkeydown.enter` and
        # `onkeydown.escape`, or `bind:value` and `oninput`): the document knows one id per
        # (node, type), the first handler's, and dispatch runs every handler of that group.
        self._groups: dict[tuple[int, str], Handler] = {}  # (node, type) -> its first handler
        self._listeners: dict[int, list[int]] = {}  # listener id -> the group's handler ids
        self._next_id = 1
        self._next_handler = 1
        self.leaving = 0  # > 0 while releasing nodes that leave the document (no UNLISTEN)
        self._last_drop = -1  # where the last DROP op starts in self.ops, to merge the next
        self._schedule = schedule
        self._commit_pending = False

    # -- ids, ops and commits ------------------------------------------------------------------

    def alloc(self, count: int) -> int:
        base = self._next_id
        self._next_id += count
        return base

    def emit(self, *entry: Any) -> None:
        self.ops.extend(entry)
        if not self._commit_pending and self._schedule is not None:
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

    def commit(self) -> None:
        """Send the buffered operations to the backend in one call."""
        self._commit_pending = False
        if self.ops:
            batch, self.ops = self.ops, []
            self.backend.apply(batch)

    # -- templates -----------------------------------------------------------------------------

    def meta(self, template: Template) -> TemplateMeta:
        strings = template.strings
        found = self.templates.get(strings)
        if found is None:
            expressions = tuple(i.expression for i in template.interpolations)
            parsed = parse(strings, expressions)
            plan, owners, stable = _part_plan(parsed, len(strings) - 1)
            found = TemplateMeta(len(self.templates) + 1, strings, parsed, bool(parsed.html), plan)
            found.top_parts, found.leading = _top_level_slots(parsed)
            found.slot_parts, found.stable_slots = owners, stable
            self.templates[strings] = found
            self.emit(op.DEFINE, found.tid, parsed.html)
        return found

    def instantiate(self, template: Template) -> TemplateInstance:
        meta = self.meta(template)
        instance = TemplateInstance(self, meta)
        instance.update(template.values)
        return instance

    # -- events --------------------------------------------------------------------------------

    def listen(
        self, node: int, event_type: str, fn: Callable[..., Any], mods: tuple[str, ...]
    ) -> int:
        """Route `event_type` on node to fn; mods were checked with the template's part plan."""
        handler_id = self._next_handler
        self._next_handler += 1
        first = self._groups.get((node, event_type))
        if first is None:
            group = [handler_id]
            handler = Handler(fn, mods, node, event_type, group, handler_id)
            self._groups[node, event_type] = handler
            self._listeners[handler_id] = group
            self.emit(op.LISTEN, node, event_type, handler_id)
        else:
            first.group.append(handler_id)
            handler = Handler(fn, mods, node, event_type, first.group, first.listener)
        self.handlers[handler_id] = handler
        return handler_id

    def unlisten(self, handler_id: int) -> None:
        """Drop a handler; the element stops listening once its last handler of a type goes."""
        handler = self.handlers.pop(handler_id, None)
        if handler is None:
            return
        group = handler.group
        if len(group) > 1:
            group.remove(handler_id)
            return
        del self._listeners[handler.listener]
        del self._groups[handler.node, handler.event_type]
        if not self.leaving:
            self.emit(op.UNLISTEN, handler.node, handler.event_type)

    def dispatch(self, listener_id: int, event: Any) -> None:
        """Called by the backend for a delegated DOM event: run each handler of the element."""
        group = self._listeners.get(listener_id)
        if group is None:
            return
        if len(group) == 1:
            self._run_handler(group[0], event)
            return
        for handler_id in list(group):  # a handler may remove itself (`once`)
            self._run_handler(handler_id, event)

    def _run_handler(self, handler_id: int, event: Any) -> None:
        """One handler, with its modifiers; its error goes to the error reporter."""
        handler = self.handlers.get(handler_id)
        if handler is None:
            return
        try:
            if not _passes_filters(handler.modifiers, event):
                return
            if "prevent" in handler.modifiers:
                event.preventDefault()
            if "stop" in handler.modifiers:
                event.stopPropagation()
            if "once" in handler.modifiers:
                self.unlisten(handler_id)
            _call_handler(handler.fn, event)
        except Exception as error:  # noqa: BLE001 - a handler's bug must not kill the page
            report_error(error)


def _passes_filters(modifiers: tuple[str, ...], event: Any) -> bool:
    keys = [KEY_FILTERS[m] for m in modifiers if m in KEY_FILTERS]
    if keys and not any(getattr(event, "key", None) in accepted for accepted in keys):
        return False
    return not ("self" in modifiers and event.target != event.currentTarget)


_ARITY: dict[Any, int] = {}


def _call_handler(fn: Callable[..., Any], event: Any) -> None:
    """Handlers may take the event or nothing: `lambda: ...` and `def on_click(self, event)`."""
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    if code is None:
        fn(event)
        return
    arity = _ARITY.get(code)
    if arity is None:
        arity = code.co_argcount - (1 if hasattr(fn, "__self__") else 0)
        arity = 1 if code.co_flags & 0x04 else arity  # *args takes the event
        _ARITY[code] = arity
    result = fn(event) if arity else fn()
    if inspect.iscoroutine(result):
        run_handler_task(result)


_handler_tasks: set[asyncio.Task[Any]] = set()  # strong references until each task is done


def run_handler_task(coroutine: Coroutine[Any, Any, Any]) -> None:
    """An `async def` handler runs as a task on the event loop; its error reaches the reporter."""
    task = asyncio.ensure_future(coroutine)
    _handler_tasks.add(task)
    task.add_done_callback(_handler_task_done)


def _handler_task_done(task: asyncio.Task[Any]) -> None:
    _handler_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        report_error(task.exception())


# -- contents: what a child slot (or a list item) can hold -----------------------------------


class Content:
    """Nodes owned by a slot: knows its first node, how to move and how to remove itself."""

    def first(self) -> int | None:
        raise NotImplementedError

    def move_before(self, ref: int) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError


class TemplateInstance(Content):
    __slots__ = ("base", "meta", "parts", "renderer", "values")

    def __init__(self, renderer: Renderer, meta: TemplateMeta) -> None:
        self.renderer, self.meta = renderer, meta
        count = len(meta.parsed.parts)
        self.base = renderer.alloc(count + 1)
        base = self.base
        renderer.emit(op.CLONE, meta.tid, base)
        self.parts: list[Part] = [cls(renderer, base + at, *args) for cls, at, args in meta.plan]
        self.values: tuple[Any, ...] | None = None  # the last values every part took

    def update(self, values: tuple[Any, ...]) -> None:
        """Hand the new values to the parts whose slots changed: a re-render where most slots
        hold the same objects costs one identity check per slot, not a call per part."""
        old = self.values  # the last values every part took: set only once all of them did
        parts = self.parts
        if old is None:
            for part in parts:
                part.update(values)
        else:
            owners, stable = self.meta.slot_parts, self.meta.stable_slots
            last = -1
            for slot, value in enumerate(values):
                previous = old[slot]
                if value is previous:
                    if stable[slot] or type(value) in _IMMUTABLE_TYPES:
                        continue
                elif type(value) is MethodType and stable[slot] and value == previous:
                    continue  # `onclick={self.save}` is a new bound method each render
                index = owners[slot]
                if index != last:  # a part with several slots updates once
                    parts[index].update(values)
                    last = index
        self.values = values

    def first(self) -> int | None:
        if self.meta.leading is not None:  # content of a leading slot comes before its anchor
            leading = self.parts[self.meta.leading]
            assert isinstance(leading, ChildPart)
            return leading.first()
        return self.base if self.meta.has_roots else None

    def move_before(self, ref: int) -> None:
        if self.meta.has_roots:
            self.renderer.emit(op.INSERT, self.base, ref)
            # The group is the top-level nodes of the clone; a top-level slot's content is
            # not among them (at first it waits in the clone's fragment), so it follows here,
            # back in front of its anchor.
            for index in self.meta.top_parts:
                part = self.parts[index]
                assert isinstance(part, ChildPart)
                if part.content is not None:
                    part.content.move_before(part.node)

    def remove(self) -> None:
        if self.meta.has_roots:
            self.renderer.emit(op.REMOVE, self.base)
            for index in self.meta.top_parts:  # their content is not in the group either
                part = self.parts[index]
                assert isinstance(part, ChildPart)
                part.release_and_remove()
        self.release()

    def release(self) -> None:
        """Free what the parts hold (handlers, components, effects) and the node ids. The nodes
        are leaving the document, so their listeners need no UNLISTEN."""
        renderer = self.renderer
        renderer.leaving += 1
        try:
            for part in self.parts:
                part.release()
        finally:
            renderer.leaving -= 1
        renderer.drop(self.base, len(self.meta.parsed.parts) + 1)


class SingleNode(Content):
    """Content that is one node id (a text node, or the group of nodes of raw HTML)."""

    __slots__ = ("id", "renderer")

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.id = renderer.alloc(1)

    def first(self) -> int:
        return self.id

    def move_before(self, ref: int) -> None:
        self.renderer.emit(op.INSERT, self.id, ref)

    def remove(self) -> None:
        self.renderer.emit(op.REMOVE, self.id)
        self.renderer.drop(self.id, 1)


class TextItem(SingleNode):
    """A string or number inside a list: a text node of its own."""

    __slots__ = ("text",)

    def __init__(self, renderer: Renderer, text: str) -> None:
        super().__init__(renderer)
        self.text = text
        renderer.emit(op.CREATE_TEXT, self.id, text)

    def set(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.renderer.emit(op.TEXT, self.id, text)


class RawItem(SingleNode):
    """dangerous_html() markup, parsed and sanitised by the backend."""

    __slots__ = ()

    def __init__(self, renderer: Renderer, value: safety.DangerousHTML) -> None:
        super().__init__(renderer)
        renderer.emit(op.RAW_HTML, self.id, value.html)


# -- parts -------------------------------------------------------------------------------------


class Part:
    __slots__ = ("node", "renderer", "slots", "value")

    def __init__(self, renderer: Renderer, node: int, slots: tuple[int, ...]) -> None:
        self.renderer, self.node, self.slots = renderer, node, slots
        self.value: Any = _UNSET

    def update(self, values: tuple[Any, ...]) -> None:
        value = values[self.slots[0]]
        if value is self.value and _immutable(value):
            return
        self.commit(value)
        self.value = value

    def commit(self, value: Any) -> None:
        raise NotImplementedError

    def release(self) -> None:
        """Let go of handlers and effects; the nodes are removed by the owner."""


class _Unset:
    __slots__ = ()


_UNSET: Any = _Unset()


_IMMUTABLE = (str, int, float, bool, tuple, Signal, Computed)
_IMMUTABLE_TYPES = frozenset({type(None), *_IMMUTABLE})


def _immutable(value: object) -> bool:
    return type(value) in _IMMUTABLE_TYPES or isinstance(value, _IMMUTABLE)


class WatchingPart(Part):
    """An attribute, class, style or property part whose slots may hold a Signal or Computed:
    the part then follows it, writing only its own node when it changes, with no re-render.

    `apply(values)` is the part's plain update; with reactive slots it runs in an effect with
    each reactive slot replaced by its current value."""

    __slots__ = ("sources", "stop")

    def __init__(self, renderer: Renderer, node: int, slots: tuple[int, ...]) -> None:
        super().__init__(renderer, node, slots)
        self.sources: tuple[Any, ...] = ()
        self.stop: Callable[[], None] | None = None

    def update(self, values: tuple[Any, ...]) -> None:
        slots = self.slots
        if len(slots) == 1:  # the common case, without a generator
            reactive = isinstance(values[slots[0]], _REACTIVE)
        else:
            reactive = any(isinstance(values[slot], _REACTIVE) for slot in slots)
        if not reactive:
            if self.stop is not None:
                self.release()
            self.apply(values)
            return
        sources = tuple(values[slot] for slot in slots)
        if self.stop is not None and all(map(operator.is_, sources, self.sources, strict=True)):
            return  # the same signals as last render: already following them
        self.release()
        self.sources = sources
        self.stop = _detached_effect(lambda: self.apply(_resolved(values, slots)))

    def apply(self, values: tuple[Any, ...]) -> None:
        Part.update(self, values)

    def release(self) -> None:
        if self.stop is not None:
            self.stop()
            self.stop, self.sources = None, ()


_REACTIVE = (Signal, Computed)


def _resolved(values: tuple[Any, ...], slots: tuple[int, ...]) -> tuple[Any, ...]:
    """values with each Signal/Computed of the given slots read (and so tracked)."""
    current = list(values)
    for slot in slots:
        if isinstance(current[slot], _REACTIVE):
            current[slot] = current[slot].value
    return tuple(current)


class AttrPart(WatchingPart):
    __slots__ = ("name", "plain", "strings", "tag")

    def __init__(
        self, renderer: Renderer, node: int, tag: str, spec: AttrSpec, absent: bool
    ) -> None:
        super().__init__(renderer, node, spec.slots)
        if absent:
            self.value = None  # what the clone has: no such attribute
        self.tag, self.name, self.strings = tag, spec.name, spec.strings  # checked in the plan
        self.plain = len(spec.slots) == 1 and not any(spec.strings)  # `name={value}` alone

    def apply(self, values: tuple[Any, ...]) -> None:
        if self.plain:
            Part.update(self, values)
            return
        pieces = [self.strings[0]]
        for index, slot in enumerate(self.slots, start=1):
            pieces.append(_attr_piece(values[slot]))
            pieces.append(self.strings[index] if index < len(self.strings) else "")
        joined = "".join(pieces)
        if joined != self.value:
            self.commit(joined)
            self.value = joined

    def commit(self, value: Any) -> None:
        if value is None or value is False:
            self.renderer.emit(op.UNATTR, self.node, self.name)
        elif value is True:
            self.renderer.emit(op.ATTR, self.node, self.name, "")
        else:
            text = safety.attribute_string(self.tag, self.name, value)
            self.renderer.emit(op.ATTR, self.node, self.name, text)


def _attr_piece(value: Any) -> str:
    return "" if value is None or value is False else str(value)


class BoolPart(WatchingPart):
    __slots__ = ("name",)

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec, absent: bool) -> None:
        super().__init__(renderer, node, spec.slots)
        self.name = spec.name
        if absent:
            self.value = False  # what the clone has: no such attribute

    def commit(self, value: Any) -> None:
        if value:
            self.renderer.emit(op.ATTR, self.node, self.name, "")
        else:
            self.renderer.emit(op.UNATTR, self.node, self.name)


class ClassPart(AttrPart):
    __slots__ = ()

    def apply(self, values: tuple[Any, ...]) -> None:
        if self.plain:
            value = values[self.slots[0]]
            text = value if type(value) is str else safety.class_string(value)
        else:
            pieces = [self.strings[0]]
            for index, slot in enumerate(self.slots, start=1):
                pieces.append(safety.class_string(values[slot]) or "")
                pieces.append(self.strings[index] if index < len(self.strings) else "")
            text = " ".join("".join(pieces).split())
        if text != self.value:
            self.value = text
            if text:
                self.renderer.emit(op.ATTR, self.node, "class", text)
            else:
                self.renderer.emit(op.UNATTR, self.node, "class")


class StylePart(WatchingPart):
    __slots__ = ()

    def apply(self, values: tuple[Any, ...]) -> None:
        new = safety.style_dict(values[self.slots[0]])
        old: dict[str, str] = self.value if isinstance(self.value, dict) else {}
        for name in old.keys() - new.keys():
            self.renderer.emit(op.STYLE, self.node, name, None)
        for name, text in new.items():
            if old.get(name) != text:
                self.renderer.emit(op.STYLE, self.node, name, text)
        self.value = new


class PropPart(WatchingPart):
    __slots__ = ("name", "url")

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec) -> None:
        super().__init__(renderer, node, spec.slots)
        self.name = spec.name  # checked in the plan
        self.url = spec.name.lower() in safety.URL_ATTRIBUTES

    def commit(self, value: Any) -> None:
        if type(value) not in _PROPERTY_TYPES and not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"property .{self.name} takes str, number, bool or None")
        if self.url and isinstance(value, str):
            value = safety.sanitize_url(value)
        self.renderer.emit(op.PROP, self.node, self.name, value)


_PROPERTY_TYPES = frozenset({str, int, float, bool, type(None)})


class EventPart(Part):
    """A Python callable bound to a DOM event; the handler id stays, only the callable changes."""

    __slots__ = ("event_type", "handler_id", "modifiers")

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec) -> None:
        super().__init__(renderer, node, spec.slots)
        self.event_type, self.modifiers = spec.name, spec.modifiers
        self.handler_id = 0

    def update(self, values: tuple[Any, ...]) -> None:
        fn = values[self.slots[0]]
        if fn is self.value:
            return
        if fn is not None and not callable(fn):
            raise safety.UnsafeValueError(
                f"on{self.event_type} takes a Python callable, got {type(fn).__name__}: "
                "strings are never run as code"
            )
        if fn is None:
            self.release()
        elif self.handler_id:
            self.renderer.handlers[self.handler_id].fn = fn
        else:
            self.handler_id = self.renderer.listen(self.node, self.event_type, fn, self.modifiers)
        self.value = fn

    def release(self) -> None:
        if self.handler_id:
            self.renderer.unlisten(self.handler_id)
            self.handler_id = 0


class RefPart(Part):
    __slots__ = ()

    def commit(self, value: Any) -> None:
        if not isinstance(value, Ref):
            raise TypeError(f"ref= takes a Ref(), got {type(value).__name__}")
        value._renderer, value._id = self.renderer, self.node

    def release(self) -> None:
        if isinstance(self.value, Ref):
            self.value._renderer = None


class BindPart(Part):
    """Two-way binding: `bind:value={signal}`, `bind:checked={signal}`, `bind:group={signal}`."""

    __slots__ = ("cleanup", "handler_id", "name", "own_value", "tag")

    def __init__(
        self, renderer: Renderer, node: int, tag: str, spec: AttrSpec, own_value: str | None
    ) -> None:
        super().__init__(renderer, node, spec.slots)
        self.tag, self.name, self.own_value = tag, spec.name, own_value
        if spec.name == "group" and own_value is None:
            raise ValueError('bind:group needs a static value="..." on the same element')
        self.handler_id = 0
        self.cleanup: Callable[[], None] | None = None
        if self.name not in ("value", "checked", "group"):
            raise ValueError(f"bind:{self.name} is not supported: use value, checked or group")

    def commit(self, value: Any) -> None:
        if not isinstance(value, Signal):
            raise TypeError(f"bind:{self.name} takes a Signal, got {type(value).__name__}")
        self.release()
        signal = value
        event = "input" if self.name == "value" and self.tag in ("input", "textarea") else "change"

        def write_back(event_object: Any) -> None:
            target = event_object.target
            if self.name == "value":
                signal.value = target.value
            elif self.name == "checked":
                signal.value = bool(target.checked)
            elif target.checked:
                signal.value = target.value

        def push() -> None:
            current = signal.value
            if self.name == "group":
                self.renderer.emit(op.PROP, self.node, "checked", current == self.own_value)
            else:
                self.renderer.emit(op.PROP, self.node, self.name, current)

        self.handler_id = self.renderer.listen(self.node, event, write_back, ())
        self.cleanup = _detached_effect(push)

    def release(self) -> None:
        if self.cleanup is not None:
            self.cleanup()
            self.cleanup = None
        if self.handler_id:
            self.renderer.unlisten(self.handler_id)
            self.handler_id = 0


def _detached_effect(fn: Callable[[], None]) -> Callable[[], None]:
    """An effect owned by no render (it lives until its part lets go); returns its disposer.
    A root effect, not an effect in a new scope: one object per binding in a long list."""
    return run_with_owner(None, Effect, fn).dispose


def _top_level_slots(parsed: ParsedTemplate) -> tuple[tuple[int, ...], int | None]:
    """Indexes (in the part plan's order) of the child slots at the top level, and of the one
    whose anchor is the template's first node, if any."""
    top: list[int] = []
    index = 0
    for spec in parsed.parts:
        if isinstance(spec, ChildSpec):
            if spec.top:
                top.append(index)
            index += 1
        else:
            index += len(spec.attrs)
    leading = top[0] if top and top[0] == 0 and parsed.html.startswith(CHILD_MARKER) else None
    return tuple(top), leading


_STABLE_KINDS = frozenset({"event", "ref", "bind"})


def _part_plan(
    parsed: ParsedTemplate, slot_count: int
) -> tuple[PartPlan, tuple[int, ...], tuple[bool, ...]]:
    """Each part's class and arguments, decided (and its names checked) once per template, so
    stamping out a row is one constructor call per part. Also, for each slot, the index of the
    part that reads it and whether identity alone shows it unchanged (see TemplateMeta)."""
    plan: list[tuple[type[Part], int, tuple[Any, ...]]] = []
    owners = [-1] * slot_count
    stable = [False] * slot_count
    for offset, spec in enumerate(parsed.parts, start=1):
        if isinstance(spec, ChildSpec):
            owners[spec.slot] = len(plan)
            plan.append((ChildPart, offset, ((spec.slot,),)))
            continue
        for attr in spec.attrs:
            for slot in attr.slots:
                owners[slot], stable[slot] = len(plan), attr.kind in _STABLE_KINDS
            cls, args = _attribute_plan(spec, attr)
            plan.append((cls, offset, args))
    if -1 in owners:
        raise AssertionError(f"slot {owners.index(-1)} belongs to no part")  # a parser bug
    return tuple(plan), tuple(owners), tuple(stable)


def _attribute_plan(element: ElementSpec, spec: AttrSpec) -> tuple[type[Part], tuple[Any, ...]]:
    if spec.kind == "event":
        _check_modifiers(spec)
    elif spec.kind == "prop":
        safety.check_property_name(spec.name)
    elif spec.kind in ("attr", "class", "bool"):
        safety.check_attribute_name(element.tag, spec.name)
    cls, arguments = _PART_KINDS.get(spec.kind, _PART_KINDS["attr"])
    return cls, arguments(element, spec)


def _check_modifiers(spec: AttrSpec) -> None:
    unknown = set(spec.modifiers) - EVENT_MODIFIERS
    if unknown:
        raise ValueError(
            f"unknown event modifier(s) {sorted(unknown)} on {spec.name}; "
            f"known: {sorted(EVENT_MODIFIERS)}"
        )


_Arguments = Callable[[ElementSpec, AttrSpec], tuple[Any, ...]]


def _absent(element: ElementSpec, spec: AttrSpec) -> bool:
    """Whether a fresh clone lacks the attribute: then a first value that removes it (None,
    False) sends no op, which spares every new row of a list an UNATTR for `class={None}`."""
    return element.static_value(spec.name) is None


_PART_KINDS: dict[str, tuple[type[Part], _Arguments]] = {
    "style": (StylePart, lambda element, spec: (spec.slots,)),
    "ref": (RefPart, lambda element, spec: (spec.slots,)),
    "event": (EventPart, lambda element, spec: (spec,)),
    "prop": (PropPart, lambda element, spec: (spec,)),
    "bool": (BoolPart, lambda element, spec: (spec, _absent(element, spec))),
    "bind": (BindPart, lambda element, spec: (element.tag, spec, element.static_value("value"))),
    "class": (ClassPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
    "attr": (AttrPart, lambda element, spec: (element.tag, spec, _absent(element, spec))),
}


# -- child slots -------------------------------------------------------------------------------


class ChildPart(Part):
    """A slot between tags. Its content sits just before `node`, an empty text node (anchor)
    that also carries plain text values, so a text slot costs no extra node."""

    __slots__ = ("content", "text", "watch")

    def __init__(self, renderer: Renderer, node: int, slots: tuple[int, ...]) -> None:
        super().__init__(renderer, node, slots)
        self.content: Content | ListContent | None = None
        self.text = ""
        self.watch: Callable[[], None] | None = None

    def set(self, value: Any) -> None:
        if type(value) is Template:  # a component's render: the common case, checked first
            self._set_template(value)
        elif value is self.value and _immutable(value):
            return
        else:
            self.commit(value)
        self.value = value

    def commit(self, value: Any) -> None:
        if value is None or value is False or value is True:
            self._clear()
            self._set_text("")
        elif isinstance(value, str):
            self._clear()
            self._set_text(value)
        elif isinstance(value, (int, float)):
            self._clear()
            self._set_text(str(value))
        elif isinstance(value, Template):
            self._set_template(value)
        elif isinstance(value, Mountable):
            self._set_mountable(value)
        elif isinstance(value, _REACTIVE):
            self._set_signal(value)
        elif isinstance(value, safety.DangerousHTML):
            self._replace(RawItem(self.renderer, value))
        elif isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
            self._set_list(value)
        else:
            raise TypeError(
                f"cannot render a {type(value).__name__} in a child slot: use str, a number, a "
                "template (t'...'), a component, a list of those, or None"
            )

    def _set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.renderer.emit(op.TEXT, self.node, text)

    def _set_template(self, template: Template) -> None:
        content = self.content
        if isinstance(content, TemplateInstance) and content.meta.strings is template.strings:
            content.update(template.values)
            return
        self._replace(self.renderer.instantiate(template))

    def _set_mountable(self, value: Mountable) -> None:
        if isinstance(self.content, Content) and value.same_kind(self.content):
            value.update_host(self.content)
            return
        self._replace(value.create_host(self.renderer))

    def _set_signal(self, signal: Signal[Any] | Computed[Any]) -> None:
        self._clear()
        self.watch = _detached_effect(lambda: self._set_text(_text_of(signal.value)))

    def _set_list(self, values: Iterable[Any]) -> None:
        if not isinstance(self.content, ListContent):
            self._clear()
            self._set_text("")
            self.content = ListContent(self.renderer, self.node)
        self.content.reconcile(values)

    def _replace(self, content: Content) -> None:
        self._clear()
        self._set_text("")
        content.move_before(self.node)
        self.content = content

    def _clear(self) -> None:
        if self.watch is not None:
            self.watch()
            self.watch = None
            self._set_text("")
        if self.content is not None:
            self.content.remove()
            self.content = None

    def release_and_remove(self) -> None:
        """Empty the slot for good: its content is released and its nodes removed."""
        self._clear()

    # Content protocol, for component hosts that own a ChildPart
    def first(self) -> int:
        if self.content is not None:
            found = self.content.first()
            if found is not None:
                return found
        return self.node

    def move_before(self, ref: int) -> None:
        if self.content is not None:
            self.content.move_before(ref)
        self.renderer.emit(op.INSERT, self.node, ref)

    def release(self) -> None:
        if self.watch is not None:
            self.watch()
            self.watch = None
        if self.content is not None:
            if isinstance(self.content, TemplateInstance):
                self.content.release()
            else:
                self.content.remove()
            self.content = None


def _text_of(value: Any) -> str:
    return "" if value is None or value is False else str(value)


# -- keyed lists -------------------------------------------------------------------------------


class ListContent(Content):
    """Items before an end anchor, reconciled by key with the fewest moves (longest increasing
    subsequence of the kept items stays put; every other kept item moves once)."""

    __slots__ = ("end", "items", "keys", "renderer", "sources")

    def __init__(self, renderer: Renderer, end: int) -> None:
        self.renderer, self.end = renderer, end
        self.items: list[Content] = []
        self.keys: list[Any] = []
        self.sources: list[Any] = []  # each()'s item behind each row (identity), else _UNSET

    def reconcile(self, values: Iterable[Any]) -> None:
        """Make the items match `values`: kept items are updated in place, dropped ones removed,
        new ones created, and only kept items outside the longest increasing run are moved."""
        new_keys, new_values = _keyed_values(values)
        if len(set(new_keys)) != len(new_keys):
            raise ValueError(f"duplicate keys in a list: {_duplicates(new_keys)}")
        new_sources = [v.source if type(v) is Memo else _UNSET for v in new_values]
        if not self.items:
            self._append_all(new_keys, new_values)
        elif not new_keys:
            self._remove_all()
        elif not self._extend_in_place(new_keys, new_values, new_sources):
            kept, sources = self._update_kept(new_keys, new_values, new_sources)
            self._remove_dropped({source for source in sources if source >= 0})
            self.items = self._place(kept, sources, new_values)
            self.keys = new_keys
        self.sources = new_sources

    def _extend_in_place(self, keys: list[Any], values: list[Any], sources: list[Any]) -> bool:
        """The common cases, without diffing: the same keys in the same order (a re-render),
        or those followed by new ones (an append). False when the general path is needed."""
        count = len(self.keys)
        if len(keys) < count or keys[:count] != self.keys:
            return False
        items, old_sources = self.items, self.sources
        changed = [
            index
            for index in range(count)
            if sources[index] is _UNSET or sources[index] is not old_sources[index]
        ]
        if not all(_can_update(items[index], values[index]) for index in changed):
            return False
        for index in changed:
            _update_item(items[index], values[index])
        for value in values[count:]:
            item = _create_item(self.renderer, value)
            item.move_before(self.end)
            items.append(item)
        self.keys = keys
        return True

    def _update_kept(
        self, keys: list[Any], values: list[Any], memos: list[Any]
    ) -> tuple[list[Content | None], list[int]]:
        """For each new position: the old item it keeps, updated with its new value (unless
        each() rendered it from the same object), and that item's old position; or None and -1
        where a new item has to be created."""
        old_positions = {key: index for index, key in enumerate(self.keys)}
        kept: list[Content | None] = []
        sources: list[int] = []
        for key, value, memo in zip(keys, values, memos, strict=True):
            index = old_positions.get(key, -1)
            old = self.items[index] if index >= 0 else None
            if old is not None and memo is not _UNSET and memo is self.sources[index]:
                kept.append(old)
                sources.append(index)
            elif old is not None and _can_update(old, value):
                _update_item(old, value)
                kept.append(old)
                sources.append(index)
            else:
                kept.append(None)
                sources.append(-1)
        return kept, sources

    def _remove_dropped(self, kept: set[int]) -> None:
        """Remove the old items no new position keeps: all at once if none is kept."""
        dropped = [item for index, item in enumerate(self.items) if index not in kept]
        if dropped and len(dropped) == len(self.items):
            self._remove_range(dropped)
        else:
            for item in dropped:
                item.remove()

    def _place(
        self, kept: list[Content | None], sources: list[int], values: list[Any]
    ) -> list[Content]:
        """Walk the new order backwards, each item going before the one after it: new items are
        created there, kept items move unless they are in the longest increasing run."""
        stay = _longest_increasing(sources)
        ref = self.end
        placed: list[Content] = []
        for position in range(len(kept) - 1, -1, -1):
            item = kept[position]
            if item is None:
                item = _create_item(self.renderer, values[position])
                item.move_before(ref)
            elif position not in stay:
                item.move_before(ref)
            placed.append(item)
            first = item.first()
            if first is not None:
                ref = first
        placed.reverse()
        return placed

    def _append_all(self, keys: list[Any], values: list[Any]) -> None:
        items = []
        for value in values:
            item = _create_item(self.renderer, value)
            item.move_before(self.end)
            items.append(item)
        self.items, self.keys = items, keys

    def _remove_all(self) -> None:
        self._remove_range(self.items)
        self.items, self.keys, self.sources = [], [], []

    def _remove_range(self, items: list[Content]) -> None:
        """Remove every item at once when they are all that stands before the end anchor."""
        first = next((f for item in self.items if (f := item.first()) is not None), None)
        if first is None:
            return
        self.renderer.emit(op.REMOVE_RANGE, first, self.end)
        for item in items:
            if isinstance(item, TemplateInstance):
                item.release()
            elif isinstance(item, SingleNode):
                self.renderer.drop(item.id, 1)
            else:
                item.remove()

    def first(self) -> int | None:
        for item in self.items:
            found = item.first()
            if found is not None:
                return found
        return None

    def move_before(self, ref: int) -> None:
        for item in self.items:
            item.move_before(ref)

    def remove(self) -> None:
        if self.items:
            self._remove_all()


def _keyed_values(values: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    keys: list[Any] = []
    items: list[Any] = []
    for index, value in enumerate(values):
        if isinstance(value, Keyed):
            keys.append(value.key)
            items.append(value.value)
        else:
            key = getattr(value, "key", None) if isinstance(value, Mountable) else None
            keys.append(("#", index) if key is None else key)
            items.append(value)
    return keys, items


def _duplicates(keys: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    return [k for k in keys if k in seen or seen.add(k)][:5]  # type: ignore[func-returns-value]


def _create_item(renderer: Renderer, value: Any) -> Content:
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Template):
        return renderer.instantiate(value)
    if isinstance(value, Mountable):
        return value.create_host(renderer)
    if isinstance(value, safety.DangerousHTML):
        return RawItem(renderer, value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return TextItem(renderer, str(value))
    raise TypeError(
        f"cannot render a {type(value).__name__} as a list item: use a template (t'...'), a "
        "component, str or a number"
    )


def _can_update(item: Content, value: Any) -> bool:
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Template):
        return isinstance(item, TemplateInstance) and item.meta.strings is value.strings
    if isinstance(value, Mountable):
        return value.same_kind(item)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return isinstance(item, TextItem)
    return False


def _update_item(item: Content, value: Any) -> None:
    """Feed a kept item its new value (_can_update said the kinds match)."""
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Mountable):
        value.update_host(item)
    elif isinstance(item, TemplateInstance):
        item.update(value.values)
    elif isinstance(item, TextItem):
        item.set(str(value))


def _longest_increasing(sources: list[int]) -> set[int]:
    """Positions (in the new order) of a longest run of kept items whose old order increases."""
    tails: list[int] = []  # positions, by subsequence length
    previous = [-1] * len(sources)
    for position, source in enumerate(sources):
        if source < 0:
            continue
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if sources[tails[middle]] < source:
                low = middle + 1
            else:
                high = middle
        previous[position] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    result: set[int] = set()
    position = tails[-1] if tails else -1
    while position >= 0:
        result.add(position)
        position = previous[position]
    return result
