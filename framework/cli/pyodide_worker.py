"""The pytest plugin that runs INSIDE Pyodide and talks to the host over two pipes.

`pyodide_runner.mjs` copies this file into Pyodide's filesystem and calls `main`. It imports
the standard library and pytest, and the browser-side `framework.testing` (the per-test loop):
it runs on Python 3.14 in WebAssembly, where `framework.cli` (Starlette, uvicorn) does not exist.

Protocol (one JSON object per line; `send` writes Node's stdout, `receive` reads Node's stdin):
  worker -> host  {"type": "collected", "tests": [...], "errors": [...]}
  host -> worker  {"run": [nodeid, ...]}      the tests the host selected, nothing else runs
  worker -> host  {"type": "result", ...}     one per test, as soon as it finishes
  worker -> host  {"type": "warning", "nodeid", "filename", "lineno", "category", "message"}
                                              a warning, after the result of its test
  worker -> host  {"type": "done", "exitcode": N}
Waiting for the host's selection between collection and running lets one Pyodide start serve
both, and streaming results lets the host report each test while the next one runs.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from _pytest.config import create_terminal_writer

# Marks whose effect pytest already applied inside Pyodide: copying them to the host item would
# make the host skip or xfail a second time. Other marks are copied so that `-m` selects.
APPLIED_MARKS = frozenset(
    {"skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings"}
)

Send = Callable[[str], None]
Receive = Callable[[], str]


def _location(item: pytest.Item) -> list[Any]:
    path, lineno, domain = item.location
    return [path, lineno, domain]


def _skip(report: pytest.TestReport) -> dict[str, Any]:
    """Reason and location of a skip: pytest keeps them as a (path, lineno, message) tuple."""
    longrepr = report.longrepr
    wasxfail = getattr(report, "wasxfail", None)
    if wasxfail is not None:
        return {"reason": wasxfail}
    if isinstance(longrepr, tuple):
        path, lineno, message = longrepr
        return {"reason": message.removeprefix("Skipped: "), "skip_location": [path, lineno]}
    return {"reason": report.longreprtext}


def _crash(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The one-line message pytest's short summary shows (`assert 1 == 2`)."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)
    # Collection errors carry no crash entry: their last line names the error.
    lines = [line for line in report.longreprtext.splitlines() if line.strip()]
    return lines[-1].removeprefix("E").strip() if lines else ""


def _text(report: pytest.TestReport | pytest.CollectReport, config: pytest.Config) -> str:
    """Like `report.longreprtext`, but colored as --color asks (the host passes its own choice)
    and without stripping the first line's indentation."""
    file = io.StringIO()
    report.toterminal(create_terminal_writer(config, file))
    return file.getvalue().rstrip()


class Recorder:
    """Reports collection, waits for the host's selection, streams one result per test."""

    def __init__(self, send: Send, receive: Receive) -> None:
        self._send = send
        self._receive = receive
        self._errors: list[dict[str, str]] = []
        self._phases: dict[str, list[dict[str, Any]]] = {}
        self._config: pytest.Config | None = None

    def pytest_addoption(self, parser: pytest.Parser) -> None:
        # The host plugin's setting, read from the same pyproject.toml: known here too, so
        # that this pytest does not warn about it on every run.
        parser.addini("pyodide_testpaths", "read by the host", type="linelist")

    def pytest_configure(self, config: pytest.Config) -> None:
        self._config = config

    def _text(self, report: pytest.TestReport | pytest.CollectReport) -> str:
        assert self._config is not None
        return _text(report, self._config)

    def _emit(self, message: dict[str, Any]) -> None:
        self._send(json.dumps(message))

    @pytest.hookimpl(trylast=True)
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            error = {"nodeid": report.nodeid, "longrepr": self._text(report)}
            self._errors.append({**error, "crash": _crash(report)})

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        tests = [
            {
                "nodeid": item.nodeid,
                "location": _location(item),
                "markers": sorted({m.name for m in item.iter_markers()} - APPLIED_MARKS),
            }
            for item in items
        ]
        self._emit({"type": "collected", "tests": tests, "errors": self._errors})
        wanted = set(json.loads(self._receive())["run"])
        deselected = [item for item in items if item.nodeid not in wanted]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.nodeid in wanted]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        phase = {
            "when": report.when,
            "outcome": report.outcome,
            "longrepr": self._text(report) if report.failed else "",
            "crash": _crash(report) if report.failed else "",
            "wasxfail": getattr(report, "wasxfail", None),
            "duration": report.duration,
            "sections": [list(section) for section in report.sections],
            **(_skip(report) if report.skipped else {}),
        }
        self._phases.setdefault(report.nodeid, []).append(phase)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        phases = self._phases.pop(nodeid, [])
        self._emit({"type": "result", "nodeid": nodeid, "phases": phases})

    def pytest_warning_recorded(
        self, warning_message: warnings.WarningMessage, nodeid: str
    ) -> None:
        # pytest records a test's warnings after its result went out: they follow it.
        self._emit(
            {
                "type": "warning",
                "nodeid": nodeid,
                "filename": warning_message.filename,
                "lineno": warning_message.lineno,
                "category": warning_message.category.__name__,
                "message": str(warning_message.message),
            }
        )


class TestLoops:
    """Each test runs on a fresh event loop of its own (framework.testing): the tasks its
    components start run when the test calls settle(), and those still pending at its end
    are cancelled with a PendingTaskWarning."""

    def __init__(self) -> None:
        # Imported here, not at the top: this file only needs the framework when it tests it.
        self._testing = importlib.import_module("framework.testing")

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Any:
        self._testing.start_test_loop()
        return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Any:
        __tracebackhide__ = True  # under -W error, the warning is the report, not this hook
        try:
            return (yield)
        finally:
            pending = self._testing.finish_test_loop()
            if pending:  # reported at the test's own line, where the reader will look
                _path, lineno, _name = item.location
                warnings.warn_explicit(
                    self._testing.pending_warning(pending),
                    self._testing.PendingTaskWarning,
                    str(item.path),
                    (lineno or 0) + 1,
                )


def main(args_json: str, send: Send, receive: Receive) -> int:
    """Run pytest with the recorder; the exit code goes to the host in the final message."""
    args: list[str] = json.loads(args_json)
    # Pyodide defaults to not writing .pyc files. Compiling in WebAssembly is slow, and the
    # mounted tree keeps them between runs (__pycache__/*.cpython-314*.pyc, next to CPython's own
    # files, as the host pytest does): collection takes half the time on the second run.
    sys.dont_write_bytecode = False
    recorder = Recorder(send, receive)
    exitcode = int(pytest.main(args, plugins=[recorder, TestLoops()]))
    send(json.dumps({"type": "done", "exitcode": exitcode}))
    return exitcode
