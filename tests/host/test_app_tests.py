"""`framework test APP`: a new app's own test passes in Pyodide; a broken one fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli.main import main


@pytest.fixture
def new_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hello"]) == 0
    return tmp_path / "hello"


def test_new_apps_test_passes(new_app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["test", str(new_app)]) == 0
    out = capsys.readouterr().out
    assert "PASSED   tests/test_app.py::test_counter_counts_clicks" in out
    assert out.rstrip().endswith("framework: 1 passed")


def test_broken_component_fails_with_the_assertion(
    new_app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = new_app / "counter.py"
    counter.write_text(counter.read_text().replace("+= 1", "+= 2"))
    capsys.readouterr()
    assert main(["test", str(new_app)]) == 1
    out = capsys.readouterr().out
    assert "FAILED   tests/test_app.py::test_counter_counts_clicks" in out
    assert "Clicks: 3" in out  # the failing comparison is shown
    assert "framework: 1 failed" in out


def test_app_without_tests_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    assert main(["test", str(tmp_path)]) == 2
    assert "has no tests/ folder" in capsys.readouterr().err
