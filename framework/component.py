"""Components: classes in plain .py files whose render() returns a t-string.

Calling a component class does not build it: `Counter(start=3)` is a ComponentCall, a
description the renderer mounts once and afterwards only feeds new props (like an element in
React). Props are the class's annotated public attributes, validated on every call; each prop is
a signal, so a component re-renders only when a prop it read changed. Each mounted component
has its own reactive root, released with everything it registered when it unmounts.
"""

from __future__ import annotations

import annotationlib
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from string.templatelib import Template
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints

from framework.dom import ops as op
from framework.dom.ops import Backend
from framework.errors import report_error
from framework.reactive import Effect, Signal, create_root, flush, untracked
from framework.template.render import ChildPart, Content, Mountable, Renderer, run_handler_task

__all__ = ["Component", "ComponentCall", "Mounted", "PropError", "mount", "set_default_backend"]

_MISSING: Any = object()


class PropError(TypeError):
    """A prop that is unknown, missing or of the wrong type; names the component and the prop."""


@dataclass(frozen=True, slots=True)
class PropSpec:
    annotation: Any
    default: Any
    accepts: Callable[[Any], bool]  # the annotation's check, worked out once per component class


class Prop:
    """A declared prop on the class: reads the instance's prop signal (tracked)."""

    __slots__ = ("default", "name")

    def __init__(self, name: str, default: Any) -> None:
        self.name, self.default = name, default

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__["_signals"][self.name].value


class ComponentMeta(type):
    def __call__(cls, *children: Any, key: Any = None, **props: Any) -> ComponentCall:
        component: type[Component] = cls  # type: ignore[assignment] - only Component uses it
        return ComponentCall(component, component._validate_props(props), children, key)


class Component(metaclass=ComponentMeta):
    """Subclass it, annotate props, write render(). Optional: setup(), mounted(), updated(),
    unmounted(), fallback(error)."""

    _props: ClassVar[dict[str, PropSpec] | None] = None
    # Whether the class overrides the hooks: the empty defaults are not called after each render.
    _has_mounted: ClassVar[bool] = False
    _has_updated: ClassVar[bool] = False
    children: tuple[Any, ...]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._has_mounted = cls.mounted is not Component.mounted
        cls._has_updated = cls.updated is not Component.updated
        # Replace each annotated public attribute by a Prop, so `self.start` reads the prop
        # signal instead of the class default. Names only: annotations are evaluated later.
        for name in annotationlib.get_annotations(cls, format=annotationlib.Format.FORWARDREF):
            if name.startswith("_") or name == "children" or callable(cls.__dict__.get(name)):
                continue
            setattr(cls, name, Prop(name, cls.__dict__.get(name, _MISSING)))

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
        """What to show when render() raises (this component is an error boundary)."""
        name = type(self).__name__
        return t'<div class="framework-error-boundary" role="alert">{name} failed to render: {type(error).__name__}</div>'  # noqa: E501

    # -- what components call ------------------------------------------------------------------

    def emit(self, event: str, *args: Any) -> None:
        """Call the parent's `on_<event>` prop, if it passed one."""
        handler = self._host.props.get(f"on_{event}")
        if handler is not None:
            result = handler(*args)
            if inspect.iscoroutine(result):  # an `async def` handler runs as a task
                run_handler_task(result)

    def provide(self, key: Any, value: Any) -> None:
        self._host.provided[key] = value

    def inject(self, key: Any, default: Any = _MISSING) -> Any:
        host: ComponentHost | None = self._host.parent
        while host is not None:
            if key in host.provided:
                return host.provided[key]
            host = host.parent
        if default is _MISSING:
            raise LookupError(f"{type(self).__name__}: nothing provides {key!r}")
        return default

    # -- props ---------------------------------------------------------------------------------

    @classmethod
    def prop_specs(cls) -> dict[str, PropSpec]:
        if cls.__dict__.get("_props") is None:
            hints = get_type_hints(cls)
            specs = {}
            for name, annotation in hints.items():
                if name.startswith("_") or get_origin(annotation) is ClassVar or name == "children":
                    continue
                specs[name] = PropSpec(annotation, _default_of(cls, name), _checker(annotation))
            cls._props = specs
        return cls.__dict__["_props"]

    @classmethod
    def _validate_props(cls, props: dict[str, Any]) -> dict[str, Any]:
        """Check a call's props and fill in the defaults, in place: `props` is the call's own
        keyword dict. Runs on every call of the class (1,000 times when a list of 1,000 rows
        re-renders), so the common case is one pass with one check per prop."""
        specs = cls.__dict__.get("_props")
        if specs is None:
            specs = cls.prop_specs()
        declared = 0
        for name, value in props.items():
            spec = specs.get(name)
            if spec is None:
                if not name.startswith("on_"):
                    known = ", ".join(sorted(specs)) or "none"
                    raise PropError(f"{cls.__name__}: unknown prop '{name}' (props: {known})")
                if not callable(value):
                    raise PropError(f"{cls.__name__}: event prop '{name}' must be callable")
            elif spec.accepts(value):
                declared += 1
            else:
                raise PropError(
                    f"{cls.__name__}: prop '{name}' expects {_type_name(spec.annotation)}, "
                    f"got {value!r} ({type(value).__name__})"
                )
        if declared < len(specs):
            for name, spec in specs.items():
                if name not in props:
                    if spec.default is _MISSING:
                        raise PropError(f"{cls.__name__}: missing required prop '{name}'")
                    props[name] = spec.default
        return props


