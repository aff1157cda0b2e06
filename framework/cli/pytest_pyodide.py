"""pytest plugin: the tests under `pyodide_testpaths` run inside Pyodide, reported by this pytest.

Browser-side code runs on Pyodide's Python 3.14 (t-strings), so its unit tests must too; the host
is CPython 3.11 and must never import them. For each `test_*.py` under those folders (default
`tests/unit`, relative to the rootdir) the host builds a file collector that asks Pyodide, not
Python's importer, what the file holds, and yields one item per Pyodide test, named by the
Pyodide nodeid. So `-k`, `-m`, `-x`, `--lf` and the summary work as for any other test.

One Node process serves the whole session: it starts when collection starts (Pyodide boots
while the host collects its own tests), collects every Pyodide test, then runs exactly the items
the host kept after `-k`/`-m`/`--deselect`, streaming results while the host runs its own tests.
Each item replays its test's setup / call / teardown outcome: failures carry the assertion
rewrite text from inside Pyodide, a collection error inside Pyodide is a collection error here,
and a crash or a missing `node` fails every affected item with the reason.

Enable with `pytest_plugins = ["framework.cli.pytest_pyodide"]` in the top conftest.py. A
conftest.py inside a Pyodide folder is imported by both interpreters (pytest loads conftests per
folder), so keep it to syntax and imports that CPython 3.11 also accepts.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import ReprFileLocation, TerminalRepr
from _pytest._io import TerminalWriter

from framework.cli.errors import CliError
from framework.cli.pyodide_tests import (
    Collected,
    Collection,
    Phase,
    PyodideError,
    PyodideRun,
    Result,
    When,
)

DEFAULT_PATHS = ["tests/unit"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Tier:
    """The session's Pyodide run: started once, lazily, shared by every Pyodide item."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        root = config.rootpath
        paths: list[str] = config.getini("pyodide_testpaths")
        self.roots = [p for p in ((root / path).resolve() for path in paths) if p.is_dir()]
        self._run: PyodideRun | None = None
        self._failure: Exception | None = None
        self._failed_file = ""  # the first file that showed why Pyodide could not collect

    def owns(self, path: Path) -> bool:
        return any(root in path.parents for root in self.roots)

    def wanted_by(self, args: Iterable[str]) -> bool:
        """Will this session collect anything under our folders?"""
        here = self._config.invocation_params.dir
        for arg in args:
            path = (here / arg.split("::")[0]).resolve()
            if any(path == r or r in path.parents or path in r.parents for r in self.roots):
                return True
        return False

    def _pytest_args(self) -> list[str]:
        option = self._config.option
        has_terminal = self._config.pluginmanager.has_plugin("terminalreporter")
        color = "yes" if has_terminal and self._config.get_terminal_writer().hasmarkup else "no"
        args = [f"--color={color}", f"--code-highlight={option.code_highlight}"]
        if option.tbstyle != "auto":
            args.append(f"--tb={option.tbstyle}")
        if option.verbose > 0:
            args.append("-" + "v" * option.verbose)  # longer assertion diffs, as on the host
        if option.showlocals:
            args.append("--showlocals")
        return args

    def run(self) -> PyodideRun:
        if self._failure is not None:
            raise self._failure
        if self._run is None:
            try:
                self._run = PyodideRun(self.roots, self._pytest_args(), self._config.rootpath)
            except Exception as exc:  # reported by every Pyodide file, not just the first
                self._failure = exc
                raise
        return self._run

    def start(self) -> None:
        try:
            self.run()
        except Exception:  # noqa: BLE001 - kept in self._failure, raised at collection
            return

    def collection(self, nodeid: str) -> Collection:
        """Every Pyodide file fails when collection fails; the first one shows why."""
        if self._failed_file:
            raise PyodideError(f"Pyodide could not collect the tests (see {self._failed_file}).")
        try:
            return self.run().collection()
        except CliError:
            self._failed_file = nodeid
            raise

    def select(self, nodeids: list[str]) -> None:
        if self._run is not None:
            self._run.run(nodeids)

    def report_warnings(self, session: pytest.Session) -> None:
        """Hand the warnings raised inside Pyodide to this pytest's warnings summary. After
        -x or Ctrl+C the run is cut short: only what already arrived is reported."""
        if self._run is None or self._failure is not None:
            return
        finished = not (session.shouldstop or session.shouldfail)
        for warned in self._run.warnings(wait=finished):
            text = f"{warned.category}: {warned.message}"
            message = warnings.WarningMessage(
                PyodideWarning(text), PyodideWarning, warned.filename, warned.lineno
            )
            session.config.hook.pytest_warning_recorded.call_historic(
                kwargs={
                    "warning_message": message,
                    "when": "runtest",
                    "nodeid": warned.nodeid,
                    "location": None,
                }
            )

    def close(self) -> None:
        if self._run is not None:
            self._run.close()


