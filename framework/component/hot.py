"""Hot reload: run an edited module's new code in the running page, and keep the page's state.

`swap_module(name, source)` compiles the new source (a syntax error changes nothing), runs it
as a fresh module (an error there changes nothing either), then gives each class the module
defined before its new body *in place*: the old class object takes the new methods, props and
styles, and the module's name for it keeps pointing at the old object. Patching the old class,
rather than moving each instance to the new one (`instance.__class__ = New`), keeps what holds
the class working without knowing about it: `isinstance` checks, other modules' `from m import
Counter`, parents whose calls compare the class by identity to update a mounted child in place
(host.py, ComponentCall.same_kind), subclasses defined elsewhere. The instances keep their
`__dict__`, so their signals (set in setup(), which does not run again) and their props stay.
The mounted instances of the changed classes then render again: a template whose markup did not
change updates its DOM in place (the renderer finds its plan by the strings' value), a changed
one is replaced, alone, and the components mounted in it move to the new one with their state
(framework/template/carry.py).

What cannot be applied that way is refused with the reason (`NeedsReload`), and the page
reloads as before: the entry module (it runs once, at start), module-level calls and loops (they
would run again), module-level state (a Signal, a Store, a mount() result: it would start
over), pydantic models (a Store's data is validated against them), a class whose bases, slots
or metaclass changed, a mounted component that lost a prop or gained a required one, and a
setup() that now makes attributes its running instances do not have (setup() does not run
again). Dev only: `enable()` (called by the page under `framework serve`) starts keeping the
mounted hosts; until then nothing is kept.
"""

from __future__ import annotations

import ast
import enum
import importlib.util
import sys
import types
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.component import host as hosting
from framework.component.base import Component
from framework.component.props import MISSING, Prop, same_prop
from framework.reactive import Computed, Owner, Signal, flush
from framework.template import carry, scoping


@dataclass(frozen=True, slots=True)
class Applied:
    """The new code runs: these classes kept their identity, these instances rendered again."""

    module: str
    classes: tuple[str, ...]
    rendered: int


@dataclass(frozen=True, slots=True)
class Failed:
    """The new code could not be compiled or run (`error`): the previous code keeps running."""

    module: str
    error: Exception


@dataclass(frozen=True, slots=True)
class NeedsReload:
    """The edit cannot be applied in place (`reason`): the page must load again."""

    module: str
    reason: str


Outcome = Applied | Failed | NeedsReload


def enable() -> None:
    """Keep the mounted component hosts from now on, so their classes can be swapped."""
    if hosting.live_hosts is None:
        hosting.live_hosts = weakref.WeakSet()


def swap_module(name: str, source: str, filename: str | None = None) -> Outcome:
    """Apply `source` as the new code of module `name` (see the module docstring)."""
    old = sys.modules.get(name)
    if name == "__main__":
        return NeedsReload(name, "it is the entry module, which runs once, at start")
    if old is None:
        return Applied(name, (), 0)  # not imported yet: its next import reads the new file
    ran = _run_anew(old, source, filename or getattr(old, "__file__", None) or f"<{name}>")
    if not isinstance(ran, tuple):
        return ran
    fresh, tree = ran
    pairs = _class_pairs(old, fresh)
    reason = _unsafe_change(old, fresh, pairs, tree)
    if reason:
        return NeedsReload(name, reason)
    for previous, new in pairs:
        _patch_class(previous, new)
        fresh.__dict__[previous.__name__] = previous
    _install(old, fresh)
    rendered = _render_again({previous for previous, _ in pairs})
    return Applied(name, tuple(previous.__qualname__ for previous, _ in pairs), rendered)