def _default_of(cls: type, name: str) -> Any:
    for base in cls.__mro__:
        found = base.__dict__.get(name, _MISSING)
        if found is not _MISSING:
            return found.default if isinstance(found, Prop) else found
    return _MISSING


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def _checker(annotation: Any) -> Callable[[Any], bool]:  # noqa: PLR0911 - one case per form
    """A light runtime check of common annotations, decided once: checking a prop on every
    render is then one call. Containers are checked by their type only."""
    if annotation is Any or annotation is object:
        return _anything
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        arms = tuple(_checker(arm) for arm in get_args(annotation))
        return lambda value: any(accepts(value) for accepts in arms)
    if origin is Literal:
        choices = get_args(annotation)
        return lambda value: value in choices
    if annotation is None or annotation is type(None):
        return lambda value: value is None
    if origin is not None:
        if origin in (Callable, typing.Callable) or str(origin) == "collections.abc.Callable":
            return callable
        return _instance_of(origin) if isinstance(origin, type) else _anything
    if annotation is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if isinstance(annotation, type):
        return _instance_of(annotation)
    return callable if annotation is Callable else _anything


def _instance_of(cls: type) -> Callable[[Any], bool]:
    return lambda value: type(value) is cls or isinstance(value, cls)


def _anything(value: Any) -> bool:
    return True


# -- mounting ----------------------------------------------------------------------------------


class ComponentCall(Mountable):
    __slots__ = ("children", "component", "key", "props")

    def __init__(
        self,
        component: type[Component],
        props: dict[str, Any],
        children: tuple[Any, ...],
        key: Any,
    ) -> None:
        self.component, self.props, self.children, self.key = component, props, children, key

    def create_host(self, renderer: Renderer) -> Content:
        return ComponentHost(renderer, self, _current_host)

    def same_kind(self, host: Content) -> bool:
        return isinstance(host, ComponentHost) and host.component is self.component

    def update_host(self, host: Content) -> None:
        assert isinstance(host, ComponentHost)
        host.set_props(self.props, self.children)

    def __repr__(self) -> str:
        return f"{self.component.__name__}({self.props!r})"


_current_host: ComponentHost | None = None


