"""Runtime assets: Pyodide, PyScript, DOMPurify, Workbox, CSS from npm and browser wheels from
PyPI, pinned and offline.

Everything the browser needs is fetched once with the ordinary clients (npm, pip) into a cache
folder, verified against the hashes committed in `framework/cli/runtime/`, and never fetched again.
A missing asset is fetched on first use; a corrupt one is an error that names the file and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from framework.cli.errors import CliError

LOCK_DIR = Path(__file__).parent / "runtime"
FIX_COMMAND = "framework setup --force"

WheelGroup = Literal["browser", "test"]

# PyScript's plugins for <script type="py-editor">, terminals, pygame and its worker REPL, and
# its warning about pyscript.net/latest. An app's page has none of those (templates and sanitised
# HTML refuse scripts), yet each is imported at every start and py-editor watches every node the
# app inserts, for the whole life of the page: a document-wide MutationObserver that scans the
# document for editors on the first insertion after each quarter second.
PYSCRIPT_PLUGINS_OFF = ("py-editor", "py-terminal", "py-game", "donkey", "deprecations-manager")
# PyScript's chunks that only those plugins, or a TOML config (the page's is JSON), load.
PYSCRIPT_UNUSED_CHUNKS = ("codemirror", "xterm", "toml-", *PYSCRIPT_PLUGINS_OFF)


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    filename: str
    sha256: str
    group: WheelGroup


@dataclass(frozen=True)
class RuntimeFile:
    """One file of an npm package that the server hands to the browser."""

    package: str
    path: str
    sha256: str


class AssetError(CliError):
    """A runtime asset is missing or does not match its pinned hash."""


def cache_dir() -> Path:
    """Where fetched assets live: $FRAMEWORK_CACHE, else the user's cache folder."""
    explicit = os.environ.get("FRAMEWORK_CACHE")
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "framework"


def npm_root() -> Path:
    return cache_dir() / "npm" / "node_modules"


def wheel_dir() -> Path:
    return cache_dir() / "wheels"


@cache
def npm_versions() -> dict[str, str]:
    manifest = json.loads((LOCK_DIR / "package.json").read_text())
    return dict(manifest["dependencies"])


@cache
def _wheel_lock() -> dict[str, object]:
    data: dict[str, object] = json.loads((LOCK_DIR / "wheels.lock.json").read_text())
    return data


def wheels(group: WheelGroup | None = None) -> list[Wheel]:
    rows = _wheel_lock()["wheels"]
    assert isinstance(rows, list)
    found = [Wheel(**row) for row in rows]
    return [w for w in found if group is None or w.group == group]


@cache
def runtime_files() -> list[RuntimeFile]:
    rows = json.loads((LOCK_DIR / "runtime.lock.json").read_text())["files"]
    return [RuntimeFile(**row) for row in rows]


def runtime_file(package: str, path: str) -> RuntimeFile | None:
    for item in runtime_files():
        if item.package == package and item.path == path:
            return item
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress(step: int, total: int, what: str) -> None:
    width = 24
    done = width * step // total
    bar = "#" * done + "-" * (width - done)
    print(f"framework: [{bar}] {step}/{total} {what}", file=sys.stderr, flush=True)


def _run(command: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        subprocess.run(command, cwd=cwd, check=True)
    except FileNotFoundError as exc:
        raise AssetError(f"cannot fetch {what}: `{command[0]}` is not installed ({exc}).") from exc
    except subprocess.CalledProcessError as exc:
        raise AssetError(
            f"fetching {what} failed (`{' '.join(command)}` exited {exc.returncode}). "
            f"Check the registry settings of npm/pip, then run `{FIX_COMMAND}`."
        ) from exc


def _npm_installed() -> bool:
    return all((npm_root() / f.package / f.path).is_file() for f in runtime_files())


def _missing_wheels(group: WheelGroup | None) -> list[Wheel]:
    return [w for w in wheels(group) if not (wheel_dir() / w.filename).is_file()]


def fetch_npm(force: bool = False) -> None:
    """Install the pinned npm packages with `npm ci` (integrity checked by npm)."""
    target = cache_dir() / "npm"
    if force and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(LOCK_DIR / name, target / name)
    npm = shutil.which("npm") or "npm"
    _run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], "npm runtime packages", target)


