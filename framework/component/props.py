"""Props: a component's annotated public attributes, checked on every call, read as signals.

`class Counter(Component): start: int = 0` declares the prop `start`. A call `Counter(start=3)`
is checked against the annotations (worked out once per class) and filled with the defaults;
the mounted instance keeps one signal per prop, which `self.start` reads (and so tracks).
"""

from __future__ import annotations

import annotationlib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

if TYPE_CHECKING:
    from framework.component.base import Component

MISSING: Any = object()
_NOT_PROPS = frozenset({"children", "styles"})  # what the Component class itself declares


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


def declare_props(cls: type[Component]) -> None:
    """Replace each annotated public attribute by a Prop, so `self.start` reads the prop
    signal instead of the class default. Names only: annotations are evaluated later."""
    for name in annotationlib.get_annotations(cls, format=annotationlib.Format.FORWARDREF):
        if name.startswith("_") or name in _NOT_PROPS or callable(cls.__dict__.get(name)):
            continue
        setattr(cls, name, Prop(name, cls.__dict__.get(name, MISSING)))


def prop_specs(cls: type[Component]) -> dict[str, PropSpec]:
    """The class's props and their checks, worked out on its first call and kept on it."""
    specs: dict[str, PropSpec] | None = cls.__dict__.get("_props")
    if specs is None:
        specs = {}
        for name, annotation in get_type_hints(cls).items():
            if name.startswith("_") or get_origin(annotation) is ClassVar or name in _NOT_PROPS:
                continue
            specs[name] = PropSpec(annotation, _default_of(cls, name), _checker(annotation))
        cls._props = specs
    return specs


def validate_props(cls: type[Component], props: dict[str, Any]) -> dict[str, Any]:
    """Check a call's props and fill in the defaults, in place: `props` is the call's own
    keyword dict. Runs on every call of the class (1,000 times when a list of 1,000 rows
    re-renders), so the common case is one pass with one check per prop."""
    specs: dict[str, PropSpec] | None = cls.__dict__.get("_props")
    if specs is None:
        specs = prop_specs(cls)
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
                if spec.default is MISSING:
                    raise PropError(f"{cls.__name__}: missing required prop '{name}'")
                props[name] = spec.default
    return props


# Props compare by identity, like React's and Vue's: a parent that passes a new object (a new
# frozen model, a new list) re-renders the child, and no `==` runs on a model per row of a long
# list. Plain values compare by value, so an equal string built anew changes nothing.
_PLAIN = frozenset({str, int, float, bool, complex, bytes, type(None)})


def same_prop(old: Any, new: Any) -> bool:
    return old is new or (type(new) is type(old) and type(new) in _PLAIN and old == new)


def _default_of(cls: type, name: str) -> Any:
    for base in cls.__mro__:
        found = base.__dict__.get(name, MISSING)
        if found is not MISSING:
            return found.default if isinstance(found, Prop) else found
    return MISSING


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
