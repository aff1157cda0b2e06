"""The time split per operation (split.py): medians of each part over the timed runs, for the
framework and for vanilla, its table and its JSON."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from benchmarks.jsfb.cpu import Sample
from benchmarks.jsfb.operations import OPERATIONS
from benchmarks.jsfb.report import FRAMEWORK, VANILLA
from benchmarks.jsfb.split import Split


@dataclass(frozen=True)
class Parts:
    """Medians in ms (each part's own median: they need not add up to the total's exactly)."""

    total_ms: float
    script_ms: float  # the framework's: Python; vanilla's: all its JS
    applier_ms: float | None
    render_ms: float
    other_ms: float
    runs: int


@dataclass(frozen=True)
class SplitRow:
    operation: str
    label: str
    framework: Parts
    vanilla: Parts


def _median(values: Iterable[float]) -> float:
    return round(statistics.median(values), 2)


def _split(sample: Sample) -> Split | None:
    """The sample's parts, if its trace had a window."""
    total, script, render = sample.trace_ms, sample.script_ms, sample.render_ms
    if total is None or script is None or render is None:
        return None
    return Split(total, script, sample.applier_ms, render)


def parts(samples: list[Sample]) -> Parts | None:
    split = [found for s in samples if (found := _split(s)) is not None]
    if not split:
        return None
    applier = [s.applier_ms for s in split if s.applier_ms is not None]
    return Parts(
        _median(s.total_ms for s in split),
        _median(s.script_ms for s in split),
        _median(applier) if applier else None,
        _median(s.render_ms for s in split),
        _median(s.other_ms for s in split),
        len(split),
    )


def split_rows(samples: list[Sample]) -> list[SplitRow]:
    table = []
    for op in OPERATIONS:
        found = {
            name: parts([s for s in samples if s.operation == op.id and s.implementation == name])
            for name in (FRAMEWORK, VANILLA)
        }
        framework, vanilla = found[FRAMEWORK], found[VANILLA]
        if framework is not None and vanilla is not None:
            table.append(SplitRow(op.id, op.label, framework, vanilla))
    return table


def _named(parts: Parts, script: str) -> dict[str, Any]:
    """The parts under the names the table uses: the framework's script is Python, vanilla's is
    all its JS (and it has no applier)."""
    applier = {"applier_ms": parts.applier_ms} if script == "python" else {}
    return {
        "total_ms": parts.total_ms,
        f"{script}_ms": parts.script_ms,
        **applier,
        "style_layout_paint_ms": parts.render_ms,
        "other_ms": parts.other_ms,
        "runs": parts.runs,
    }


def split_json(table: list[SplitRow]) -> list[dict[str, Any]]:
    return [
        {
            "operation": row.operation,
            "label": row.label,
            FRAMEWORK: _named(row.framework, "python"),
            VANILLA: _named(row.vanilla, "js"),
        }
        for row in table
    ]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def split_table(rows: list[dict[str, Any]]) -> str:
    """The JSON rows (split_json) as a table: medians in ms on the trace clock, click to the
    frame's Commit, per part."""
    lines = [
        "| operation | framework total | Python | applier JS | style/layout/paint | other "
        "| vanilla total | vanilla JS | vanilla style/layout/paint | vanilla other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        f, v = r[FRAMEWORK], r[VANILLA]
        lines.append(
            f"| {r['operation']} {r['label']} | {_ms(f['total_ms'])} | {_ms(f.get('python_ms'))} "
            f"| {_ms(f.get('applier_ms'))} | {_ms(f['style_layout_paint_ms'])} "
            f"| {_ms(f['other_ms'])} | {_ms(v['total_ms'])} | {_ms(v.get('js_ms'))} "
            f"| {_ms(v['style_layout_paint_ms'])} | {_ms(v['other_ms'])} |"
        )
    return "\n".join(lines)
