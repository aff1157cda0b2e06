"""Medians, ratios to vanilla, the targets, the printed table and the JSON file."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from benchmarks.jsfb.cpu import Sample
from benchmarks.jsfb.operations import OPERATIONS
from benchmarks.jsfb.startup import Visit

FRAMEWORK, VANILLA = "framework", "vanilla"
OP_TARGET, GEOMEAN_TARGET = 2.0, 1.5
MEMORY_TARGET_MB, STARTUP_TARGET = 1.0, 1.2


@dataclass(frozen=True)
class Row:
    operation: str
    label: str
    framework_ms: float
    vanilla_ms: float
    framework_trace_ms: float | None
    vanilla_trace_ms: float | None
    samples: int

    @property
    def ratio(self) -> float:
        return self.framework_ms / self.vanilla_ms if self.vanilla_ms else math.inf

    @property
    def trace_ratio(self) -> float | None:
        if self.framework_trace_ms is None or not self.vanilla_trace_ms:
            return None
        return self.framework_trace_ms / self.vanilla_trace_ms


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 2) if present else None


def rows(samples: list[Sample]) -> list[Row]:
    table = []
    for op in OPERATIONS:
        mine = {
            name: [s for s in samples if s.operation == op.id and s.implementation == name]
            for name in (FRAMEWORK, VANILLA)
        }
        if not mine[FRAMEWORK] or not mine[VANILLA]:
            continue
        table.append(
            Row(
                op.id,
                op.label,
                _median(s.page_ms for s in mine[FRAMEWORK]) or 0.0,
                _median(s.page_ms for s in mine[VANILLA]) or 0.0,
                _median(s.trace_ms for s in mine[FRAMEWORK]),
                _median(s.trace_ms for s in mine[VANILLA]),
                min(len(mine[FRAMEWORK]), len(mine[VANILLA])),
            )
        )
    return table


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def summary(
    table: list[Row], memory: dict[str, Any] | None, startup: list[Visit] | None
) -> dict[str, Any]:
    """Every target with its measured value and whether it is met."""
    geomean = geometric_mean([r.ratio for r in table])
    targets: dict[str, Any] = {
        "each operation within 2.0x": {
            "worst": max((r.ratio for r in table), default=math.nan),
            "met": all(r.ratio <= OP_TARGET for r in table),
        },
        "geometric mean within 1.5x": {"value": geomean, "met": geomean <= GEOMEAN_TARGET},
    }
    if memory is not None:
        growth = memory[FRAMEWORK]["growth_after_5x_create_clear"]
        targets["memory growth after 5x create/clear under 1 MB, no proxy growth"] = {
            "js_heap_mb": growth["js_heap_mb"],
            "live_proxies": growth["live_proxies"],
            "met": growth["js_heap_mb"] < MEMORY_TARGET_MB and growth["live_proxies"] <= 0,
        }
    if startup:
        ratio = startup_ratio(startup, "warm_ms")
        targets["TO-DO ready within 1.2x of plain PyScript (warm)"] = {
            "value": ratio,
            "met": ratio <= STARTUP_TARGET,
        }
    return {"geometric_mean": geomean, "targets": targets}


def startup_medians(visits: list[Visit]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for name in sorted({v.page for v in visits}):
        mine = [v for v in visits if v.page == name]
        result[name] = {
            "cold_ms": statistics.median(v.cold_ms for v in mine),
            "warm_ms": statistics.median(v.warm_ms for v in mine),
            "first_visit_bytes": statistics.median(v.first_visit_bytes for v in mine),
            "first_visit_gzip_bytes": statistics.median(v.first_visit_gzip_bytes for v in mine),
            "runs": len(mine),
        }
    return result


def startup_ratio(visits: list[Visit], key: str, plain: str = "plain") -> float:
    """TO-DO over a plain page: "plain" loads the wheels PyPI publishes (what a page without
    the framework gets); "plain-bytecode" the TO-DO build's, so the ratio is the framework's
    own cost alone."""
    medians = startup_medians(visits)
    return medians["todo"][key] / medians[plain][key]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown_table(table: list[Row]) -> str:
    lines = [
        "| operation | framework ms | vanilla ms | ratio | trace: framework | trace: vanilla "
        "| trace ratio | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in table:
        lines.append(
            f"| {r.operation} {r.label} | {_fmt(r.framework_ms)} | {_fmt(r.vanilla_ms)} "
            f"| **{r.ratio:.2f}x** | {_fmt(r.framework_trace_ms)} | {_fmt(r.vanilla_trace_ms)} "
            f"| {_times(r.trace_ratio)} | {r.samples} |"
        )
    ratios = [r.ratio for r in table]
    traced = [t for r in table if (t := r.trace_ratio) is not None]
    lines.append(
        f"| geometric mean | | | **{geometric_mean(ratios):.2f}x** | | "
        f"| {_times(geometric_mean(traced) if traced else None)} | |"
    )
    return "\n".join(lines)


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def memory_table(memory: dict[str, Any]) -> str:
    lines = [
        "| implementation | point | JS heap MB | wasm MB | Python objects | live PyProxies |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, points in memory.items():
        for point, values in points.items():
            if point.startswith("growth"):
                continue
            lines.append(
                f"| {name} | {point} | {values['js_heap_mb']:.2f} "
                f"| {_fmt(values['wasm_mb'], 1)} | {values['python_objects'] or '-'} "
                f"| {'-' if values['live_proxies'] is None else values['live_proxies']} |"
            )
    for name, points in memory.items():
        growth = points["growth_after_5x_create_clear"]
        lines.append(
            f"| {name} | growth, ready to 5x create/clear | {growth['js_heap_mb']:+.2f} "
            f"| | | {growth['live_proxies']:+d} |"
        )
    return "\n".join(lines)


def startup_table(visits: list[Visit]) -> str:
    medians = startup_medians(visits)
    lines = [
        "| page | cold ms | warm ms | first visit MB | gzip MB | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, m in medians.items():
        lines.append(
            f"| {name} | {m['cold_ms']:.0f} | {m['warm_ms']:.0f} "
            f"| {m['first_visit_bytes'] / 1e6:.2f} | {m['first_visit_gzip_bytes'] / 1e6:.2f} "
            f"| {m['runs']} |"
        )
    if "todo" in medians and "plain" in medians:
        lines.append(
            f"| ratio todo / plain | {startup_ratio(visits, 'cold_ms'):.2f}x "
            f"| **{startup_ratio(visits, 'warm_ms'):.2f}x** | | | |"
        )
    if "todo" in medians and "plain-bytecode" in medians:
        lines.append(
            f"| ratio todo / plain-bytecode (the framework's own cost) "
            f"| {startup_ratio(visits, 'cold_ms', 'plain-bytecode'):.2f}x "
            f"| {startup_ratio(visits, 'warm_ms', 'plain-bytecode'):.2f}x | | | |"
        )
    return "\n".join(lines)


def targets_text(result: dict[str, Any]) -> str:
    lines = []
    for name, target in result["targets"].items():
        values = ", ".join(f"{k} {_number(v)}" for k, v in target.items() if k != "met")
        lines.append(f"- {'met' if target['met'] else 'MISSED'}: {name} ({values})")
    return "\n".join(lines)


def _number(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)