def fetch_wheels(group: WheelGroup | None = None, force: bool = False) -> None:
    """Download the pinned wheels with pip; pip checks every sha256 (--require-hashes)."""
    target = wheel_dir()
    target.mkdir(parents=True, exist_ok=True)
    todo = wheels(group) if force else _missing_wheels(group)
    if not todo:
        return
    lock = _wheel_lock()
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(
            "".join(f"{w.name}=={w.version} --hash=sha256:{w.sha256}\n" for w in todo)
        )
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--platform", str(lock["platform"]), "--python-version", str(lock["python_version"]),
            "--implementation", "cp", "--abi", str(lock["abi"]), "--abi", "none",
            "--require-hashes", "-r", str(requirements), "-d", str(target),
        ]  # fmt: skip
        _run(command, "browser wheels")


def ensure(group: WheelGroup | None = "browser", force: bool = False) -> None:
    """Fetch whatever is missing (or everything, with force), then verify it all."""
    need_npm = force or not _npm_installed()
    need_wheels = force or bool(_missing_wheels(group))
    steps = [step for step, needed in (("npm", need_npm), ("wheels", need_wheels)) if needed]
    for index, step in enumerate(steps, start=1):
        if step == "npm":
            _progress(index - 1, len(steps), "fetching the npm runtime packages ...")
            fetch_npm(force)
        else:
            _progress(index - 1, len(steps), "fetching browser wheels with pip ...")
            fetch_wheels(group, force)
        _progress(index, len(steps), "done")
    verify(group)  # present is not enough: a damaged file must be named, not served


def verify(group: WheelGroup | None = "browser") -> None:
    """Raise AssetError naming the first missing or corrupt file."""
    for item in runtime_files():
        _check(npm_root() / item.package / item.path, item.sha256, f"{item.package}/{item.path}")
    for wheel in wheels(group):
        _check(wheel_dir() / wheel.filename, wheel.sha256, wheel.filename)


@cache
def _verified(path: Path, mtime_ns: int, size: int, expected: str) -> bool:
    # Hashing 14 MB costs ~30 ms; remember the answer for an unchanged file.
    return sha256_of(path) == expected


def _check(path: Path, expected: str, label: str) -> None:
    if not path.is_file():
        raise AssetError(
            f"runtime asset {label} is missing from {path.parent}. Run `{FIX_COMMAND}`."
        )
    stat = path.stat()
    if not _verified(path, stat.st_mtime_ns, stat.st_size, expected):
        raise AssetError(
            f"runtime asset {label} is corrupt (its sha256 does not match the pinned one). "
            f"Run `{FIX_COMMAND}` to fetch it again."
        )


def relock() -> None:
    """Maintainers: record the sha256 of every served npm file after changing package.json."""
    files: list[dict[str, str]] = []
    for package, pattern in SERVED_NPM_FILES:
        root = npm_root() / package
        for path in sorted(root.glob(pattern)):
            if path.suffix == ".map":
                continue
            rel = path.relative_to(root).as_posix()
            files.append({"package": package, "path": rel, "sha256": sha256_of(path)})
    (LOCK_DIR / "runtime.lock.json").write_text(json.dumps({"files": files}, indent=1) + "\n")


# What the browser may load from each npm package; nothing else in node_modules is served.
SERVED_NPM_FILES: tuple[tuple[str, str], ...] = (
    ("pyodide", "pyodide.mjs"),
    ("pyodide", "pyodide.asm.mjs"),
    ("pyodide", "pyodide.asm.wasm"),
    ("pyodide", "python_stdlib.zip"),
    ("pyodide", "pyodide-lock.json"),
    ("@pyscript/core", "dist/*.js"),
    ("@pyscript/core", "dist/*.css"),
    ("todomvc-app-css", "index.css"),
    ("dompurify", "dist/purify.min.js"),
    # The service worker's Workbox modules (importScripts, in dependency order: sw.js) and the
    # page's registration helper: the build's offline support (docs/offline.md).
    ("workbox-core", "build/workbox-core.prod.js"),
    ("workbox-routing", "build/workbox-routing.prod.js"),
    ("workbox-strategies", "build/workbox-strategies.prod.js"),
    ("workbox-precaching", "build/workbox-precaching.prod.js"),
    ("workbox-window", "build/workbox-window.prod.mjs"),
)
