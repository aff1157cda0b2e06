"""Where the app's code runs: in the browser, or ahead of time to prerender its first view.

`framework build` and `framework serve` run the app once without a browser (Pyodide under
Node, against the in-memory DOM) and put the HTML of its first render in the page, so the
visitor sees the real UI before Python has started. While that runs, `prerendering()` is true,
and the browser's own objects are stand-ins: `from pyscript import document` and `import js`
work, but using what they give raises `BrowserOnlyError`, which says what was used and what to
do. A component that needs the browser to render at all says so with `client_only = True`:
ahead of time it renders nothing (its setup() does not run either), in the browser it renders
as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import Any, NoReturn

__all__ = ["BrowserOnlyError", "prerendering"]

_prerendering = False


class BrowserOnlyError(RuntimeError):
    """A browser object (`pyscript.document`, `js.window`, ...) was used while prerendering."""


def prerendering() -> bool:
    """True while the first view is rendered ahead of time, outside any browser."""
    return _prerendering


def set_prerendering(active: bool) -> None:
    """The prerender worker turns this on before it runs the app."""
    global _prerendering  # noqa: PLW0603 - one interpreter runs one app
    _prerendering = active


def _refusal(name: str) -> BrowserOnlyError:
    return BrowserOnlyError(
        f"{name} was used while prerendering: the page's first view is rendered ahead of "
        "time, without a browser, so browser objects do not exist yet. Use it where only the "
        "browser runs code (an event handler, or mounted() behind `if not prerendering():`), "
        "or make the component `client_only = True`; `from framework import prerendering`."
    )


class Unavailable:
    """A browser object while prerendering: any use of it raises BrowserOnlyError naming it.
    Reading an attribute gives the stand-in for that name, so the error names the whole path
    (`pyscript.document.querySelector`), raised where the app's code uses it."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attribute: str) -> Unavailable:
        if attribute.startswith("__"):  # copy, pickle, inspect probing for protocols
            raise AttributeError(attribute)
        return Unavailable(f"{self._name}.{attribute}")

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise _refusal(f"`{self._name}(...)`")

    def __setattr__(self, attribute: str, value: Any) -> NoReturn:
        raise _refusal(f"`{self._name}.{attribute} = ...`")

    def __getitem__(self, key: Any) -> NoReturn:
        raise _refusal(f"`{self._name}[{key!r}]`")

    def __bool__(self) -> bool:
        raise _refusal(f"`{self._name}` (as a truth value)")

    def __iter__(self) -> NoReturn:
        raise _refusal(f"`{self._name}` (iterated)")

    def __repr__(self) -> str:
        return f"<{self._name}: not available while prerendering>"


def unavailable_module(name: str) -> types.ModuleType:
    """A module standing in for a browser-only one (`js`, `pyscript`): it imports, and each of
    its names is an Unavailable."""
    module = types.ModuleType(name, f"{name} stands in for the browser while prerendering")

    def __getattr__(attribute: str) -> Unavailable:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Unavailable(f"{name}.{attribute}")

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    module.__path__ = []  # a package: `from pyscript.web import page` imports too
    return module


BROWSER_MODULES = ("js", "pyscript", "pyodide_js")


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds `pyscript.web`, `js.document` and the like: each a stand-in module."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] not in BROWSER_MODULES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return unavailable_module(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: every name of it is a stand-in."""


def install_stand_ins() -> dict[str, types.ModuleType]:
    """Make the browser's modules stand-ins (the prerender worker does, after importing what
    it needs itself); returns the modules they replace, for `remove_stand_ins`."""
    replaced = {
        name: module
        for name, module in sys.modules.items()
        if name.partition(".")[0] in BROWSER_MODULES
    }
    for name in replaced:
        del sys.modules[name]
    sys.meta_path.insert(0, _finder)
    return replaced


def remove_stand_ins(replaced: dict[str, types.ModuleType]) -> None:
    """Put the real modules back (tests)."""
    sys.meta_path.remove(_finder)
    for name in [name for name in sys.modules if name.partition(".")[0] in BROWSER_MODULES]:
        del sys.modules[name]
    sys.modules.update(replaced)


_finder = _StandInFinder()
