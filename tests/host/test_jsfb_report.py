"""The memory report: the JS heap over vanilla's at each of jsfb's points, and the growth
target (under 1 MiB after 5 x create/clear, JS heap and wasm together, and no new proxies)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest

from benchmarks.jsfb import memory, report
from benchmarks.jsfb.memory import Snapshot

TARGET = (
    "memory growth, ready to after 5x create/clear, under 1 MiB (JS heap + wasm), no proxy growth"
)


def measured(framework_after: Snapshot) -> dict[str, Any]:
    """What measure_memory returns, for both pages; only the framework's end point varies."""
    ready = Snapshot(10.0, 30.0, 500, 0)
    points = [ready, Snapshot(10.5, 30.0, 29_000, 0), Snapshot(10.2, 30.0, 2500, 0)]
    floor = [Snapshot(2.0), Snapshot(2.5), Snapshot(2.1), Snapshot(2.2)]

    def page(snapshots: list[Snapshot]) -> dict[str, Any]:
        first, last = snapshots[0], snapshots[-1]
        return {
            **{key: asdict(s) for (key, _), s in zip(report.MEMORY_POINTS, snapshots, strict=True)},
            memory.GROWTH: memory.growth(first, last),
            memory.GROWTH_SINCE_FIRST: memory.growth(snapshots[2], last),
        }

    return {"framework": page([*points, framework_after]), "vanilla": page(floor)}


@pytest.mark.parametrize(
    ("after", "met"),
    [
        (Snapshot(10.3, 30.0, 2500, 0), True),  # +0.3 MiB
        (Snapshot(10.1, 31.0, 2500, 0), False),  # the JS heap grew 0.1, wasm 1.0: 1.1 MiB
        (Snapshot(10.1, 30.0, 2500, 1), False),  # a proxy more than at ready
    ],
)
def test_growth_counts_wasm_and_proxies(after: Snapshot, met: bool) -> None:
    target = report.summary([], measured(after), None)["targets"][TARGET]
    assert target["met"] is met


def test_the_table_gives_the_js_heap_ratio_at_each_point_and_the_growth() -> None:
    table = report.memory_table(measured(Snapshot(10.3, 30.0, 2500, 0))).splitlines()
    assert table[2].startswith("| ready | 2.00 | 10.00 | **5.00x** | 30.00 | 40.00 | 20.00x |")
    assert table[5].startswith("| after 5x create/clear | 2.20 | 10.30 | **4.68x** |")
    growth = next(line for line in table if "framework: ready to after 5x" in line)
    assert (
        growth
        == "| framework: ready to after 5x create/clear (target) | +0.300 | +0.000 | +0.300 | yes | +2000 | +0 |"
    )
