"""Run pytest inside Pyodide (Python 3.14, the production interpreter build) under Node.

One `PyodideRun` is one Node process: it collects the given test paths, waits for the caller to
choose which of the collected tests to run, then streams one `Result` per test. The host pytest
plugin (`framework.cli.pytest_pyodide`) uses it to report each Pyodide test as a host test;
`run_in_pyodide` is the one-call form for scripts and tests.

Everything comes from the pinned asset cache (`assets.ensure`), so this works offline. Repeat
runs start faster than the first: Python starts from a memory snapshot the first run saved in
the cache, and the wheels are loaded with their bytecode compiled (once, as for the browser).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from framework.cli import assets
from framework.cli.errors import CliError

RUNNER = Path(__file__).with_name("pyodide_runner.mjs")
# Found by path, not by importing it: the package's browser modules are Python 3.14 only.
PACKAGE = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).with_name("pyodide_worker.py")
STDERR_LINES = 200

Outcome = Literal["passed", "failed", "skipped", "xfailed", "xpassed", "error"]
When = Literal["collect", "setup", "call", "teardown"]

# Always passed to the pytest inside Pyodide. The host's addopts may name host-only plugins,
# and a cache written from Pyodide would clobber the host's --lf data in the same folder.
BASE_ARGS = ("-o", "addopts=", "-p", "no:cacheprovider", "--continue-on-collection-errors")

# The standard modules pytest, pydantic and the framework import, imported once into the memory
# snapshot later runs start from (see pyodide_runner.mjs). Only the standard library: packages
# cannot be in a snapshot. Changing this list makes a new snapshot (it is part of its name).
SNAPSHOT_IMPORTS = (
    "argparse", "ast", "asyncio", "collections", "contextlib", "copy", "dataclasses",
    "datetime", "decimal", "difflib", "email.parser", "enum", "fnmatch", "functools", "glob",
    "importlib.metadata", "inspect", "io", "json", "math", "operator", "pathlib", "platform",
    "pprint", "random", "re", "shlex", "string.templatelib", "tempfile", "textwrap",
    "threading", "tokenize", "traceback", "types", "typing", "unittest", "uuid", "warnings",
    "weakref", "zipfile",
)  # fmt: skip
NO_SNAPSHOT = "FRAMEWORK_NO_SNAPSHOT"
# Imported only to color the code of a failure: compiling its 343 modules ahead would be most of
# the first run's compile time, for nothing in a passing run.
NOT_COMPILED = ("pygments-",)  # set to start Python the slow way, without a snapshot


class PyodideError(CliError):
    """Pyodide could not run the tests: Node missing, a crash, a broken protocol."""


@dataclass(frozen=True)
class Phase:
    """One of setup / call / teardown of a test, as pytest reported it inside Pyodide."""

    when: When
    outcome: Literal["passed", "failed", "skipped"]
    longrepr: str = ""
    crash: str = ""  # the one-line failure message, for pytest's short summary
    reason: str = ""  # why it was skipped
    skip_location: tuple[str, int] | None = None
    wasxfail: str | None = None
    duration: float = 0.0
    sections: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    nodeid: str
    phases: tuple[Phase, ...]

    def phase(self, when: When) -> Phase | None:
        return next((p for p in self.phases if p.when == when), None)

    @property
    def outcome(self) -> Outcome:
        """The word pytest's summary would use for this test."""
        call = self.phase("call")
        if call is not None and call.outcome == "failed":
            return "failed"
        if any(p.outcome == "failed" for p in self.phases):
            return "error"
        skipped = next((p for p in self.phases if p.outcome == "skipped"), None)
        if skipped is not None:
            return "xfailed" if skipped.wasxfail is not None else "skipped"
        if call is not None and call.wasxfail is not None:
            return "xpassed"
        return "passed"

    @property
    def longrepr(self) -> str:
        return "\n".join(p.longrepr for p in self.phases if p.longrepr)


@dataclass(frozen=True)
class Warned:
    """A warning a test raised inside Pyodide."""

    nodeid: str
    filename: str
    lineno: int
    category: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.filename}:{self.lineno}: {self.category}: {self.message}"


@dataclass(frozen=True)
class Collected:
    """A test pytest collected inside Pyodide, with what the host needs to report it."""

    nodeid: str
    path: str
    lineno: int | None
    domain: str
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collection:
    tests: tuple[Collected, ...]
    errors: tuple[Result, ...]  # one per file or folder that failed to collect


def _phase(raw: dict[str, Any]) -> Phase:
    skip = raw.get("skip_location")
    return Phase(
        when=raw["when"],
        outcome=raw["outcome"],
        longrepr=raw.get("longrepr", ""),
        crash=raw.get("crash", ""),
        reason=raw.get("reason", ""),
        skip_location=(str(skip[0]), int(skip[1])) if skip else None,
        wasxfail=raw.get("wasxfail"),
        duration=float(raw.get("duration", 0.0)),
        sections=tuple((str(title), str(text)) for title, text in raw.get("sections", ())),
    )


