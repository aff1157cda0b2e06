"""The time split table: per operation, medians of each part for the framework (Python, the
applier, style/layout/paint) beside vanilla's (its JS, style/layout/paint), so a ratio can be
read as "which part is bigger"."""

from __future__ import annotations

from benchmarks.jsfb.cpu import Sample
from benchmarks.jsfb.split_report import split_json, split_rows, split_table

OP = "01_run1k"


def framework(total: float, python: float, applier: float, render: float) -> Sample:
    return Sample(OP, "framework", total + 5, total, python, applier, render)


def vanilla(total: float, script: float, render: float) -> Sample:
    return Sample(OP, "vanilla", total + 5, total, script, None, render)


SAMPLES = [
    framework(100.0, 40.0, 10.0, 45.0),
    framework(120.0, 50.0, 12.0, 50.0),
    framework(110.0, 44.0, 11.0, 48.0),
    Sample(OP, "framework", 300.0, None),  # its trace had no window: left out
    vanilla(60.0, 5.0, 50.0),
    vanilla(64.0, 6.0, 52.0),
]


def test_each_part_is_the_median_over_the_runs_with_a_trace() -> None:
    [row] = split_json(split_rows(SAMPLES))
    assert row["framework"] == {
        "total_ms": 110.0,
        "python_ms": 44.0,
        "applier_ms": 11.0,
        "style_layout_paint_ms": 48.0,
        "other_ms": 7.0,  # per run 5, 8, 7
        "runs": 3,
    }
    assert row["vanilla"] == {
        "total_ms": 62.0,
        "js_ms": 5.5,
        "style_layout_paint_ms": 51.0,
        "other_ms": 5.5,
        "runs": 2,
    }


def test_the_table_puts_vanillas_style_layout_paint_beside_the_frameworks() -> None:
    table = split_table(split_json(split_rows(SAMPLES))).splitlines()
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    line = [cell.strip() for cell in table[2].strip("|").split("|")]
    assert dict(zip(header, line, strict=True)) == {
        "operation": "01_run1k create rows",
        "framework total": "110.0",
        "Python": "44.0",
        "applier JS": "11.0",
        "style/layout/paint": "48.0",
        "other": "7.0",
        "vanilla total": "62.0",
        "vanilla JS": "5.5",
        "vanilla style/layout/paint": "51.0",
        "vanilla other": "5.5",
    }


def test_an_operation_run_on_one_page_only_has_no_row() -> None:
    assert split_rows([s for s in SAMPLES if s.implementation == "framework"]) == []
