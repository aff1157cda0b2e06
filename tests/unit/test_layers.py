"""The layers of DESIGN.md hold: only framework/browser/ reaches the browser (js, pyodide,
pyscript), so the core runs and is tested anywhere; and the core never imports host-side code
(framework/cli), which is not shipped to the browser.

Parsed with this interpreter (Python 3.14, as in the page), since the sources use t-strings.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import framework

ROOT = Path(framework.__file__).parent
BROWSER_MODULES = {"js", "pyodide", "pyodide_js", "pyscript", "polyscript"}
# Host-side packages: the CLI, the dev server and the sync server run in CPython, never in
# the page.
HOST_ONLY = {"cli", "server"}
# framework/__main__.py is `python -m framework`, the CLI's entry on the host.
HOST_ENTRY = {ROOT / "__main__.py"}


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _package(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def _core_modules() -> list[Path]:
    """Every module that runs in the page, outside the browser layer."""
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if _package(path) not in {"browser", *HOST_ONLY} and path not in HOST_ENTRY
    )


def _violations(path: Path, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT.parent)}:{line}: imports {name}"
        for line, name in _imported_modules(path)
        if name.split(".")[0] in forbidden
        or (name.startswith("framework.") and name.split(".")[1] in forbidden)
    ]


def test_the_core_has_modules_to_check() -> None:
    names = {_package(path) for path in _core_modules()}
    assert {"template", "component", "dom", "reactive.py", "store.py"} <= names


@pytest.mark.parametrize("path", _core_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_only_the_browser_layer_imports_the_browser(path: Path) -> None:
    assert _violations(path, BROWSER_MODULES) == []


@pytest.mark.parametrize("path", _core_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_code_shipped_to_the_page_never_imports_host_code(path: Path) -> None:
    assert _violations(path, HOST_ONLY) == []


def test_the_check_finds_a_browser_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("def f():\n    from pyodide.ffi import create_proxy\n    import js\n")
    assert [name for _, name in _imported_modules(module)] == ["pyodide.ffi", "js"]
