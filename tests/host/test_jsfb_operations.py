"""How many times the runner times each operation: jsfb's 15, and 25 for select."""

from __future__ import annotations

import pytest

from benchmarks.jsfb.operations import OPERATIONS


def runs_of(operation_id: str, iterations: int) -> int:
    (op,) = (op for op in OPERATIONS if op.id == operation_id)
    return op.runs(iterations)


@pytest.mark.parametrize(
    ("operation_id", "iterations", "runs"),
    [
        ("04_select1k", 15, 25),  # jsfb: NUM_ITERATIONS_FOR_BENCHMARK_CPU + additionalNumberOfRuns
        ("04_select1k", 30, 50),
        ("04_select1k", 1, 2),
        ("01_run1k", 15, 15),
        ("09_clear1k_x8", 1, 1),
    ],
)
def test_select_gets_jsfb_s_extra_runs_in_proportion(
    operation_id: str, iterations: int, runs: int
) -> None:
    assert runs_of(operation_id, iterations) == runs