def _collection(raw: dict[str, Any]) -> Collection:
    tests = tuple(
        Collected(t["nodeid"], path, lineno, domain, tuple(t["markers"]))
        for t in raw["tests"]
        for path, lineno, domain in [t["location"]]
    )
    errors = tuple(
        Result(e["nodeid"], (Phase("collect", "failed", e["longrepr"], crash=e["crash"]),))
        for e in raw["errors"]
    )
    return Collection(tests, errors)


def find_node() -> str:
    name = os.environ.get("FRAMEWORK_NODE", "node")
    found = shutil.which(name)
    if found is None:
        raise PyodideError(
            f"the Pyodide tests need Node.js 18 or newer, and `{name}` is not found. Install it "
            "(Debian/Ubuntu: `apt-get install nodejs`; elsewhere https://nodejs.org), or set "
            "$FRAMEWORK_NODE to its path."
        )
    return found


def run_node_script(
    script: Path, config: dict[str, Any], doing: str, timeout: float, tail_lines: int = 5
) -> str:
    """Run one of the framework's Node scripts (Pyodide under Node) with its JSON config and
    return what it printed on stdout. Any failure is a PyodideError that says what could not
    be done (`doing`: "checking the code", ...): Node missing or not starting, the time limit,
    or a non-zero exit with the last lines of stderr (the Python traceback's end, not Node's
    stack)."""
    command = [find_node(), str(script), json.dumps(config)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PyodideError(f"{doing} took longer than {timeout:.0f} s") from None
    except OSError as error:
        raise PyodideError(f"{doing} could not run: {error}") from error
    if done.returncode != 0:
        lines = [
            line for line in done.stderr.strip().splitlines() if not line.startswith("    at ")
        ]
        tail = "\n".join(lines[-tail_lines:])
        raise PyodideError(f"{doing} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


def _inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def _mounts(rootdir: Path, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Host folders to mount (at the same path) and the folders to put first on sys.path.

    The framework package is mounted on its own, never its parent: in a virtualenv that parent
    is site-packages, full of CPython 3.11 binaries that must not shadow Pyodide's wheels.
    """
    mounts = [rootdir]
    for path in (PACKAGE, *(p if p.is_dir() else p.parent for p in paths)):
        if not _inside(path, mounts):
            mounts.append(path)
    return mounts, [PACKAGE.parent]


def _snapshot() -> dict[str, Any] | None:
    """Where the started interpreter is kept between runs: one file per Pyodide build and
    import list, in the cache (a snapshot only restores into the build that made it)."""
    if os.environ.get(NO_SNAPSHOT):
        return None
    wasm = assets.npm_root() / "pyodide" / "pyodide.asm.wasm"
    stat = wasm.stat()
    recipe = json.dumps([str(wasm), stat.st_size, stat.st_mtime_ns, SNAPSHOT_IMPORTS])
    key = hashlib.sha256(recipe.encode()).hexdigest()[:16]
    path = assets.cache_dir() / "snapshots" / f"pytest-{key}.bin"
    return {"path": str(path), "imports": list(SNAPSHOT_IMPORTS)}


def _wheels() -> list[Path]:
    """The test run's wheels, with their modules compiled already (as the browser gets them):
    importing pytest and pydantic then compiles nothing. Compiled once, on the first run."""
    from framework.cli.bytecode import Archive, compiled_paths  # it imports this module

    paths = [assets.wheel_dir() / wheel.filename for wheel in assets.wheels()]
    ahead = [p for p in paths if not p.name.startswith(NOT_COMPILED)]
    compiled = compiled_paths([Archive(p.name, p.read_bytes()) for p in ahead])  # one Node run
    if compiled is None:  # warned already; the tests run, importing from source
        return paths
    swap = dict(zip(ahead, compiled, strict=True))
    return [swap.get(path, path) for path in paths]


def _config(paths: Sequence[Path], args: Sequence[str], rootdir: Path) -> dict[str, Any]:
    mounts, sys_path = _mounts(rootdir, paths)
    folders = [p if p.is_dir() else p.parent for p in paths]
    confcutdir = Path(os.path.commonpath(folders)) if folders else rootdir
    return {
        "pyodide": str(assets.npm_root() / "pyodide" / "pyodide.mjs"),
        "wheels": [str(path) for path in _wheels()],
        "mounts": [str(m) for m in mounts],
        "sysPath": [str(p) for p in sys_path],
        "cwd": str(rootdir),
        "worker": str(WORKER),
        "snapshot": _snapshot(),
        # confcutdir: conftest.py files above the test folders are host-side (Playwright,
        # this plugin) and must not be imported inside Pyodide.
        "args": [
            *BASE_ARGS,
            f"--rootdir={rootdir}",
            f"--confcutdir={confcutdir}",
            *args,
            *map(str, paths),
        ],
    }


@dataclass
class _Inbox:
    """What the reader thread has received so far; `changed` wakes the waiting test."""

    changed: threading.Condition = field(default_factory=threading.Condition)
    collection: Collection | None = None
    results: dict[str, Result] = field(default_factory=dict)
    warnings: list[Warned] = field(default_factory=list)
    exitcode: int | None = None
    closed: bool = False


class PyodideRun:
    """One Node process running pytest in Pyodide; starts at once, so Pyodide boots while the
    host does other work."""

    def __init__(
        self, paths: Sequence[Path], args: Sequence[str] = (), rootdir: Path | None = None
    ) -> None:
        paths = [Path(p).resolve() for p in paths]
        root = rootdir or Path(os.path.commonpath([p if p.is_dir() else p.parent for p in paths]))
        node = find_node()
        assets.ensure(None)
        config = _config(paths, args, root.resolve())
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._inbox = _Inbox()
        self._sent = False
        self._first_crash = ""  # what was waiting when the crash was first reported
        self._process = subprocess.Popen(
            [node, str(RUNNER), json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def _read_stderr(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._stderr.append(line)

    def _read_stdout(self) -> None:
        assert self._process.stdout is not None
        try:
            for line in self._process.stdout:
                self._receive(line)
            self._process.wait()
        finally:  # whatever happened, wake the waiting test so it reports the crash
            with self._inbox.changed:
                self._inbox.closed = True
                self._inbox.changed.notify_all()

    def _receive(self, line: str) -> None:
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            self._stderr.append(line)  # not ours: keep it for the crash report
            return
        inbox = self._inbox
        with inbox.changed:
            kind = message["type"]
            if kind == "collected":
                inbox.collection = _collection(message)
            elif kind == "result":
                phases = tuple(_phase(p) for p in message["phases"])
                inbox.results[message["nodeid"]] = Result(message["nodeid"], phases)
            elif kind == "warning":
                fields = ("nodeid", "filename", "lineno", "category", "message")
                inbox.warnings.append(Warned(*(message[name] for name in fields)))
            elif kind == "done":
                inbox.exitcode = int(message["exitcode"])
            inbox.changed.notify_all()

    def _crashed(self, what: str) -> PyodideError:
        """The error for a wait that can never end; the output is shown once, not per test."""
        code = self._process.poll()
        status = "is still running" if code is None else f"exited with code {code}"
        if self._inbox.exitcode is not None:
            status = f"finished (pytest exit code {self._inbox.exitcode})"
        if self._first_crash:
            return PyodideError(
                f"Pyodide {status} before reporting {what} (its output is shown with "
                f"{self._first_crash})."
            )
        self._first_crash = what
        self._stderr_reader.join(timeout=5)  # the last words come after stdout closed
        output = "".join(self._stderr).rstrip() or "(no output)"
        return PyodideError(f"Pyodide {status} before reporting {what}. Its last output:\n{output}")

    def collection(self) -> Collection:
        """Wait for pytest inside Pyodide to finish collecting."""
        inbox = self._inbox
        with inbox.changed:
            inbox.changed.wait_for(lambda: inbox.collection is not None or inbox.closed)
            if inbox.collection is None:
                raise self._crashed("the collected tests")
            return inbox.collection

    def run(self, nodeids: Iterable[str]) -> None:
        """Choose the tests to run (once); the others are deselected inside Pyodide."""
        if self._sent:
            raise PyodideError("PyodideRun.run() may only be called once")
        self._sent = True
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps({"run": list(nodeids)}) + "\n")
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # it died; result() reports the crash with its output

    def result(self, nodeid: str) -> Result:
        """Wait for one test's result."""
        inbox = self._inbox
        with inbox.changed:
            done = lambda: nodeid in inbox.results or inbox.closed or inbox.exitcode is not None  # noqa: E731
            inbox.changed.wait_for(done)
            if nodeid not in inbox.results:
                raise self._crashed(nodeid)
            return inbox.results[nodeid]

    def warnings(self, wait: bool = True) -> list[Warned]:
        """The warnings the tests raised: all of them after waiting for the end of the run,
        else those received so far."""
        inbox = self._inbox
        with inbox.changed:
            if wait:
                inbox.changed.wait_for(lambda: inbox.exitcode is not None or inbox.closed)
            return list(inbox.warnings)

    def close(self) -> None:
        """Stop Node if it is still running (after -x, Ctrl+C or --collect-only)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()


@dataclass(frozen=True)
class Report:
    results: list[Result]
    warnings: list[Warned]


def run_in_pyodide(
    paths: Sequence[Path], extra_args: Sequence[str] = (), rootdir: Path | None = None
) -> list[Result]:
    """Collect and run every test under `paths` in Pyodide. Collection errors come first, as
    results whose only phase is "collect" (outcome "error")."""
    return run_and_report(paths, extra_args, rootdir).results


def run_and_report(
    paths: Sequence[Path], extra_args: Sequence[str] = (), rootdir: Path | None = None
) -> Report:
    """run_in_pyodide, with the warnings the tests raised."""
    run = PyodideRun(paths, extra_args, rootdir)
    try:
        collection = run.collection()
        run.run(test.nodeid for test in collection.tests)
        results = [*collection.errors, *(run.result(t.nodeid) for t in collection.tests)]
        return Report(results, run.warnings())
    finally:
        run.close()