class PyodideWarning(UserWarning):
    """A warning a test raised inside Pyodide; its text starts with the warning's category."""


_TIER = pytest.StashKey[_Tier]()


def _tier(config: pytest.Config) -> _Tier:
    return config.stash[_TIER]


class PyodideRepr(TerminalRepr):
    """Text formatted inside Pyodide, printed as-is; `reprcrash` feeds the short summary."""

    def __init__(self, text: str, crash: str, path: str, lineno: int) -> None:
        self.text = text
        self.reprcrash = ReprFileLocation(path, lineno, crash)

    def toterminal(self, tw: TerminalWriter) -> None:
        # Colored inside Pyodide when this terminal has color; a file (junitxml) gets plain text.
        tw.line(self.text if tw.hasmarkup else ANSI.sub("", self.text))


class PyodideFailure(Exception):
    """A phase failed inside Pyodide; carries the text pytest formatted there."""

    def __init__(self, phase: Phase) -> None:
        super().__init__(phase.crash)
        self.phase = phase


class PyodideCollectError(Exception):
    def __init__(self, errors: list[Result]) -> None:
        super().__init__("\n".join(e.longrepr for e in errors))
        self.errors = errors


def _covers(error_nodeid: str, nodeid: str) -> bool:
    """An error in a folder (a broken conftest.py) also breaks every file below it."""
    return error_nodeid in ("", ".", nodeid) or nodeid.startswith(error_nodeid.rstrip("/") + "/")


def _split(rest: str) -> list[str]:
    """`TestA::test_b[x::y]` -> ["TestA", "test_b[x::y]"]: parameter ids may contain `::`."""
    name, bracket, params = rest.partition("[")
    segments = name.split("::")
    segments[-1] += bracket + params
    return segments


Entries = list[tuple[list[str], Collected]]


def _children(parent: pytest.Collector, entries: Entries) -> list[pytest.Item | pytest.Collector]:
    """One item per test, one group per class, in Pyodide's collection order."""
    nodes: list[pytest.Item | pytest.Collector] = []
    groups: dict[str, Entries] = {}
    for segments, test in entries:
        if len(segments) == 1:
            nodes.append(PyodideItem.from_parent(parent, name=segments[0], test=test))
        elif segments[0] in groups:
            groups[segments[0]].append((segments[1:], test))
        else:
            groups[segments[0]] = [(segments[1:], test)]
            nodes.append(
                PyodideGroup.from_parent(parent, name=segments[0], entries=groups[segments[0]])
            )
    return nodes


