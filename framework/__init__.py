"""A reactive single-page-app framework for Python in the browser.

`__all__` below is the public API. Its names are imported lazily, on first use: the browser pays
only for what an app uses, and the host-side CLI (Python 3.11+) can import this package although
the browser modules use Python 3.14 syntax (t-strings).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Grouped as the guides in docs/ present them. tests/unit/test_public_api.py checks that _HOMES
# and the imports for type checkers name exactly these; tests/host/test_public_api.py, that the
# guides document each of them.
__all__ = [  # noqa: RUF022 - grouped by concept, not sorted
    # reactivity (docs/reactivity.md)
    "Signal",
    "signal",
    "Computed",
    "computed",
    "Effect",
    "effect",
    "batch",
    "untracked",
    "flush",
    "Scope",
    "create_root",
    "on_cleanup",
    "ReactiveCycleError",
    "Selector",
    "selector",
    # components and templates (docs/components.md)
    "Component",
    "mount",
    "Ref",
    "keyed",
    "each",
    "transition",  # enter/leave classes and moves (docs/transitions.md)
    "dangerous_html",
    "PropError",
    "TemplateSyntaxError",
    "UnsafeValueError",
    "RenderWriteError",
    "RenderResultError",
    # content rendered elsewhere in the page: modals, dialogs (docs/portals.md)
    "portal",
    "dialog",
    # errors no caller can catch: renders, event handlers (docs/components.md)
    "report_error",
    "set_error_reporter",
    # routing (docs/router.md)
    "Router",
    "page",
    "Match",
    "redirect",
    "RouterError",
    "lazy",  # a route whose module is imported on first visit
    "head",  # the page's title and meta tags, from the components on screen
    # persistent stores (docs/store.md)
    "Store",
    "StoreError",
    "CorruptDataError",
    "InvalidDataError",
    "MigrationError",
    "NewerVersionError",
    "OtherTabError",
    "StorageFullError",
    "StorageUnavailableError",
    "StoreEditError",
    "SyncStatus",  # a store synced with the app's server (docs/sync.md)
    # events, HTTP requests and timers: Brython-compatible modules (docs/aio.md)
    "aio",
    "ajax",
    # data an async function loads, as reactive state (docs/resources.md)
    "resource",
    "Resource",
    "Suspense",  # one fallback while the resources below first load
    # a pydantic model as a form: drafts, field errors, submit (docs/forms.md)
    "form",
    "Form",
    # folders whose files survive a reload: open(), sqlite3 (docs/files.md)
    "files",
    # the first view rendered ahead of time (docs/instant-start.md)
    "prerendering",
    "BrowserOnlyError",
    # a new build of the app waiting to take over (docs/offline.md)
    "update_available",
    "apply_update",
    # testing without a browser: the in-memory DOM, history and storage
    "MemoryDom",
    "MemoryLocation",
    "MemoryStorage",
    # the package
    "__version__",
]

# Where each name of __all__ lives (but __version__, defined above).
_HOMES: dict[str, tuple[str, ...]] = {
    "framework.reactive": (
        "Signal",
        "signal",
        "Computed",
        "computed",
        "Effect",
        "effect",
        "batch",
        "untracked",
        "flush",
        "Scope",
        "create_root",
        "on_cleanup",
        "ReactiveCycleError",
    ),
    "framework.selection": ("Selector", "selector"),
    "framework.resources": ("resource", "Resource"),
    "framework.forms": ("form", "Form"),
    "framework.suspense": ("Suspense",),
    "framework.lazy_routes": ("lazy",),
    "framework.component": ("Component", "mount", "PropError"),
    "framework.template.ref": ("Ref",),
    "framework.template.keyed": ("keyed", "each"),
    "framework.template.transition": ("transition",),
    "framework.template.safety": ("dangerous_html", "UnsafeValueError"),
    "framework.template.parser": ("TemplateSyntaxError",),
    "framework.template.readonly": ("RenderWriteError",),
    "framework.component.checks": ("RenderResultError",),
    "framework.component.portal": ("portal", "dialog"),
    "framework.errors": ("report_error", "set_error_reporter"),
    "framework.router": ("Router", "page", "Match", "redirect", "RouterError", "MemoryLocation"),
    "framework.document_head": ("head",),
    "framework.environment": ("prerendering", "BrowserOnlyError"),
    "framework.updates": ("update_available", "apply_update"),
    "framework.store": ("Store",),
    "framework.store_sync": ("SyncStatus",),
    "framework.storage.errors": (
        "StoreError",
        "CorruptDataError",
        "InvalidDataError",
        "MigrationError",
        "NewerVersionError",
        "OtherTabError",
        "StorageFullError",
        "StorageUnavailableError",
        "StoreEditError",
    ),
    "framework.storage.memory": ("MemoryStorage",),
    "framework.dom.memory": ("MemoryDom",),
    "framework": ("aio", "ajax", "files"),  # modules of their own: framework.aio, ...
}

_HOME_OF = {name: home for home, names in _HOMES.items() for name in names}

if TYPE_CHECKING:  # the same names, imported for type checkers and editors
    from framework import aio, ajax, files
    from framework.component import Component, PropError, mount
    from framework.component.checks import RenderResultError
    from framework.component.portal import dialog, portal
    from framework.document_head import head
    from framework.dom.memory import MemoryDom
    from framework.environment import BrowserOnlyError, prerendering
    from framework.errors import report_error, set_error_reporter
    from framework.forms import Form, form
    from framework.lazy_routes import lazy
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
    from framework.resources import Resource, resource
    from framework.router import Match, MemoryLocation, Router, RouterError, page, redirect
    from framework.selection import Selector, selector
    from framework.storage.errors import (
        CorruptDataError,
        InvalidDataError,
        MigrationError,
        NewerVersionError,
        OtherTabError,
        StorageFullError,
        StorageUnavailableError,
        StoreEditError,
        StoreError,
    )
    from framework.storage.memory import MemoryStorage
    from framework.store import Store
    from framework.store_sync import SyncStatus
    from framework.suspense import Suspense
    from framework.template.keyed import each, keyed
    from framework.template.parser import TemplateSyntaxError
    from framework.template.readonly import RenderWriteError
    from framework.template.ref import Ref
    from framework.template.safety import UnsafeValueError, dangerous_html
    from framework.template.transition import transition
    from framework.updates import apply_update, update_available
else:
    # Hidden from type checkers, so that they report a misspelt name instead of trusting this.
    def __getattr__(name: str) -> object:
        """Import a public name on first use (PEP 562); later reads find it in globals()."""
        home = _HOME_OF.get(name)
        if home is None:
            raise AttributeError(f"module 'framework' has no attribute {name!r}")
        if home == "framework":
            value = importlib.import_module(f"framework.{name}")
        else:
            value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
