"""Each app's tests import that app's modules by their plain names (`from app import TodoApp`).

The apps' tests share one interpreter, and two apps may have a module of the same name (both
apps/todo and apps/upload have `app.py`). So before a test module under `apps/<name>/tests/` is
imported, `apps/<name>` goes first on sys.path and modules that another app's folder provided
leave sys.modules; tests already imported keep what they imported.
"""

import sys
from pathlib import Path

APPS = Path(__file__).resolve().parent


def pytest_pycollect_makemodule(module_path: Path, parent: object) -> None:
    relative = Path(module_path).resolve().relative_to(APPS)
    if len(relative.parts) > 2 and relative.parts[1] == "tests":
        use_app(APPS / relative.parts[0])


def use_app(folder: Path) -> None:
    """Make `folder`'s modules the ones plain imports find."""
    if str(folder) in sys.path:
        sys.path.remove(str(folder))
    sys.path.insert(0, str(folder))
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if origin is None:
            continue
        home = Path(origin).resolve().parent
        if home.parent == APPS and home != folder:
            del sys.modules[name]
