"""Events: Python callables bound with `on<type>={fn}` (or `{(fn, *arguments)}`), routed by one
delegated listener.

The document never holds a Python callable. A template's elements route the event types it
binds under their node ids (set up by CLONE, no operation per handler); the backend sends each
DOM event with that id and its type to the renderer, the EventRouter finds the template
instance owning the element, and the instance runs the handlers its slots hold now, with their
modifiers (`onkeydown.enter.prevent`).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from framework import files
from framework.errors import report_error
from framework.template import safety
from framework.template.located import EventSlotError
from framework.template.part import Part

if TYPE_CHECKING:
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


class EventOwner(Protocol):
    """What routes the events of some nodes: a template instance (TemplateInstance.fire)."""

    def fire(self, node: int, event_type: str, event: Any) -> None: ...


class EventRouter:
    """The event handlers of one document.

    A template's elements route the events it binds (DEFINE names them, CLONE sets them up), so
    binding a handler costs no operation and no object: the document sends each event with the
    id of the element it was bound on, and the template instance that owns that element runs
    the handlers its values hold now.

    `owners` holds one entry per instance that routes events, under its base id (not one per
    routing element: a row of a long list with two handlers costs one entry to add and one to
    drop). An instance's ids are base .. base + its node count, and no other instance's ids lie
    between, so the owner of an element is the first owner found going down from its id, at most
    `reach` (the largest offset of a routing element in any template) below it."""

    __slots__ = ("owners", "reach")

    def __init__(self) -> None:
        self.owners: dict[int, EventOwner] = {}
        self.reach = 0

    def routes_up_to(self, offset: int) -> None:
        """A template whose elements route events at offsets up to `offset` is defined."""
        self.reach = max(self.reach, offset)

    def dispatch(self, node: int, event_type: str, event: Any) -> None:
        """A delegated DOM event for the element with id `node`."""
        owners = self.owners
        for base in range(node - 1, node - 1 - self.reach, -1):
            owner = owners.get(base)
            if owner is not None:
                owner.fire(node, event_type, event)  # a stale id finds no handler there
                return


def run_handler(
    fn: Callable[..., Any] | tuple[Any, ...], modifiers: tuple[str, ...], event: Any
) -> bool:
    """Run one handler with its modifiers; its error goes to the error reporter. False when a
    filter (`.enter`, `.self`) kept it from running."""
    try:
        if modifiers:
            if not _passes_filters(modifiers, event):
                return False
            if "prevent" in modifiers:
                event.preventDefault()
            if "stop" in modifiers:
                event.stopPropagation()
        _call_handler(fn, event)
    except Exception as error:  # noqa: BLE001 - a handler's bug must not kill the page
        report_error(error)
    return True


def _passes_filters(modifiers: tuple[str, ...], event: Any) -> bool:
    keys = [KEY_FILTERS[m] for m in modifiers if m in KEY_FILTERS]
    if keys and not any(getattr(event, "key", None) in accepted for accepted in keys):
        return False
    return not ("self" in modifiers and event.target != event.currentTarget)


_ARITY: dict[Any, int] = {}  # positional parameters of a handler's code (*args: unbounded)
_VARARGS = 0x04


def _call_handler(handler: Callable[..., Any] | tuple[Any, ...], event: Any) -> None:
    """Handlers may take the event or nothing: `lambda: ...` and `def on_click(self, event)`.
    A tuple `(fn, *arguments)` calls fn with its arguments, then the event if fn takes one
    more: a long list's rows bind `(self.remove, row.id)`, a tuple each, not a closure."""
    fn: Callable[..., Any]
    arguments: tuple[Any, ...] = ()
    if isinstance(handler, tuple):
        fn, arguments = handler[0], handler[1:]
    else:
        fn = handler
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    if code is None:  # a builtin, a partial, a callable object
        takes_event = not arguments or _takes_more_than(fn, len(arguments))
        result = fn(*arguments, event) if takes_event else fn(*arguments)
    else:
        arity = _ARITY.get(code)
        if arity is None:
            arity = 1 << 30 if code.co_flags & _VARARGS else code.co_argcount
            _ARITY[code] = arity
        if hasattr(fn, "__self__"):  # a bound method: its code counts `self`
            arity -= 1
        result = fn(*arguments, event) if arity > len(arguments) else fn(*arguments)
    if inspect.iscoroutine(result):
        run_handler_task(result)


def _takes_more_than(fn: Callable[..., Any], count: int) -> bool:
    """Whether fn (code we cannot read) accepts more than `count` positional arguments; a
    callable without a signature gets none more."""
    try:
        signature = inspect.signature(fn)
    except TypeError, ValueError:
        return False
    try:
        signature.bind(*range(count + 1))
    except TypeError:
        return False
    return True


_handler_tasks: set[asyncio.Task[Any]] = set()  # strong references until each task is done


def run_handler_task(coroutine: Coroutine[Any, Any, Any]) -> None:
    """An `async def` handler runs as a task on the event loop; its error reaches the reporter."""
    task = asyncio.ensure_future(coroutine)
    _handler_tasks.add(task)
    task.add_done_callback(_handler_task_done)


def _handler_task_done(task: asyncio.Task[Any]) -> None:
    _handler_tasks.discard(task)
    files.changed()  # an async handler may have written a persistent folder
    error = None if task.cancelled() else task.exception()
    if error is not None:
        report_error(error)


def is_call(expression: str) -> bool:
    """Whether a slot's expression is a call (`self.remove()`): then None in it is what the
    handler returned, a mistake, rather than "no handler" (`self.save if editable else None`)."""
    text = expression.strip()
    return text.endswith(")") and not text.startswith(("(", "lambda"))


def _not_a_bound_handler(event_type: str, value: tuple[Any, ...]) -> Exception:
    """A tuple in an event slot is `(fn, *arguments)`: its first item must be callable."""
    if value and isinstance(value[0], str):
        return safety.UnsafeValueError(
            f"on{event_type} takes a Python callable, got a tuple starting with a str: "
            "strings are never run as code"
        )
    first = f"{type(value[0]).__name__} {value[0]!r:.40}" if value else "nothing"
    return EventSlotError(
        f"on{event_type} got a tuple whose first item is {first}: a tuple binds a function to "
        "its arguments, `(self.remove, row.id)` calls self.remove(row.id) on the event, so its "
        "first item must be the function itself, not what calling it returned"
    )


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


def check_handler(event_type: str, value: Any, called: bool) -> None:
    """A slot's value for on<type>: a callable, a tuple `(callable, *arguments)`, or None for
    "no handler" (unless the slot's expression is a call, whose None is what the handler
    returned)."""
    if isinstance(value, tuple):
        if not value or not callable(value[0]):
            raise _not_a_bound_handler(event_type, value)
    elif not callable(value) and (value is not None or called):
        raise _not_a_handler(event_type, value)


class EventPart(Part):
    """An event slot's entry in the part plan (arguments: its spec, and whether its
    expression is a call). Instances make no object for it: the handler is read from their
    values when the event comes (TemplateInstance.fire)."""

    __slots__ = ()


def event_arguments(spec: AttrSpec) -> tuple[AttrSpec, bool]:
    return spec, is_call(spec.expression)
