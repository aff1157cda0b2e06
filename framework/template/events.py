"""Events: Python callables bound with `on<type>={fn}`, routed by one delegated listener.

The document never holds a Python callable. An element listens under a listener id (one per
element and event type); the backend sends each DOM event with that id to the renderer, and the
EventRouter runs the element's handlers, with their modifiers (`onkeydown.enter.prevent`).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.errors import report_error
from framework.template import safety
from framework.template.located import EventSlotError
from framework.template.part import Part

if TYPE_CHECKING:
    from framework.template.renderer import Renderer
    from framework.template.specs import AttrSpec

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


def check_modifiers(spec: AttrSpec) -> None:
    """Refuse a misspelt modifier when the template is planned, not when the event comes."""
    unknown = set(spec.modifiers) - EVENT_MODIFIERS
    if unknown:
        raise ValueError(
            f"unknown event modifier(s) {sorted(unknown)} on {spec.name}; "
            f"known: {sorted(EVENT_MODIFIERS)}"
        )


@dataclass(slots=True)
class Handler:
    id: int
    fn: Callable[..., Any]
    modifiers: tuple[str, ...]
    node: int
    event_type: str
    group: list[int]  # the ids of every handler of this element and event type (shared list)
    listener: int  # the id the document knows this element and event type by


class EventRouter:
    """The event handlers of one document.

    Several handlers may share an element and event type (`onkeydown.enter` and
    `onkeydown.escape`, or `bind:value` and `oninput`): the document knows one id per
    (node, type), the first handler's, and dispatch runs every handler of that group."""

    __slots__ = ("_groups", "_listeners", "_next_handler", "handlers", "renderer")

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.handlers: dict[int, Handler] = {}
        self._groups: dict[tuple[int, str], Handler] = {}  # (node, type) -> its first handler
        self._listeners: dict[int, list[int]] = {}  # listener id -> the group's handler ids
        self._next_handler = 1

    def listen(
        self, node: int, event_type: str, fn: Callable[..., Any], mods: tuple[str, ...]
    ) -> Handler:
        """Route `event_type` on node to fn; mods were checked with the template's part plan."""
        handler_id = self._next_handler
        self._next_handler += 1
        first = self._groups.get((node, event_type))
        if first is None:
            group = [handler_id]
            handler = Handler(handler_id, fn, mods, node, event_type, group, handler_id)
            self._groups[node, event_type] = handler
            self._listeners[handler_id] = group
            self.renderer.emit(op.LISTEN, node, event_type, handler_id)
        else:
            first.group.append(handler_id)
            handler = Handler(handler_id, fn, mods, node, event_type, first.group, first.listener)
        self.handlers[handler_id] = handler
        return handler

    def unlisten(self, handler: Handler) -> None:
        """Drop a handler; the element stops listening once its last handler of a type goes."""
        if self.handlers.pop(handler.id, None) is None:
            return
        group = handler.group
        if len(group) > 1:
            group.remove(handler.id)
            return
        del self._listeners[handler.listener]
        del self._groups[handler.node, handler.event_type]
        if not self.renderer.leaving:
            self.renderer.emit(op.UNLISTEN, handler.node, handler.event_type)

    def dispatch(self, listener_id: int, event: Any) -> None:
        """A delegated DOM event for listener_id: run each handler of the element."""
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
                self.unlisten(handler)
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
    error = None if task.cancelled() else task.exception()
    if error is not None:
        report_error(error)


def _is_call(expression: str) -> bool:
    """Whether a slot's expression is a call (`self.remove()`): then None in it is what the
    handler returned, a mistake, rather than "no handler" (`self.save if editable else None`)."""
    text = expression.strip()
    return text.endswith(")") and not text.startswith(("(", "lambda"))


def _not_a_handler(event_type: str, value: Any) -> Exception:
    """A string is refused as code; None or another value is usually a handler called while
    rendering (`onclick={self.remove()}` gives what remove returned)."""
    if isinstance(value, str):
        return safety.UnsafeValueError(
            f"on{event_type} takes a Python callable, got str: strings are never run as code"
        )
    got = "None" if value is None else f"{type(value).__name__} {value!r:.40}"
    return EventSlotError(
        f"on{event_type} takes a function to call on the event, got {got}: the slot holds what "
        "the expression returned, so a handler written with () ran while rendering"
    )


class EventPart(Part):
    """A Python callable bound to a DOM event; the handler stays, only the callable changes."""

    __slots__ = ("called", "event_type", "handler", "modifiers")

    def __init__(self, renderer: Renderer, node: int, spec: AttrSpec) -> None:
        super().__init__(renderer, node, spec.slots)
        self.event_type, self.modifiers = spec.name, spec.modifiers
        self.handler: Handler | None = None
        self.called = _is_call(spec.expression)

    def update(self, values: tuple[Any, ...]) -> None:
        fn = values[self.slots[0]]
        if fn is self.value:
            return
        if not callable(fn) and (fn is not None or self.called):
            raise _not_a_handler(self.event_type, fn)
        if fn is None:  # `onclick={handler if editable else None}`: no handler
            self.release()
        elif self.handler is not None:
            self.handler.fn = fn
        else:
            events = self.renderer.events
            self.handler = events.listen(self.node, self.event_type, fn, self.modifiers)
        self.value = fn

    def release(self) -> None:
        if self.handler is not None:
            self.renderer.events.unlisten(self.handler)
            self.handler = None