class ComponentHost(Content):
    """A mounted component: its instance, reactive root, render effect and content slot."""

    def __init__(
        self, renderer: Renderer, call: ComponentCall, parent: ComponentHost | None
    ) -> None:
        self.renderer, self.component, self.parent = renderer, call.component, parent
        self.props = call.props
        self.provided: dict[Any, Any] = {}
        self.rendered = False
        anchor = renderer.alloc(1)
        renderer.emit(op.CREATE_TEXT, anchor, "")
        self.part = ChildPart(renderer, anchor, (0,))
        self.instance = self.component.__new__(self.component)
        self.instance.__dict__["_host"] = self
        self.signals = {
            name: Signal(value, equals=_same_prop)
            for name, value in call.props.items()
            if not name.startswith("on_")
        }
        self.instance.__dict__["_signals"] = self.signals
        self.instance.children = call.children
        self.children_signal = Signal(call.children)
        self.dispose = untracked(lambda: create_root(self._start))

    def _start(self, dispose: Callable[[], None]) -> Callable[[], None]:
        global _current_host  # noqa: PLW0603 - the host whose render is running, for inject()
        outer, _current_host = _current_host, self
        try:
            self.instance.setup()
        finally:
            _current_host = outer
        Effect(self._render)
        return dispose

    def _render(self) -> None:
        global _current_host  # noqa: PLW0603
        outer, _current_host = _current_host, self
        try:
            try:
                self.children_signal.value  # noqa: B018 - re-render when the children change
                untracked(self.part.set, self.instance.render())
            except Exception as error:  # noqa: BLE001 - this component is an error boundary
                report_error(error)
                untracked(self.part.set, self.instance.fallback(error))
        finally:
            _current_host = outer
        instance = self.instance
        try:  # the hooks run untracked: what they read must not re-run this render
            if self.rendered:
                if instance._has_updated:
                    untracked(instance.updated)
            else:
                self.rendered = True
                if instance._has_mounted:
                    untracked(instance.mounted)
        except Exception as error:  # noqa: BLE001 - a lifecycle hook's bug must not break the page
            report_error(error)

    def set_props(self, props: dict[str, Any], children: tuple[Any, ...]) -> None:
        signals = self.signals
        for name, value in props.items():
            signal = signals.get(name)
            if signal is not None:  # event props (on_*) have no signal: the latest one is used
                signal.value = value
        self.props = props  # the call's own dict: an event prop it no longer passes is gone
        if children or self.instance.children:
            self.instance.children = children
            self.children_signal.value = children

    # Content protocol
    def first(self) -> int:
        return self.part.first()

    def move_before(self, ref: int) -> None:
        self.part.move_before(ref)

    def remove(self) -> None:
        self.dispose()
        _safe_call(self.instance.unmounted)
        self.part.release_and_remove()
        self.renderer.emit(op.REMOVE, self.part.node)
        self.renderer.drop(self.part.node, 1)


# Props compare by identity, like React's and Vue's: a parent that passes a new object (a new
# frozen model, a new list) re-renders the child, and no `==` runs on a model per row of a long
# list. Plain values compare by value, so an equal string built anew changes nothing.
_PLAIN = frozenset({str, int, float, bool, complex, bytes, type(None)})


def _same_prop(old: Any, new: Any) -> bool:
    return old is new or (type(new) is type(old) and type(new) in _PLAIN and old == new)


def _safe_call(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception as error:  # noqa: BLE001 - a lifecycle hook's bug must not break the page
        report_error(error)


_default_backend: Callable[[], Backend] | None = None


def set_default_backend(factory: Callable[[], Backend]) -> None:
    """The browser layer registers the real DOM here at boot."""
    global _default_backend  # noqa: PLW0603 - one document per interpreter
    _default_backend = factory


class Mounted:
    """What mount() returns: flush pending work, inspect the backend, unmount."""

    def __init__(self, renderer: Renderer, container: int, part: ChildPart) -> None:
        self.renderer, self.container, self.part = renderer, container, part

    @property
    def backend(self) -> Backend:
        return self.renderer.backend

    def flush(self) -> None:
        """Run pending effects and send the operations now (tests; the browser does it itself)."""
        flush()
        self.renderer.commit()

    def unmount(self) -> None:
        self.part.release_and_remove()
        self.renderer.emit(op.UNMOUNT, self.container, self.part.node)
        self.flush()


def mount(
    root: ComponentCall | Template,
    selector: str,
    backend: Backend | None = None,
    renderer: Renderer | None = None,
) -> Mounted:
    """Render `root` (a component call or a template) into the element matching `selector`."""
    if renderer is None:
        if backend is None:
            if _default_backend is None:
                raise RuntimeError(
                    "mount() needs a DOM: in the browser the framework provides it; in tests pass "
                    "backend=MemoryDom()"
                )
            backend = _default_backend()
        renderer = _renderer_for(backend)
    container = renderer.alloc(2)
    anchor = container + 1
    renderer.emit(op.MOUNT, container, anchor, selector)
    part = ChildPart(renderer, anchor, (0,))
    part.set(root)
    mounted = Mounted(renderer, container, part)
    mounted.flush()
    return mounted


_RENDERER_ATTRIBUTE = "_framework_renderer"


def _renderer_for(backend: Backend) -> Renderer:
    """One renderer per backend, so every mount shares template definitions and handlers.

    The renderer hangs on the backend itself (not in a registry), so a test's MemoryDom and
    everything rendered into it are freed together when the test lets go of it.
    """
    found: Renderer | None = getattr(backend, _RENDERER_ATTRIBUTE, None)
    if found is None:
        found = Renderer(backend, getattr(backend, "schedule", None))
        setattr(backend, _RENDERER_ATTRIBUTE, found)
        attach = getattr(backend, "attach", None)
        if attach is not None:
            attach(found)
    return found
