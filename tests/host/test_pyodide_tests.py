"""framework.cli.pyodide_tests against a real Node + Pyodide: every outcome comes back as it
happened inside Pyodide, so the unit tier cannot silently pass.

One Node process serves the whole module (Pyodide takes about 3 s to start).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.cli import pyodide_tests
from framework.cli.pyodide_tests import PyodideError, PyodideRun, Result

OUTCOMES = """
import sys

import pytest

import framework


@pytest.fixture
def broken():
    raise RuntimeError("the fixture broke")


def test_passes():
    print("printed inside Pyodide")
    assert sys.version_info[:2] == (3, 14)
    assert framework.__version__


def test_fails():
    expected = {"title": "milk", "done": True}
    assert {"title": "milk", "done": False} == expected


def test_skips():
    pytest.skip("not in this browser")


def test_errors(broken):
    pass


@pytest.mark.xfail(reason="known bug")
def test_xfails():
    assert t"{1}".strings == ("x",)


class TestGroup:
    @pytest.mark.parametrize("n", [1, 2])
    def test_param(self, n):
        assert n
"""

CRASH = """
import os


def test_crashes():
    os._exit(3)


def test_after_the_crash():
    pass
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    tests = root / "tests"
    tests.mkdir()
    (tests / "test_outcomes.py").write_text(OUTCOMES)
    (tests / "test_broken.py").write_text("import not_a_module\n")
    (tests / "test_zz_crash.py").write_text(CRASH)
    # Host-side conftests above the test folder must never be imported inside Pyodide.
    (root / "conftest.py").write_text("raise ImportError('host conftest imported in Pyodide')\n")
    return root


@pytest.fixture(scope="module")
def run(project: Path) -> Iterator[PyodideRun]:
    run = PyodideRun([project / "tests"], rootdir=project)
    run.run(test.nodeid for test in run.collection().tests)
    yield run
    run.close()


def result(run: PyodideRun, name: str) -> Result:
    return run.result(f"tests/test_outcomes.py::{name}")


def test_collects_every_test_with_its_location(run: PyodideRun) -> None:
    tests = {t.nodeid: t for t in run.collection().tests}
    assert "tests/test_outcomes.py::TestGroup::test_param[2]" in tests
    assert tests["tests/test_outcomes.py::test_fails"].lineno == 19  # 0-based, as pytest's
    assert len(tests) == 9


def test_a_passing_test_passes_on_python_314_with_its_output(run: PyodideRun) -> None:
    passed = result(run, "test_passes")
    assert passed.outcome == "passed"
    assert ("Captured stdout call", "printed inside Pyodide\n") in passed.phases[-1].sections


def test_a_failing_test_fails_with_the_assertion_rewrite_text(run: PyodideRun) -> None:
    failed = result(run, "test_fails")
    assert failed.outcome == "failed"
    assert "{'done': False} != {'done': True}" in failed.longrepr
    assert "tests/test_outcomes.py:22: AssertionError" in failed.longrepr
    assert failed.phase("call") is not None
    assert failed.phases[1].crash.startswith("AssertionError: assert {")


def test_a_skip_keeps_its_reason_and_line(run: PyodideRun) -> None:
    skipped = result(run, "test_skips")
    assert skipped.outcome == "skipped"
    call = skipped.phase("call")
    assert call is not None
    assert call.reason == "not in this browser"
    assert call.skip_location is not None
    assert call.skip_location[1] == 26  # 1-based, as pytest's skip summary


def test_a_fixture_error_is_an_error_at_setup(run: PyodideRun) -> None:
    errored = result(run, "test_errors")
    assert errored.outcome == "error"
    setup = errored.phase("setup")
    assert setup is not None
    assert setup.outcome == "failed"
    assert "RuntimeError: the fixture broke" in setup.longrepr


def test_xfail_and_classes(run: PyodideRun) -> None:
    assert result(run, "test_xfails").outcome == "xfailed"
    assert result(run, "TestGroup::test_param[1]").outcome == "passed"


def test_a_collection_error_is_reported_with_its_cause(run: PyodideRun) -> None:
    (error,) = run.collection().errors
    assert error.nodeid == "tests/test_broken.py"
    assert error.outcome == "error"
    assert "ModuleNotFoundError: No module named 'not_a_module'" in error.longrepr


def test_a_crash_fails_loudly_with_pyodide_last_output(run: PyodideRun) -> None:
    with pytest.raises(
        PyodideError, match=r"(?s)exited with code 1 .*Program terminated with exit\(3\)"
    ) as crash:
        run.result("tests/test_zz_crash.py::test_crashes")
    assert "test_zz_crash.py" in str(crash.value)
    with pytest.raises(PyodideError, match="output is shown with tests/test_zz_crash"):
        run.result("tests/test_zz_crash.py::test_after_the_crash")


def test_no_pytest_cache_clobbers_the_host_one(run: PyodideRun, project: Path) -> None:
    assert run.result("tests/test_outcomes.py::TestGroup::test_param[2]").outcome == "passed"
    assert not (project / ".pytest_cache").exists()
    # Bytecode is kept, under Pyodide's own tag, so the next run skips compiling.
    assert list(project.glob("tests/__pycache__/test_outcomes.cpython-314-pytest-*.pyc"))


def test_a_missing_node_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FRAMEWORK_NODE", "no-such-node")
    with pytest.raises(PyodideError, match=r"Node\.js.*`no-such-node`.*apt-get install nodejs"):
        pyodide_tests.run_in_pyodide([tmp_path])


SNAPSHOT_CHECK = """
import random
import sys


def test_started():
    print(random.random())
    assert sys.version_info[:2] == (3, 14)
"""


def test_a_run_starts_from_the_snapshot_the_first_saved_and_survives_a_broken_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    snapshot = tmp_path / "cache" / "pytest-test.bin"
    monkeypatch.setattr(
        pyodide_tests,
        "_snapshot",
        lambda: {"path": str(snapshot), "imports": ["json", "random"]},
    )
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_start.py").write_text(SNAPSHOT_CHECK)

    def drawn() -> str:
        (result,) = pyodide_tests.run_in_pyodide([tests], rootdir=tmp_path)
        assert result.outcome == "passed", result.longrepr
        return dict(result.phases[-1].sections)["Captured stdout call"]

    first = drawn()  # started the usual way, and saved the snapshot
    saved = snapshot.stat()
    assert saved.st_size > 1_000_000
    assert drawn() != first  # restored, with random seeded again
    assert snapshot.stat().st_mtime_ns == saved.st_mtime_ns  # restored, not saved again
    snapshot.write_bytes(b"not a snapshot")
    drawn()  # started the usual way again, and saved a good one
    assert snapshot.stat().st_size > 1_000_000
