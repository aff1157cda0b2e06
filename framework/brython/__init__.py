"""Brython's module names for framework apps: `from browser import aio, ajax` and
`from browser.local_storage import storage` import the framework's implementations.

`install_import_alias()` (called when the app boots, callable in tests) puts a finder on
`sys.meta_path` that answers `browser` and `browser.<name>` with `framework.brython` and
`framework.brython.<name>`: the very same module objects, so state is shared. A Brython module
the framework does not provide fails with an ImportError that says which ones exist.

`document`, `window`, `console`, `alert` and `bind` (Brython's DOM helpers) are loaded on first
use only, from the browser edge, so importing this package needs no browser.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

ALIAS = "browser"
PACKAGE = __name__
PROVIDED = ("aio", "ajax", "local_storage", "session_storage", "timer", "html")
_DOM_NAMES = frozenset({"document", "window", "console", "alert", "bind", "DOMNode"})


class _AliasLoader(importlib.abc.Loader):
    """Loads `browser.x` by importing `framework.brython.x` and handing back that module."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        pass  # already executed under its real name


class BrowserAliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        real = PACKAGE + fullname.removeprefix(ALIAS)
        if fullname != ALIAS and importlib.util.find_spec(real) is None:
            provided = ", ".join(f"{ALIAS}.{name}" for name in PROVIDED)
            raise ImportError(
                f"{fullname} is a Brython module this framework does not provide; "
                f"it provides {provided}",
                name=fullname,
            )
        is_package = fullname == ALIAS
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real), is_package=is_package)


def install_import_alias() -> None:
    """Make `import browser...` resolve to this package (idempotent)."""
    if not any(isinstance(finder, BrowserAliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, BrowserAliasFinder())


def uninstall_import_alias() -> None:
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, BrowserAliasFinder)]
    for name in [n for n in sys.modules if n == ALIAS or n.startswith(ALIAS + ".")]:
        del sys.modules[name]


def __getattr__(name: str) -> Any:
    if name in _DOM_NAMES:
        dom = importlib.import_module("framework.browser.brython_dom")
        return getattr(dom, name)
    if name in PROVIDED:
        return importlib.import_module(f"{PACKAGE}.{name}")
    raise AttributeError(f"module {ALIAS!r} has no attribute {name!r}")
