"""Bytecode for the browser: archives whose modules are compiled already, so a page imports them
without compiling.

A page starts from a fresh interpreter on every visit, and Pyodide compiles each module's source
the first time it is imported: for pydantic that is about a quarter of a second of every start,
for the framework about a tenth. So the archives the browser loads (the PyPI wheels, the
framework's wheel, and the app's zip in a build) are served with bytecode beside each `.py`,
made once on this machine by the same Pyodide that runs the page (`bytecode_worker.py`, under
Node). The source stays, so tracebacks show their lines; a page whose Python cannot use the
bytecode (another magic number) ignores it and compiles the source as before.

Results are cached under `<cache>/compiled/`, named by the input's sha256, the Pyodide version
and this compiler's version, so each input is compiled once. Compiling needs Node.js (it is
there: the runtime came from npm). When it fails, the archive is served as it is, with one
warning that says why and what it costs: a page is slower to start, never broken.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from framework.cli import assets
from framework.cli.pyodide_tests import PyodideError, run_node_script

COMPILER = Path(__file__).with_name("pyodide_compile.mjs")
WORKER = Path(__file__).with_name("bytecode_worker.py")
COMPILER_VERSION = "1"  # bump when the worker's output changes, so old results are not reused
KEEP_PER_NAME = 8  # compiled copies kept per file name (the framework's changes while developing)
TIMEOUT_S = 300.0

_lock = threading.Lock()  # one compile at a time: concurrent page loads must not race
_warned: set[str] = set()


@dataclass(frozen=True)
class Archive:
    """A zip the browser loads: its file name and bytes."""

    filename: str
    data: bytes


def compiled_dir() -> Path:
    return assets.cache_dir() / "compiled"


def cache_path(archive: Archive) -> Path:
    key = hashlib.sha256(archive.data).hexdigest()
    pyodide = assets.npm_versions().get("pyodide", "?")
    tag = hashlib.sha256(f"{key}|pyodide {pyodide}|{COMPILER_VERSION}".encode()).hexdigest()
    return compiled_dir() / f"{tag[:32]}-{archive.filename}"


def compiled_paths(archives: Sequence[Archive]) -> list[Path] | None:
    """The cached compiled file of each archive, compiling the misses now (all in one Pyodide
    run); None, after one warning, if compiling fails."""
    with _lock:
        paths = [cache_path(a) for a in archives]
        missing = [a for a, path in zip(archives, paths, strict=True) if not _usable(path)]
        if missing:
            try:
                _compile(missing)
            except PyodideError as error:
                _warn_once(str(error))
                return None
        return paths


def with_bytecode(archives: Sequence[Archive]) -> list[bytes]:
    """Each archive with its modules compiled, or unchanged if compiling fails."""
    paths = compiled_paths(archives)
    if paths is None:
        return [a.data for a in archives]
    return [path.read_bytes() for path in paths]


def is_compiled(archive: Archive) -> bool:
    """True when the archive's compiled copy is in the cache already (serving it costs nothing)."""
    return _usable(cache_path(archive))


def wheel_with_bytecode(path: Path) -> Path:
    """The cached wheel at path, compiled (a file to serve), or path itself if compiling fails."""
    paths = compiled_paths([Archive(path.name, path.read_bytes())])
    return path if paths is None else paths[0]


def _usable(path: Path) -> bool:
    """Present and a whole zip. A crash mid-write leaves no file (results are renamed in); a
    damaged one is removed, to be compiled again."""
    try:
        stat = path.stat()
    except OSError:
        return False
    if _whole_zip(path, stat.st_mtime_ns, stat.st_size):
        return True
    path.unlink(missing_ok=True)
    return False


@cache
def _whole_zip(path: Path, mtime_ns: int, size: int) -> bool:
    # Checking every CRC of a 1.5 MB wheel costs ~10 ms: once per unchanged file.
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def _compile(archives: Sequence[Archive]) -> None:
    names = ", ".join(a.filename for a in archives)
    print(f"framework: compiling to bytecode, once: {names}", file=sys.stderr, flush=True)
    target_dir = compiled_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="compile-", dir=target_dir) as tmp:
        folder = Path(tmp).resolve()
        jobs = []
        for index, archive in enumerate(archives):
            source = folder / f"{index}-in.zip"
            source.write_bytes(archive.data)
            jobs.append({"source": str(source), "target": str(folder / f"{index}-out.zip")})
        _run_pyodide(folder, jobs)
        for archive, job in zip(archives, jobs, strict=True):
            os.chmod(job["target"], 0o644)  # Pyodide's file system writes 0o666
            os.replace(job["target"], cache_path(archive))
            _prune(archive.filename)


def _run_pyodide(folder: Path, jobs: list[dict[str, str]]) -> None:
    config = {
        "pyodide": str(assets.npm_root() / "pyodide" / "pyodide.mjs"),
        "folder": str(folder),
        "worker": str(WORKER),
        "jobs": jobs,
    }
    run_node_script(COMPILER, config, "compiling to bytecode", TIMEOUT_S)
    missing = [job["target"] for job in jobs if not Path(job["target"]).is_file()]
    if missing:
        raise PyodideError(f"compiling to bytecode wrote no {missing[0]}")


def _prune(filename: str) -> None:
    """Keep the newest few compiled copies of one file name; older inputs are gone for good."""
    copies = sorted(
        compiled_dir().glob(f"*-{filename}"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in copies[KEEP_PER_NAME:]:
        old.unlink(missing_ok=True)


def _warn_once(reason: str) -> None:
    if reason in _warned:
        return
    _warned.add(reason)
    print(
        "framework: warning: serving Python modules without bytecode, so pages compile them "
        f"as they start (about 0.3 s slower). Reason: {reason}",
        file=sys.stderr,
        flush=True,
    )
