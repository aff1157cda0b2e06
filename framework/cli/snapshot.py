"""The memory snapshot a page's Python starts from: the interpreter after it has imported the
standard modules and the framework's pure-Python modules, saved by the same Pyodide under Node.

Measured on the TO-DO app (Chromium, warm visits): Pyodide's own start, which compiles ~200
standard modules from source (its python_stdlib.zip ships no bytecode), is about 1.1 s of a 2 s
start; restoring a snapshot instead takes about 0.1 s. Binary extensions (pydantic-core) cannot
be in a snapshot (pyodide issues 4720, 6418): whatever needs one is imported after the restore,
as before. The page's interpreter module (framework/browser/pyodide_boot.mjs) uses the snapshot
when the plan names one that fits this Pyodide, and starts Python the usual way otherwise.

Snapshots live in the cache under `<cache>/snapshots/`, named by everything that goes into one
(the Pyodide version, the framework's sources, the pure wheels, this maker); `framework build`
ships one beside the page, `framework serve` makes one in the background and names it in pages
from then on. Making one fails softly: one warning, and pages start without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framework.cli import assets
from framework.cli.bundle import (
    FRAMEWORK_ROOT,
    browser_sources,
    build_framework_wheel,
    files_digest,
)
from framework.cli.pyodide_tests import NO_SNAPSHOT, PyodideError, run_node_script

RUNNER = Path(__file__).with_name("snapshot_runner.mjs")
MAKER_VERSION = "1"  # bump when what goes into a snapshot changes
URL_DIR = "_framework/snapshot"  # where a page finds it, in `serve` and in a build
TIMEOUT_S = 180.0
# Pyodide 314.0.x cannot restore a snapshot above its 30 MB default heap (pyodide issue 6254);
# the restore fails and the page starts without it, so such a snapshot is not shipped at all.
MAX_BYTES = 32 * 1024 * 1024
# Modules of the framework that the page's Python never imports before the app does, or that
# touch the browser: not in a snapshot (a Python reference to a JavaScript object breaks it).
LEFT_OUT = ("framework.browser", "framework.brython", "framework.cli", "framework.__main__")

_lock = threading.Lock()
_warned: set[str] = set()


@dataclass(frozen=True)
class Snapshot:
    """A made snapshot: its file in the cache, and what the page's plan says of it."""

    path: Path
    pyodide: str

    @property
    def url(self) -> str:
        return f"./{URL_DIR}/{self.path.name}"

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def plan(self) -> dict[str, object]:
        return {"url": self.url, "pyodide": self.pyodide, "bytes": self.size}


def snapshot_dir() -> Path:
    return assets.cache_dir() / "snapshots"


def framework_modules() -> list[str]:
    """The framework's modules, by name, except those that may not be in a snapshot."""
    names = []
    for relative in browser_sources():
        if relative.suffix != ".py":
            continue
        parts = ["framework", *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        if not any(name == left or name.startswith(left + ".") for left in LEFT_OUT):
            names.append(name)
    return names


def is_pure(wheel: Path) -> bool:
    return wheel.name.endswith("-none-any.whl")


def top_level_modules(wheel: Path) -> list[str]:
    """The importable names a wheel installs (its top-level packages and modules)."""
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    return sorted(
        top.removesuffix(".py")
        for top in tops
        if not top.endswith((".dist-info", ".data")) and (top.endswith(".py") or "." not in top)
    )


def _framework_digest() -> str:
    """The framework's sources as one digest (every page asks: hashed again only on a change)."""
    return files_digest(
        [(relative.as_posix(), FRAMEWORK_ROOT / relative) for relative in browser_sources()]
    )


def _key(wheels: list[Path]) -> str:
    recipe = {
        "maker": MAKER_VERSION,
        "runner": hashlib.sha256(RUNNER.read_bytes()).hexdigest(),
        "pyodide": assets.npm_versions()["pyodide"],
        "framework": _framework_digest(),
        "wheels": sorted(w.name for w in wheels),
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:20]


def cached(wheels: list[Path]) -> Snapshot | None:
    """The snapshot for these wheels if it was made already (never makes one); None too when
    $FRAMEWORK_NO_SNAPSHOT is set (pages then start Python as PyScript does)."""
    if os.environ.get(NO_SNAPSHOT):
        return None
    path = snapshot_dir() / f"{_key(wheels)}.bin"
    return Snapshot(path, assets.npm_versions()["pyodide"]) if path.is_file() else None


def ensure(wheels: list[Path]) -> Snapshot | None:
    """The snapshot for a page loading these wheels, made now if missing; None (after one
    warning that says what it costs) if it cannot be made."""
    if os.environ.get(NO_SNAPSHOT):
        return None
    with _lock:
        found = cached(wheels)
        if found is not None:
            return found
        try:
            return _make(wheels)
        except PyodideError as error:
            _warn_once(str(error))
            return None


def _make(wheels: list[Path]) -> Snapshot:
    target = snapshot_dir() / f"{_key(wheels)}.bin"
    pure = [w for w in wheels if is_pure(w)]
    modules = [m for w in wheels for m in top_level_modules(w)] + framework_modules()
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        lib = build_framework_wheel()
        framework_wheel = Path(tmp) / lib.filename
        framework_wheel.write_bytes(lib.data)
        config: dict[str, object] = {
            "pyodide": str(assets.npm_root() / "pyodide" / "pyodide.mjs"),
            "wheels": [str(w) for w in [*wheels, framework_wheel]],
            "pure": [str(w) for w in [*pure, framework_wheel]],
            "modules": modules,
            "extra": [],
            "output": str(target),
        }
        report = _run(config)
    size = target.stat().st_size
    if size > MAX_BYTES:
        target.unlink()
        raise PyodideError(
            f"the snapshot would be {size / 1e6:.1f} MB, above the {MAX_BYTES / 1e6:.0f} MB "
            "Pyodide 314 restores (pyodide issue 6254)"
        )
    print(
        f"framework: made a Python snapshot ({size / 1e6:.1f} MB, "
        f"{len(report.get('imported', []))} modules imported)",
        file=sys.stderr,
        flush=True,
    )
    return Snapshot(target, assets.npm_versions()["pyodide"])


def _run(config: dict[str, Any]) -> dict[str, Any]:
    output = run_node_script(RUNNER, config, "making the snapshot", TIMEOUT_S)
    report: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return report


def _warn_once(message: str) -> None:
    if message in _warned:
        return
    _warned.add(message)
    print(
        f"framework: warning: no Python snapshot ({message}); pages start Python without one, "
        "about a second slower.",
        file=sys.stderr,
        flush=True,
    )


class Background:
    """Makes snapshots off the server's loop, one at a time: `framework serve` never keeps a
    page waiting for one (about 4 s); pages name it once it exists."""

    def __init__(self) -> None:
        self._running: set[str] = set()
        self._guard = threading.Lock()

    def start(self, wheels: list[Path]) -> None:
        key = _key(wheels)
        with self._guard:
            if key in self._running or os.environ.get(NO_SNAPSHOT) or cached(wheels):
                return
            self._running.add(key)

        def run() -> None:
            try:
                ensure(wheels)
            finally:
                with self._guard:
                    self._running.discard(key)

        # A daemon thread: Ctrl+C must not wait for Node.
        threading.Thread(target=run, name="framework-snapshot", daemon=True).start()


def served_file(name: str) -> Path | None:
    """The snapshot a page asks for by its URL's file name, if it exists."""
    if len(name) != 24 or not name.endswith(".bin") or not _is_hex(name[:-4]):
        return None
    path = snapshot_dir() / name
    return path if path.is_file() else None


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)