def _run_anew(
    old: types.ModuleType, source: str, filename: str
) -> tuple[types.ModuleType, ast.Module] | Outcome:
    """The new code run in a module of its own, and its syntax tree; or why it was not run
    (`old` is left untouched)."""
    name = old.__name__
    try:
        tree = ast.parse(source, filename)
        code = compile(tree, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        return Failed(name, error)
    reason = module_side_effect(tree)
    if reason:
        return NeedsReload(name, reason)
    fresh = _fresh_module(old)
    try:
        exec(code, fresh.__dict__)  # noqa: S102 - the app's own module, as an import runs it
    except Exception as error:  # noqa: BLE001 - shown in the overlay; the old code stays
        return Failed(name, error)
    return fresh, tree


# -- what cannot be applied --------------------------------------------------------------------

_RUNS_AGAIN = {
    ast.For: "a for loop",
    ast.AsyncFor: "an async for loop",
    ast.While: "a while loop",
    ast.With: "a with block",
    ast.AsyncWith: "an async with block",
    ast.Match: "a match statement",
}


def module_side_effect(tree: ast.Module) -> str:
    """Why running the module again would do something more than define names; "" if not.
    Top-level calls (mount(...), print(...)) and loops would run again; `if` and `try` blocks
    are looked into (`if TYPE_CHECKING:`, a guarded import)."""
    for statement in _top_level(tree.body):
        line = statement.lineno
        if isinstance(statement, ast.Expr) and not isinstance(statement.value, ast.Constant):
            code = ast.unparse(statement)
            shown = code if len(code) <= 60 else code[:57] + "..."
            return f"line {line} runs `{shown}` when the module runs (a call at module level)"
        kind = _RUNS_AGAIN.get(type(statement))
        if kind:
            return f"line {line} has {kind} at module level, which would run again"
        if any(isinstance(node, ast.Await) for node in ast.walk(statement)) and not isinstance(
            statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            return f"line {line} awaits at module level"
    return ""


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in body:
        if isinstance(statement, ast.If):
            yield from _top_level(statement.body)
            yield from _top_level(statement.orelse)
        elif isinstance(statement, ast.Try | ast.TryStar):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from _top_level(block)
            for handler in statement.handlers:
                yield from _top_level(handler.body)
        else:
            yield statement


def _unsafe_change(
    old: types.ModuleType, fresh: types.ModuleType, pairs: list[tuple[type, type]], tree: ast.Module
) -> str:
    """Why the new module cannot replace the old one in place; "" if it can."""
    return (
        _module_state(old, fresh)
        or _models(fresh)
        or next(filter(None, (_class_shape(previous, new, pairs) for previous, new in pairs)), "")
        or next(filter(None, (_props_change(previous, new) for previous, new in pairs)), "")
        or next(filter(None, (_new_fields(previous, tree) for previous, _ in pairs)), "")
    )


def _stateful_types() -> tuple[type, ...]:
    """The kinds of module-level objects whose state would start over if made again. Store and
    Mounted are looked up, not imported: an app that never imported them has none."""
    kinds: list[type] = [Signal, Computed, Owner]
    for module, name in (("framework.store", "Store"), ("framework.component.mounting", "Mounted")):
        found = getattr(sys.modules.get(module), name, None)
        if isinstance(found, type):
            kinds.append(found)
    return tuple(kinds)


def _module_state(old: types.ModuleType, fresh: types.ModuleType) -> str:
    """A module-level Signal, Store, effect or mount(), or an object holding one (a router), that
    the new run made anew (one imported from elsewhere is the same object in both runs: fine)."""
    kinds = _stateful_types()
    for name, value in fresh.__dict__.items():
        if old.__dict__.get(name) is not value and _holds_state(value, kinds):
            return (
                f"its module-level {name} ({type(value).__name__}) would start over: "
                "module state is kept only by a full reload"
            )
    return ""


def _holds_state(value: object, kinds: tuple[type, ...]) -> bool:
    """Whether value is reactive state, or an instance whose attributes are."""
    if isinstance(value, kinds):
        return True
    if isinstance(value, type | types.ModuleType | types.FunctionType):
        return False
    attributes = getattr(value, "__dict__", None)
    return isinstance(attributes, dict) and any(isinstance(v, kinds) for v in attributes.values())


def _models(fresh: types.ModuleType) -> str:
    """A pydantic model defined here: stored and synced data is validated against it, and
    instances made from the old class stay of the old class."""
    base = getattr(sys.modules.get("pydantic"), "BaseModel", None)
    if not isinstance(base, type):
        return ""
    for cls in _own_classes(fresh):
        if issubclass(cls, base):
            return (
                f"it defines the pydantic model {cls.__name__} (a Store's data is checked with it)"
            )
    return ""


def _class_shape(previous: type, new: type, pairs: list[tuple[type, type]]) -> str:
    """Whether the old class object can take the new body: same metaclass, bases and slots."""
    kept = {id(new_class): old_class for old_class, new_class in pairs}
    bases = tuple(kept.get(id(base), base) for base in new.__bases__)
    name = previous.__qualname__
    if type(previous) is not type(new):
        return f"the metaclass of {name} changed"
    if bases != previous.__bases__:
        return f"the base classes of {name} changed"
    if previous.__dict__.get("__slots__") != new.__dict__.get("__slots__"):
        return f"the __slots__ of {name} changed (its instances' layout)"
    if issubclass(previous, enum.Enum):
        return f"{name} is an Enum (its members are instances of the old class)"
    return ""


def _props_change(previous: type, new: type) -> str:
    """A mounted component that lost a prop (its parents pass it) or gained a required one
    (its instances have no value for it). A prop with a default is added to them."""
    if not issubclass(previous, Component) or not _mounted(previous):
        return ""
    had, has = _own_props(previous), _own_props(new)
    name = previous.__qualname__
    gone = sorted(set(had) - set(has))
    if gone:
        return f"{name} no longer has the prop {', '.join(gone)} that its mounted instances have"
    required = sorted(prop for prop in set(has) - set(had) if has[prop].default is MISSING)
    if required:
        return f"{name} has the new required prop {', '.join(required)}: mounted ones have none"
    return ""


def _new_fields(previous: type, tree: ast.Module) -> str:
    """Attributes the new setup() assigns that a mounted instance lacks: setup() does not run
    again, so render() would find them missing."""
    if not issubclass(previous, Component):
        return ""
    assigned = _setup_attributes(tree, previous.__name__)
    for host in _mounted(previous):
        missing = sorted(assigned - host.instance.__dict__.keys())
        if missing:
            return (
                f"{previous.__qualname__}.setup() now makes {', '.join(missing)}, which its "
                "mounted instances do not have (setup() runs once, when a component mounts)"
            )
    return ""


def _setup_attributes(tree: ast.Module, class_name: str) -> set[str]:
    """The `self.<name> = ...` targets of the class's setup() in the new source."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for method in node.body:
                if (
                    isinstance(method, ast.FunctionDef)
                    and method.name == "setup"
                    and method.args.args
                ):
                    me = method.args.args[0].arg
                    return {
                        target.attr
                        for statement in ast.walk(method)
                        for target in _targets(statement)
                        if isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == me
                    }
    return set()


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


# -- applying ----------------------------------------------------------------------------------


def _fresh_module(old: types.ModuleType) -> types.ModuleType:
    """An empty module like `old` (name, file, package, spec), for the new code to run in while
    `old` keeps serving everyone else."""
    spec = getattr(old, "__spec__", None)
    fresh = importlib.util.module_from_spec(spec) if spec is not None else None
    if fresh is None:
        fresh = types.ModuleType(old.__name__)
        for attribute in ("__file__", "__package__", "__path__"):
            if hasattr(old, attribute):
                setattr(fresh, attribute, getattr(old, attribute))
    return fresh


def _own_classes(module: types.ModuleType) -> list[type]:
    """The classes the module itself defines at its top level (not those it imports)."""
    return [
        value
        for name, value in module.__dict__.items()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and value.__qualname__ == name
    ]


def _class_pairs(old: types.ModuleType, fresh: types.ModuleType) -> list[tuple[type, type]]:
    """(old class, new class) for each class both runs define under the same name."""
    previous = {cls.__qualname__: cls for cls in _own_classes(old)}
    return [
        (previous[new.__qualname__], new)
        for new in _own_classes(fresh)
        if new.__qualname__ in previous
    ]


# What a class's namespace holds that belongs to the class object itself, not to its body.
_FIXED = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__"})
_LAYOUT = (types.MemberDescriptorType, types.GetSetDescriptorType)


def _patch_class(previous: type, new: type) -> None:
    """Give the old class object the new class's body; its instances see it at once."""
    _point_class_cell(new, previous)
    for name in [name for name in previous.__dict__ if name not in new.__dict__]:
        if name not in _FIXED and not isinstance(previous.__dict__[name], _LAYOUT):
            delattr(previous, name)  # a method or cache the new body no longer has (`_props`)
    for name, value in new.__dict__.items():
        if name not in _FIXED and not isinstance(value, _LAYOUT):
            setattr(previous, name, value)


def _point_class_cell(new: type, previous: type) -> None:
    """Methods that call super() (or name __class__) find their class in a closure cell the
    whole class body shares: it must now name the old class object, whose instances call them."""
    for value in new.__dict__.values():
        for function in _functions_of(value):
            code = function.__code__
            if "__class__" in code.co_freevars and function.__closure__:
                cell = function.__closure__[code.co_freevars.index("__class__")]
                if cell.cell_contents is new:
                    cell.cell_contents = previous
                return  # one cell for the whole body: set once


def _functions_of(value: Any) -> Iterator[types.FunctionType]:
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    candidates = [value.fget, value.fset, value.fdel] if isinstance(value, property) else [value]
    for candidate in candidates:
        found = candidate
        while found is not None and not isinstance(found, types.FunctionType):
            found = getattr(found, "__wrapped__", None)
        if found is not None:
            yield found


def _install(old: types.ModuleType, fresh: types.ModuleType) -> None:
    """Make the new module the one imports find; the old module object, which other modules
    may hold (`import counter`), gets the new names too."""
    name = fresh.__name__
    sys.modules[name] = fresh
    package, _, child = name.rpartition(".")
    if package and package in sys.modules:
        setattr(sys.modules[package], child, fresh)
    old.__dict__.update(fresh.__dict__)


def _own_props(cls: type) -> dict[str, Prop]:
    return {name: value for name, value in cls.__dict__.items() if isinstance(value, Prop)}


def _mounted(cls: type) -> list[hosting.ComponentHost]:
    """The live mounted hosts of `cls` (or a subclass)."""
    live = hosting.live_hosts
    if live is None:
        return []
    return [
        host
        for host in list(live)
        if isinstance(host.instance, cls) and host.effect is not None and not host.failed
    ]


def _render_again(classes: set[type]) -> int:
    """Render the mounted instances of the swapped classes, outer ones first, with the props
    they gained; returns how many."""
    hosts: dict[hosting.ComponentHost, None] = {}
    for cls in classes:
        if issubclass(cls, Component):
            hosts.update(dict.fromkeys(_mounted(cls)))
    ordered = sorted(hosts, key=_depth)
    carry.hot = True  # a template whose markup changed passes its components to the new one
    try:
        _render_each(ordered)
    finally:
        carry.hot = False
    return len(ordered)


def _render_each(ordered: list[hosting.ComponentHost]) -> None:
    """Render each host again with its class's new code (and props it gained), then flush."""
    for host in ordered:
        for name, prop in _own_props_all(host.component).items():
            if name not in host.signals:  # a new prop with a default (others were refused)
                host.signals[name] = Signal(prop.default, equals=same_prop)
                host.props[name] = prop.default
        component = host.component
        if component._scope is not None:  # new styles: a new scope, and its stylesheet
            scoping.adopt_stylesheet(host.renderer, component._scope, component._scoped_css)
        effect = host.effect
        if effect is not None and not effect._disposed:
            effect._run()  # as a flush would: its sources did not change, its code did
    flush()


def _own_props_all(cls: type) -> dict[str, Prop]:
    """Every prop of the class, its bases' too."""
    found: dict[str, Prop] = {}
    for base in reversed(cls.__mro__):
        found.update(_own_props(base))
    return found


def _depth(host: hosting.ComponentHost) -> int:
    depth, parent = 0, host.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth


def write_source(path: str, source: str) -> None:
    """Put the new source where the module's file is, so tracebacks show its lines and a later
    import (or a module imported for the first time) reads it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
