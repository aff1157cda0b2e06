"""The Component class apps subclass: props as annotations, render() returning a t-string, and
optional hooks.

Calling a component class does not build it: `Counter(start=3)` is a ComponentCall (host.py),
a description the renderer mounts once and afterwards only feeds new props (like an element in
React).
"""

from __future__ import annotations

import inspect
import sys
from string.templatelib import Template
from typing import TYPE_CHECKING, Any, ClassVar

from framework.component.fallback import default_fallback
from framework.component.host import ComponentCall, ComponentHost, rendering_now
from framework.component.props import (
    MISSING,
    PropError,
    PropSpec,
    declare_props,
    validate_props,
)
from framework.component.styles import scope_styles
from framework.template.events import run_handler_task
from framework.template.readonly import refuse_during_render
from framework.template.source import frame_spot, user_frames


class ComponentMeta(type):
    def __call__(cls, *children: Any, key: Any = None, **props: Any) -> ComponentCall:
        component: type[Component] = cls  # type: ignore[assignment]  # only Component uses it
        try:
            return ComponentCall(component, validate_props(component, props), children, key)
        except PropError as error:
            if not rendering_now():
                raise
            # Inside a parent's render the child fails alone: its slot shows its fallback, and
            # the error shows the call's line (its traceback would list only our frames).
            callers = user_frames(sys._getframe(1))
            if callers:
                error.add_note(f"at {frame_spot(callers[0]).excerpt()}")
            error.__traceback__ = None
            return ComponentCall(component, props, children, key, failure=error)


class Component(metaclass=ComponentMeta):
    """Subclass it, annotate props, write render(). Optional: setup(), mounted(), updated(),
    unmounted(), fallback(error), `styles`, CSS that applies to its own elements only, and
    `client_only = True` for a component that needs the browser to render at all."""

    _props: ClassVar[dict[str, PropSpec] | None] = None  # filled on the class's first call
    # Whether the class overrides the hooks: the empty defaults are not called after each render.
    _has_mounted: ClassVar[bool] = False
    _has_updated: ClassVar[bool] = False
    # True: rendered in the browser only; the prerendered first view leaves its place empty
    # and neither setup() nor render() runs ahead of time (framework/environment.py).
    client_only: ClassVar[bool] = False
    # CSS for this component's own elements (scoped: see styles.py), and what it became.
    styles: ClassVar[str] = ""
    _scope: ClassVar[str | None] = None  # the attribute its elements carry, None: no styles
    _scoped_css: ClassVar[str] = ""
    # Set by the host that mounts the instance. ComponentHost is imported at run time, not for
    # type checkers only: props' get_type_hints() evaluates every annotation, this one too.
    _host: ComponentHost
    children: tuple[Any, ...]

    if TYPE_CHECKING:
        # What calling a component class gives: ComponentMeta.__call__ makes a ComponentCall. mypy
        # does not read a metaclass's __call__ (python/mypy#14122), it reads __new__.
        def __new__(  # type: ignore[misc]  # not an instance of the class, on purpose
            cls, *children: Any, key: Any = None, **props: Any
        ) -> ComponentCall: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._has_mounted = cls.mounted is not Component.mounted
        cls._has_updated = cls.updated is not Component.updated
        cls._scope, cls._scoped_css = scope_styles(cls)
        declare_props(cls)

    # -- hooks for subclasses -----------------------------------------------------------------

    def setup(self) -> None:
        """Runs once, before the first render: create local state (signals) here."""

    def render(self) -> Template | None:
        raise NotImplementedError(f"{type(self).__name__} needs a render() method")

    def mounted(self) -> None:
        """After the first render."""

    def updated(self) -> None:
        """After each later render."""

    def unmounted(self) -> None:
        """When removed; effects, handlers and child components are released for you."""

    def fallback(self, error: Exception) -> Template | None:
        """What to show when render() raises (this component is an error boundary). The default
        is a message in an element valid where the component stands (an <li> in a <ul>)."""
        return default_fallback(type(self).__name__, error, self._host.parent_tag)

    # -- what components call ------------------------------------------------------------------

    def emit(self, event: str, *args: Any) -> None:
        """Call the parent's `on_<event>` prop, if it passed one."""
        refuse_during_render(f"emit {event!r} to its parent (on_{event})")
        handler = self._host.props.get(f"on_{event}")
        if handler is not None:
            result = handler(*args)
            if inspect.iscoroutine(result):  # an `async def` handler runs as a task
                run_handler_task(result)

    def provide(self, key: Any, value: Any) -> None:
        self._host.provided[key] = value

    def inject(self, key: Any, default: Any = MISSING) -> Any:
        host: ComponentHost | None = self._host.parent
        while host is not None:
            if key in host.provided:
                return host.provided[key]
            host = host.parent
        if default is MISSING:
            raise LookupError(f"{type(self).__name__}: nothing provides {key!r}")
        return default
