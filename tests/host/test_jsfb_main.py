"""The runner measures an operation again in a new tab when Chromium's renderer crashed in the
tab (no timing was taken there), and lets every other error stop the run."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from benchmarks.jsfb import __main__ as runner
from benchmarks.jsfb.cpu import Sample
from benchmarks.jsfb.operations import OPERATIONS

SELECT = next(op for op in OPERATIONS if op.id.startswith("04"))
TIMED = Sample(SELECT.id, "framework", 20.0, 18.0)


def failing(errors: list[str]) -> Any:
    """A measure() that raises each of `errors` in turn, then times the click."""

    def measure(*_: Any) -> Sample:
        if errors:
            raise PlaywrightError(errors.pop(0))
        return TIMED

    return measure


@pytest.mark.parametrize("crashes", [1, runner.CRASH_RETRIES])
def test_a_crashed_tab_is_measured_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], crashes: int
) -> None:
    monkeypatch.setattr(runner, "measure", failing(["Page crashed"] * crashes))
    assert runner.measure_again_if_crashed(None, None, "url", "framework", SELECT) == TIMED  # type: ignore[arg-type]
    assert capsys.readouterr().out.count("crashed; measuring in a new tab") == crashes


@pytest.mark.parametrize(
    "errors",
    [
        ["Timeout 30000ms exceeded"],  # not a crash: the page is broken, stop
        ["Page crashed"] * (runner.CRASH_RETRIES + 1),  # crashing every time: stop
    ],
)
def test_other_errors_and_endless_crashes_stop_the_run(
    monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    monkeypatch.setattr(runner, "measure", failing(list(errors)))
    with pytest.raises(PlaywrightError, match=errors[-1]):
        runner.measure_again_if_crashed(None, None, "url", "framework", SELECT)  # type: ignore[arg-type]