class PyodideFile(pytest.File):
    """A test file that is never imported here: Pyodide collects it."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        collection = _tier(self.config).collection(self.nodeid)
        errors = [e for e in collection.errors if _covers(e.nodeid, self.nodeid)]
        if errors:
            raise PyodideCollectError(errors)
        prefix = self.nodeid + "::"
        mine = [t for t in collection.tests if t.nodeid.startswith(prefix)]
        return _children(self, [(_split(t.nodeid[len(prefix) :]), t) for t in mine])

    def repr_failure(  # type: ignore[override]  # as pytest's own Collector.repr_failure
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | TerminalRepr:
        error = excinfo.value
        if isinstance(error, PyodideCollectError):
            crash = error.errors[0].phases[0].crash
            return PyodideRepr(str(error), crash, str(self.path), 0)
        if isinstance(error, CliError):  # Node missing, assets broken, Pyodide crashed
            return PyodideRepr(str(error), str(error).splitlines()[0], str(self.path), 0)
        return super().repr_failure(excinfo)


class PyodideGroup(pytest.Collector):
    """A test class inside Pyodide."""

    def __init__(self, *, entries: Entries, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._entries = entries

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return _children(self, self._entries)


class PyodideItem(pytest.Item):
    """One Pyodide test; each phase replays what happened to it inside Pyodide."""

    def __init__(self, *, test: Collected, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test
        self.result: Result | None = None
        with warnings.catch_warnings():
            # Pyodide's pytest already judged these names (and --strict-markers fails there).
            warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
            for marker in test.markers:
                self.add_marker(marker)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.test.lineno, self.test.domain

    def setup(self) -> None:
        self.result = _tier(self.config).run().result(self.test.nodeid)
        call = self.result.phase("call")
        if call is not None and call.outcome == "passed" and call.wasxfail is not None:
            # An XPASS: the host's xfail mark turns this pass into the same XPASS here.
            self.add_marker(pytest.mark.xfail(reason=call.wasxfail, strict=False))
        self._replay("setup")

    def runtest(self) -> None:
        self._replay("call")

    def teardown(self) -> None:
        if self.result is not None:
            self._replay("teardown")

    def _replay(self, when: When) -> None:
        assert self.result is not None
        phase = self.result.phase(when)
        if phase is None:
            return
        # pytest repeats earlier phases' sections in later reports: take each one once.
        sections = dict.fromkeys(s for p in self.result.phases for s in p.sections)
        for title, text in sections:
            key, _, section_when = title.removeprefix("Captured ").rpartition(" ")
            if section_when == when:
                self.add_report_section(when, key, text)
        if phase.outcome == "failed":
            raise PyodideFailure(phase)
        if phase.outcome == "skipped" and phase.wasxfail is not None:
            pytest.xfail(phase.wasxfail)
        if phase.outcome == "skipped":
            pytest.skip(phase.reason)

    def fix_report(self, report: pytest.TestReport, call: pytest.CallInfo[None]) -> None:
        """Show Pyodide's text, duration and skip location, not this plugin's traceback or the
        time spent waiting. (pytest formats setup/teardown errors without repr_failure.)"""
        lineno = (self.test.lineno or 0) + 1
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, CliError):  # the run itself failed: crash, Node missing
            report.longrepr = PyodideRepr(
                str(error), str(error).splitlines()[0], str(self.path), lineno
            )
        phase = self.result.phase(call.when) if self.result and call.when != "collect" else None
        if phase is None:
            return
        report.duration = phase.duration
        if isinstance(error, PyodideFailure):
            report.longrepr = PyodideRepr(phase.longrepr, phase.crash, str(self.path), lineno)
        elif report.skipped and phase.skip_location and not hasattr(report, "wasxfail"):
            report.longrepr = (*phase.skip_location, f"Skipped: {phase.reason}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "pyodide_testpaths",
        "folders (relative to the rootdir) whose tests run in Pyodide under Node",
        type="linelist",
        default=DEFAULT_PATHS,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TIER] = _Tier(config)


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    tier = _tier(session.config)
    if sys.platform != "emscripten" and tier.wanted_by(session.config.args):
        tier.start()


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if sys.platform != "emscripten" and _tier(parent.config).owns(module_path):
        return PyodideFile.from_parent(parent, path=module_path)
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    tier = _tier(session.config)
    if session.config.option.collectonly:
        tier.close()
        return
    tier.select([item.test.nodeid for item in session.items if isinstance(item, PyodideItem)])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if isinstance(item, PyodideItem):
        item.fix_report(report, call)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    tier = _tier(session.config)
    if not session.config.option.collectonly:
        tier.report_warnings(session)
    tier.close()
