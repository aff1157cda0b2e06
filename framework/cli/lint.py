"""`framework check`'s code check: every module compiled, every t-string template linted.

The browser's modules are Python 3.14 (t-strings), which exists here only as Pyodide: they are
compiled and linted in one Pyodide run under Node (`lint_worker.py`, through `lint_runner.mjs`),
with the page's own template parser. The host's modules (`server.py` and its `server_lib/`)
run on this Python, so they are compiled here.

Each problem is one `file:line:col: message` line (what editors and terminals make clickable),
sorted, all of them in one run; `--format json` gives the same as a list of objects.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from framework.cli import assets
from framework.cli.api import SERVER_MODULE
from framework.cli.app import App
from framework.cli.bundle import FRAMEWORK_ROOT
from framework.cli.errors import CliError
from framework.cli.pyodide_tests import run_node_script

RUNNER = Path(__file__).with_name("lint_runner.mjs")
WORKER = Path(__file__).with_name("lint_worker.py")
HOST_FOLDERS = ("server_lib",)  # helpers of server.py: host code too
KEEP_RESULTS = 2000  # cached verdicts kept (each a few hundred bytes)
TIMEOUT_S = 120.0


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake, where the user wrote it: line and col are 1-based, col in characters."""

    file: str
    line: int
    col: int
    message: str

    def display(self, cwd: Path) -> str:
        path = Path(self.file)
        shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
        return f"{shown}:{self.line}:{self.col}: {self.message}"


def check_code(app: App) -> list[Problem]:
    """Every problem in the app's modules, sorted by file and position."""
    return check_apps([app])


def check_apps(apps: list[App]) -> list[Problem]:
    """Every problem in the modules of several apps, with one Pyodide start for all."""
    roots, browser, problems = [], [], []
    for app in apps:
        modules, host = _modules(app)
        problems += [p for path in host if (p := _compile_on_host(path)) is not None]
        roots.append(app.root.resolve())
        browser += modules
    if browser:
        problems += _lint_cached(roots, browser)
    return sorted(problems)


def check_text(target: str | None, cwd: Path) -> str:
    """The problems `framework check` finds in the app, as its lines, "" when there are none;
    an app that cannot be read (a broken pyscript.toml, no Node) gives the reason."""
    from framework.cli.app import find_app

    try:
        return format_text(check_code(find_app(target, cwd)), Path.cwd())
    except CliError as error:
        return str(error)


def format_text(problems: list[Problem], cwd: Path) -> str:
    return "\n".join(problem.display(cwd) for problem in problems)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(problem) for problem in problems], indent=1)


def _lint_cached(roots: list[Path], files: list[Path]) -> list[Problem]:
    """Each module's problems, from the cache when the module and its judges are unchanged: a
    module is judged alone, so only the changed ones start Pyodide (seconds) again."""
    folder = assets.cache_dir() / "lint"
    judges = _judges_digest()
    keys = {path: hashlib.sha256(judges + path.read_bytes()).hexdigest() for path in files}
    verdicts: dict[Path, list[dict[str, Any]]] = {}
    for path, key in keys.items():
        try:
            verdicts[path] = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not judged yet (or pruned meanwhile by another check)
    missing = [path for path in files if path not in verdicts]
    if missing:
        fresh = _lint_in_pyodide(roots, missing)
        folder.mkdir(parents=True, exist_ok=True)
        for path in missing:
            verdicts[path] = [_relative(p) for p in fresh if p.file == str(path)]
            # Saved while the check ran (serve's check after a save): the verdict is of text
            # other than the key's, so it is not kept (the next check judges the new text).
            if _same_text(path, keys[path], judges):
                _write(folder / f"{keys[path]}.json", json.dumps(verdicts[path]))
        _prune(folder)
    return [Problem(str(path), **item) for path in files for item in verdicts[path]]


def _same_text(path: Path, key: str, judges: bytes) -> bool:
    try:
        return hashlib.sha256(judges + path.read_bytes()).hexdigest() == key
    except OSError:
        return False


def _judges_digest() -> bytes:
    """What a module's verdict depends on besides its own text: the worker, the template
    package (the parser, the names and events it reads), the DOM protocol and Pyodide."""
    template = sorted((FRAMEWORK_ROOT / "template").glob("*.py"))
    protocol = sorted((FRAMEWORK_ROOT / "dom").glob("protocol.*"))
    digest = hashlib.sha256(assets.npm_versions().get("pyodide", "?").encode())
    for path in [WORKER, *template, *protocol]:
        digest.update(path.read_bytes())
    return digest.digest()


def _relative(problem: Problem) -> dict[str, Any]:
    return {"line": problem.line, "col": problem.col, "message": problem.message}


def _write(path: Path, text: str) -> None:
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)  # whole or absent, when two checks run at once


def _prune(folder: Path) -> None:
    results = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in results[KEEP_RESULTS:]:
        old.unlink(missing_ok=True)


def _modules(app: App) -> tuple[list[Path], list[Path]]:
    """The app's browser modules (what the page imports) and its host modules."""
    root = app.root.resolve()
    browser = [root / rel for rel in app.modules() if rel.suffix == ".py"]
    host = [root / SERVER_MODULE] if (root / SERVER_MODULE).is_file() else []
    for folder in HOST_FOLDERS:
        host += sorted(p for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return browser, host


def _compile_on_host(path: Path) -> Problem | None:
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except SyntaxError as error:
        return Problem(
            str(path), error.lineno or 1, error.offset or 1, f"syntax error: {error.msg}"
        )
    except ValueError as error:  # a null byte
        return Problem(str(path), 1, 1, f"cannot compile: {error}")
    return None


def _lint_in_pyodide(roots: list[Path], files: list[Path]) -> list[Problem]:
    config = {
        "pyodide": str(assets.npm_root() / "pyodide" / "pyodide.mjs"),
        "framework": str(FRAMEWORK_ROOT.resolve()),
        "worker": str(WORKER),
        "mounts": [str(root) for root in _outermost(roots)],
        "files": [str(path) for path in files],
    }
    output = run_node_script(RUNNER, config, "checking the code", TIMEOUT_S, tail_lines=12)
    found = json.loads(output.strip().splitlines()[-1])
    return [Problem(**item) for item in found]


def _outermost(folders: list[Path]) -> list[Path]:
    """The folders that are inside none of the others: a mount within a mount is refused."""
    return [
        folder
        for folder in dict.fromkeys(folders)
        if not any(other != folder and folder.is_relative_to(other) for other in folders)
    ]
