"""A reactive single-page-app framework for Python in the browser.

The public API is re-exported here. Imports are lazy: the browser pays only for what an app
uses, and the host-side CLI (Python 3.11+) can import this package although the browser modules
use Python 3.14 syntax (t-strings).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "aio": "framework.aio",  # modules: `from framework import aio, ajax`
    "ajax": "framework.ajax",
    "Signal": "framework.reactive",
    "Computed": "framework.reactive",
    "Effect": "framework.reactive",
    "Scope": "framework.reactive",
    "signal": "framework.reactive",
    "computed": "framework.reactive",
    "effect": "framework.reactive",
    "batch": "framework.reactive",
    "untracked": "framework.reactive",
    "flush": "framework.reactive",
    "create_root": "framework.reactive",
    "on_cleanup": "framework.reactive",
    "ReactiveCycleError": "framework.reactive",
    "Component": "framework.component",
    "PropError": "framework.component",
    "mount": "framework.component",
    "Ref": "framework.template.render",
    "keyed": "framework.template.render",
    "each": "framework.template.render",
    "dangerous_html": "framework.template.safety",
    "UnsafeValueError": "framework.template.safety",
    "TemplateSyntaxError": "framework.template.parser",
    "MemoryDom": "framework.dom.memory",
    "report_error": "framework.errors",
    "Selector": "framework.selection",
    "selector": "framework.selection",
    "Router": "framework.router",
    "RouterError": "framework.router",
    "Match": "framework.router",
    "MemoryLocation": "framework.router",
    "redirect": "framework.router",
    "set_error_reporter": "framework.errors",
    "Store": "framework.store",
    "StoreError": "framework.storage.errors",
    "CorruptDataError": "framework.storage.errors",
    "InvalidDataError": "framework.storage.errors",
    "MigrationError": "framework.storage.errors",
    "NewerVersionError": "framework.storage.errors",
    "StorageFullError": "framework.storage.errors",
    "StorageUnavailableError": "framework.storage.errors",
    "OtherTabError": "framework.storage.errors",
    "MemoryStorage": "framework.storage.memory",
}

__all__ = [
    "Component",
    "Computed",
    "CorruptDataError",
    "Effect",
    "InvalidDataError",
    "Match",
    "MemoryDom",
    "MemoryLocation",
    "MemoryStorage",
    "MigrationError",
    "NewerVersionError",
    "OtherTabError",
    "PropError",
    "ReactiveCycleError",
    "Ref",
    "Router",
    "RouterError",
    "Scope",
    "Selector",
    "Signal",
    "StorageFullError",
    "StorageUnavailableError",
    "Store",
    "StoreError",
    "TemplateSyntaxError",
    "UnsafeValueError",
    "__version__",
    "aio",
    "ajax",
    "batch",
    "computed",
    "create_root",
    "dangerous_html",
    "each",
    "effect",
    "flush",
    "keyed",
    "mount",
    "on_cleanup",
    "redirect",
    "report_error",
    "selector",
    "set_error_reporter",
    "signal",
    "untracked",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'framework' has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if module == f"framework.{name}" else getattr(imported, name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from framework import aio, ajax
    from framework.component import Component, PropError, mount
    from framework.dom.memory import MemoryDom
    from framework.errors import report_error, set_error_reporter
    from framework.reactive import (
        Computed,
        Effect,
        ReactiveCycleError,
        Scope,
        Signal,
        batch,
        computed,
        create_root,
        effect,
        flush,
        on_cleanup,
        signal,
        untracked,
    )
    from framework.router import Match, MemoryLocation, Router, RouterError, redirect
    from framework.selection import Selector, selector
    from framework.storage.errors import (
        CorruptDataError,
        InvalidDataError,
        MigrationError,
        NewerVersionError,
        OtherTabError,
        StorageFullError,
        StorageUnavailableError,
        StoreError,
    )
    from framework.storage.memory import MemoryStorage
    from framework.store import Store
    from framework.template.parser import TemplateSyntaxError
    from framework.template.render import Ref, each, keyed
    from framework.template.safety import UnsafeValueError, dangerous_html
