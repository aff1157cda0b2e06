"""Lazy routes: a page whose module is imported on its first visit, not at start.

    router = Router({"/": Home, "/settings": lazy("pages.settings", fallback=t"<p>Loading…</p>")})

`lazy(module, attribute=None, *, fallback=None)` is a route target. The first time its route is
shown, the module is fetched (if the page did not ship it) and imported, while `fallback`
shows; then the page renders with the route's props like any other. Later visits find it
imported and render it at once. A module that fails to import, or has no such component, shows
the error boundary with the error, and the error reaches the overlay.

The core only knows an async loader (`ModuleLoader`): called with the module's name before it
is imported, it makes the module importable. Outside the browser there is nothing to do (the
module is on disk: tests, prerendering); in the browser (framework/browser/lazy_modules.py) it
fetches the files `framework build` and `serve` left out of the app archive. The module's
import goes through a `resource()`, so a lazy page under a Suspense holds its fallback too.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from string.templatelib import Template
from typing import Any, ClassVar, Protocol

from framework.component.base import Component
from framework.component.fallback import default_fallback
from framework.environment import prerendering
from framework.resources import Resource, resource

__all__ = ["Lazy", "LazyImportError", "ModuleLoader", "lazy", "set_module_loader"]


class LazyImportError(ImportError):
    """A lazy route's module imported, but holds no component by that name (or several)."""


class ModuleLoader(Protocol):
    """Makes a module importable before it is imported (the browser fetches its files)."""

    async def __call__(self, module: str) -> None: ...


async def _on_disk(module: str) -> None:
    """Outside the browser every module of the app is on disk already."""


_loader: ModuleLoader = _on_disk


def set_module_loader(loader: ModuleLoader | None) -> ModuleLoader:
    """The browser layer registers its fetching loader at boot (None: the default, nothing to
    fetch). Returns the previous one."""
    global _loader
    previous, _loader = _loader, (loader or _on_disk)
    return previous


class Lazy:
    """A route target whose component is imported on first visit; made by `lazy()`."""

    def __init__(self, module: str, attribute: str | None, fallback: Any, declared_at: str) -> None:
        self.module, self.attribute, self.fallback = module, attribute, fallback
        self.declared_at = declared_at
        self._component: type[Component] | None = None
        # One component class per target: moving between two lazy routes mounts the other page
        # (a new host), while the same route with new params keeps it and passes new props.
        self.page_class: type[LazyPage] = type(
            f"LazyPage[{module}]", (LazyPage,), {"_target": self, "__module__": __name__}
        )

    @property
    def loaded(self) -> type[Component] | None:
        """The component, once its module is imported (by this target or any other code)."""
        if self._component is None and self.module in sys.modules:
            try:
                self._component = self._find(sys.modules[self.module])
            except LazyImportError:
                return None  # load() raises it, for the error boundary
        return self._component

    async def load(self) -> type[Component]:
        """Fetch (if need be) and import the module, then find the component in it."""
        if self._component is None:
            if self.module not in sys.modules:
                await _loader(self.module)
            self._component = self._find(importlib.import_module(self.module))
        return self._component

    def _find(self, module: Any) -> type[Component]:
        if self.attribute is not None:
            found = getattr(module, self.attribute, None)
            if isinstance(found, type) and issubclass(found, Component):
                return found
            raise LazyImportError(
                f"{self}: module {self.module!r} has no component {self.attribute!r} "
                f"(its components: {_names(_components_of(module))}) (declared at "
                f"{self.declared_at})"
            )
        components = _components_of(module)
        if len(components) == 1:
            return components[0]
        raise LazyImportError(
            f"{self}: module {self.module!r} defines {len(components)} components "
            f'({_names(components)}); name the page\'s: lazy({self.module!r}, "Name") '
            f"(declared at {self.declared_at})"
        )

    def __repr__(self) -> str:
        attribute = "" if self.attribute is None else f", {self.attribute!r}"
        return f"lazy({self.module!r}{attribute})"


def _components_of(module: Any) -> list[type[Component]]:
    """The components a module defines itself (not those it imports)."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Component)
        and value.__module__ == module.__name__
    ]


def _names(components: list[type[Component]]) -> str:
    return ", ".join(component.__name__ for component in components) or "none"


def lazy(module: str, attribute: str | None = None, *, fallback: Any = None) -> Lazy:
    """A route target imported on first visit: the component `attribute` of `module` (a dotted
    module path of the app, such as "pages.settings"), or the only component it defines.
    `fallback` (a template, a component call, text or None) shows while it loads."""
    if not isinstance(module, str) or not all(part.isidentifier() for part in module.split(".")):
        raise TypeError(
            f"lazy({module!r}): give the module's dotted path as a string literal, such as "
            'lazy("pages.settings"): `framework build` finds lazy modules by that literal'
        )
    if attribute is not None and not attribute.isidentifier():
        raise TypeError(f"lazy({module!r}, {attribute!r}): the attribute is a component's name")
    caller = sys._getframe(1)
    return Lazy(module, attribute, fallback, f"{caller.f_code.co_filename}:{caller.f_lineno}")


class LazyPage(Component):
    """What a lazy route renders: its fallback while the module loads, then the page.

    `call` makes the page's call from the loaded component (the router passes the route's
    props through it)."""

    _target: ClassVar[Lazy]
    call: Callable[[type[Component]], Any]

    def setup(self) -> None:
        self._module: Resource[type[Component] | None] | None = None
        if self._target.loaded is None:
            self._module = resource(self._target.load, name=repr(self._target))

    def render(self) -> Template | Any:
        if prerendering():
            return self._fallback()  # the browser's first render shows it: so does the page
        component = self._target.loaded if self._module is None else self._module.value
        if component is None:
            return self._fallback()
        return self.call(component)

    def _fallback(self) -> Any:
        waiting = self._target.fallback
        return waiting if waiting is not None else t""

    def fallback(self, error: Exception) -> Template | None:
        """The import failed: the error boundary's message, naming the module."""
        return default_fallback(f"page {self._target.module!r}", error, self._host.parent_tag)
