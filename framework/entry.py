"""The app's entry module, run as `__main__` from its own file name: by the page at boot
(framework/browser/boot.py) and ahead of time by the prerender (framework/cli/prerender_worker.py).

Tracebacks point at the user's lines, and top-level `await` works in it as it does in a
PyScript script.
"""

from __future__ import annotations

import ast
import builtins
import sys
import types
from pathlib import Path


def compile_entry(entry: str) -> types.CodeType:
    """Compile the entry as its own module: top-level await allowed, and none of this file's
    `from __future__` flags inherited (they would turn the app's annotations into strings)."""
    source = Path(entry).read_text(encoding="utf-8")
    # Without ast.PyCF_ONLY_AST among the flags the result is code (typeshed can only say Any).
    code: types.CodeType = compile(
        source, entry, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    return code


def entry_module(entry: str) -> types.ModuleType:
    """A fresh `__main__` module for the entry, registered in sys.modules, so that annotations
    (typing.get_type_hints, component props) resolve against the entry's own globals."""
    module = types.ModuleType("__main__")
    module.__file__ = entry
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    return module
