"""The floor check: our vanilla page against jsfb's own `vanillajs-keyed`, one runner for both.

A floor slower than the best vanilla flatters every ratio measured against it. Each operation's
ratio is ours / jsfb's (medians) on the page clock and on the trace clock; ours passes when it
is at most 5% slower on both. Being more than 5% faster is marked too, as it may mean that ours
does less work than the contract asks.
"""

from __future__ import annotations

from typing import Any

from benchmarks.jsfb import report
from benchmarks.jsfb.cpu import Sample
from benchmarks.jsfb.site import JSFB_VANILLA

OURS, THEIRS = report.VANILLA, JSFB_VANILLA
IMPLEMENTATIONS = (OURS, THEIRS)
TOLERANCE = 0.05


def rows(samples: list[Sample]) -> list[report.Row]:
    """Per operation: ours in the `framework_*` fields, jsfb's in the `vanilla_*` fields."""
    return report.rows(samples, subject=OURS, floor=THEIRS)


def verdict(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    if ratio > 1 + TOLERANCE:
        return "SLOWER"
    return "faster" if ratio < 1 - TOLERANCE else "within 5%"


def passed(table: list[report.Row]) -> bool:
    """Ours is nowhere more than 5% slower, on either clock."""
    ratios = [r.ratio for r in table] + [t for r in table if (t := r.trace_ratio) is not None]
    return bool(table) and all(ratio <= 1 + TOLERANCE for ratio in ratios)


def operations_json(table: list[report.Row]) -> list[dict[str, Any]]:
    return [
        {
            "operation": r.operation,
            "label": r.label,
            "ours_ms": r.framework_ms,
            "jsfb_ms": r.vanilla_ms,
            "ratio": r.ratio,
            "ours_trace_ms": r.framework_trace_ms,
            "jsfb_trace_ms": r.vanilla_trace_ms,
            "trace_ratio": r.trace_ratio,
            "verdict": verdict(r.ratio),
            "trace_verdict": verdict(r.trace_ratio),
            "samples": r.samples,
        }
        for r in table
    ]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def markdown_table(table: list[report.Row]) -> str:
    lines = [
        "| operation | ours ms | jsfb's ms | ours / jsfb's | | trace: ours | trace: jsfb's "
        "| trace ratio | | runs |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in table:
        lines.append(
            f"| {r.operation} {r.label} | {_ms(r.framework_ms)} | {_ms(r.vanilla_ms)} "
            f"| **{_times(r.ratio)}** | {verdict(r.ratio)} | {_ms(r.framework_trace_ms)} "
            f"| {_ms(r.vanilla_trace_ms)} | **{_times(r.trace_ratio)}** "
            f"| {verdict(r.trace_ratio)} | {r.samples} |"
        )
    ratios = [r.ratio for r in table]
    traced = [t for r in table if (t := r.trace_ratio) is not None]
    lines.append(
        f"| geometric mean | | | **{_times(report.geometric_mean(ratios))}** | | | "
        f"| **{_times(report.geometric_mean(traced) if traced else None)}** | | |"
    )
    return "\n".join(lines)


def conclusion(table: list[report.Row]) -> str:
    if passed(table):
        return "- met: our vanilla is within 5% of jsfb's vanillajs-keyed (or faster) everywhere"
    slower = [
        r.operation
        for r in table
        if verdict(r.ratio) == "SLOWER" or verdict(r.trace_ratio) == "SLOWER"
    ]
    return f"- MISSED: our vanilla is more than 5% slower than jsfb's on {', '.join(slower)}"
