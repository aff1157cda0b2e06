"""framework.cli.pytest_pyodide: each Pyodide result becomes the same outcome in the host run.

An inner pytest run (pytester) with a fake `PyodideRun` that returns canned results, so these
tests need no Node; tests/host/test_pyodide_tests.py covers the real Pyodide side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from framework.cli import pytest_pyodide
from framework.cli.pyodide_tests import (
    Collected,
    Collection,
    Phase,
    PyodideError,
    Result,
    Warned,
)

FILE = "tests/unit/test_a.py"
FAIL_TEXT = (
    "    def test_fail():\n>       assert 1 == 2\nE       assert 1 == 2\n\ntest_a.py:3: Error"
)


def ok(when: str) -> Phase:
    return Phase(when, "passed")  # type: ignore[arg-type]


def result(name: str, call: Phase, setup: Phase | None = None) -> Result:
    return Result(f"{FILE}::{name}", (setup or ok("setup"), call, ok("teardown")))


RESULTS = [
    result("test_pass", Phase("call", "passed", sections=(("Captured stdout call", "hi\n"),))),
    result("test_fail", Phase("call", "failed", FAIL_TEXT, crash="assert 1 == 2")),
    result("test_skip", Phase("call", "skipped", reason="no", skip_location=(FILE, 7))),
    result("test_xfail", Phase("call", "skipped", wasxfail="known bug")),
    result("test_xpass", Phase("call", "passed", wasxfail="known bug")),
    result("test_error", ok("call"), Phase("setup", "failed", "E   RuntimeError: fixture")),
    result("TestGroup::test_in_class[a::b]", ok("call")),
]


class FakeRun:
    """Stands in for the Node process: the plugin only talks to this interface."""

    last: FakeRun | None = None
    start_error: Exception | None = None
    errors: tuple[Result, ...] = ()

    def __init__(self, paths: Sequence[Path], args: Sequence[str], rootdir: Path) -> None:
        if FakeRun.start_error is not None:
            raise FakeRun.start_error
        FakeRun.last = self
        self.paths = paths
        self.selected: list[str] | None = None
        self.closed = False

    def collection(self) -> Collection:
        tests = tuple(Collected(r.nodeid, FILE, 2, r.nodeid.split("::", 1)[1]) for r in RESULTS)
        slow = Collected(f"{FILE}::test_slow", FILE, 9, "test_slow", ("slow",))
        return Collection((*tests, slow), FakeRun.errors)

    def run(self, nodeids: Iterable[str]) -> None:
        self.selected = list(nodeids)

    def result(self, nodeid: str) -> Result:
        found = {r.nodeid: r for r in RESULTS}.get(nodeid)
        if found is None:
            raise PyodideError(f"Pyodide exited with code 1 before reporting {nodeid}.")
        return found

    def warnings(self, wait: bool = True) -> list[Warned]:
        self.waited_for_warnings = wait
        message = "1 task(s) still pending when the test ended"
        return [
            Warned(f"{FILE}::test_pass", "/app/tests/test_a.py", 3, "PendingTaskWarning", message)
        ]

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(pytest_pyodide, "PyodideRun", FakeRun)
    monkeypatch.setattr(FakeRun, "start_error", None)
    monkeypatch.setattr(FakeRun, "errors", ())
    pytester.makeini("[pytest]\n")
    # Python 3.14 syntax: a host import of this file would be a SyntaxError.
    pytester.mkdir("tests")
    pytester.mkdir("tests/unit")
    (pytester.path / FILE).write_text('x = t"never imported on the host"\n')
    return pytester


def run(inner: pytest.Pytester, *args: str) -> pytest.RunResult:
    # pytest-playwright's soft-assertion scope cannot nest inside the outer run's.
    plugins = ("-p", "framework.cli.pytest_pyodide", "-p", "no:playwright")
    return inner.runpytest_inprocess(*plugins, "-rA", *args)


def test_every_outcome_is_replayed(inner: pytest.Pytester) -> None:
    outcome = run(inner)
    outcome.assert_outcomes(passed=2, failed=1, skipped=1, xfailed=1, xpassed=1, errors=2)
    outcome.stdout.fnmatch_lines(
        [
            "*_ test_fail _*",
            ">       assert 1 == 2",
            "E       assert 1 == 2",
            "*Captured stdout call*",
            "hi",
            "SKIPPED [1] tests/unit/test_a.py:7: no",
            "XFAIL tests/unit/test_a.py::test_xfail - known bug",
            "XPASS tests/unit/test_a.py::test_xpass - known bug",
            "ERROR tests/unit/test_a.py::test_error - *",
            "ERROR tests/unit/test_a.py::test_slow - Pyodide exited with code 1 before *",
            "FAILED tests/unit/test_a.py::test_fail - assert 1 == 2",
        ],
        consecutive=False,
    )
    assert FakeRun.last is not None
    assert FakeRun.last.closed


def test_warnings_raised_inside_pyodide_reach_the_warnings_summary(
    inner: pytest.Pytester,
) -> None:
    outcome = run(inner, "-k", "test_pass")
    outcome.assert_outcomes(passed=1, warnings=1)
    outcome.stdout.fnmatch_lines(
        [
            "*warnings summary*",
            "tests/unit/test_a.py::test_pass",
            "  /app/tests/test_a.py:3: PyodideWarning: PendingTaskWarning: 1 task(s) still *",
        ]
    )
    assert FakeRun.last is not None
    assert FakeRun.last.waited_for_warnings


def test_only_the_selected_tests_are_run_in_pyodide(inner: pytest.Pytester) -> None:
    run(inner, "-k", "in_class or test_pass").assert_outcomes(passed=2)
    assert FakeRun.last is not None
    assert FakeRun.last.selected == [
        f"{FILE}::test_pass",
        f"{FILE}::TestGroup::test_in_class[a::b]",
    ]


def test_pyodide_marks_select_on_the_host(inner: pytest.Pytester) -> None:
    run(inner, "-m", "slow", "-W", "ignore::pytest.PytestUnknownMarkWarning")
    assert FakeRun.last is not None
    assert FakeRun.last.selected == [f"{FILE}::test_slow"]


def test_a_node_id_selects_through_classes_and_parameters(inner: pytest.Pytester) -> None:
    run(inner, f"{FILE}::TestGroup::test_in_class[a::b]").assert_outcomes(passed=1)


def test_collect_only_runs_nothing(inner: pytest.Pytester) -> None:
    run(inner, "--collect-only", "-q").stdout.fnmatch_lines(["*8 tests collected*"])
    assert FakeRun.last is not None
    assert FakeRun.last.selected is None
    assert FakeRun.last.closed


def test_a_collection_error_in_pyodide_is_a_collection_error(inner: pytest.Pytester) -> None:
    text = "E   ModuleNotFoundError: No module named 'nope'"
    error = Phase("collect", "failed", text, crash="ModuleNotFoundError: No module named 'nope'")
    FakeRun.errors = (Result(FILE, (error,)),)
    outcome = run(inner)
    assert outcome.ret == pytest.ExitCode.INTERRUPTED
    outcome.stdout.fnmatch_lines(
        [
            "*ERROR collecting tests/unit/test_a.py*",
            text,
            "ERROR tests/unit/test_a.py - ModuleNotFoundError: No module named 'nope'",
        ]
    )


def test_a_failure_to_start_fails_collection_with_the_reason(inner: pytest.Pytester) -> None:
    FakeRun.start_error = PyodideError("`node` is not found. Install it")
    (inner.path / "tests/unit/test_b.py").write_text("")
    outcome = run(inner)
    assert outcome.ret == pytest.ExitCode.INTERRUPTED
    outcome.stdout.fnmatch_lines(
        [
            "ERROR tests/unit/test_a.py - `node` is not found. Install it",
            "ERROR tests/unit/test_b.py - Pyodide could not collect the tests (see *",
        ]
    )


def test_host_tests_alone_never_start_pyodide(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_host="def test_host():\n    pass\n")
    FakeRun.last = None
    run(inner, "test_host.py").assert_outcomes(passed=1)
    assert FakeRun.last is None
