"""The floor check passes only when our vanilla is nowhere more than 5% slower than jsfb's
vanillajs-keyed, on either clock; it names the operations where it is."""

from __future__ import annotations

import pytest

from benchmarks.jsfb import floor
from benchmarks.jsfb.cpu import Sample


def samples(ours: float, jsfb: float, ours_trace: float, jsfb_trace: float) -> list[Sample]:
    return [
        Sample("05_swap1k", floor.OURS, ours, ours_trace),
        Sample("05_swap1k", floor.THEIRS, jsfb, jsfb_trace),
        Sample("01_run1k", floor.OURS, 20.0, 20.0),
        Sample("01_run1k", floor.THEIRS, 20.0, 20.0),
    ]


@pytest.mark.parametrize(
    ("ours", "ours_trace", "met"),
    [
        (10.4, 10.4, True),  # 4% slower on both clocks
        (8.0, 8.0, True),  # faster never flatters
        (10.6, 10.0, False),  # 6% slower on the page clock
        (10.0, 10.6, False),  # 6% slower on the trace clock
    ],
)
def test_the_floor_passes_unless_ours_is_over_5_percent_slower(
    ours: float, ours_trace: float, met: bool
) -> None:
    table = floor.rows(samples(ours, 10.0, ours_trace, 10.0))
    assert floor.passed(table) is met
    assert ("05_swap1k" in floor.conclusion(table)) is not met


def test_the_table_gives_both_clocks_ratios_and_verdicts() -> None:
    table = floor.rows(samples(12.0, 10.0, 9.0, 10.0))
    line = next(row for row in floor.markdown_table(table).splitlines() if "05_swap1k" in row)
    assert "**1.20x** | SLOWER" in line
    assert "**0.90x** | faster" in line
    assert [entry["verdict"] for entry in floor.operations_json(table)] == ["within 5%", "SLOWER"]
