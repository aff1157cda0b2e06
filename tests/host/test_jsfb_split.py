"""A click's trace window is cut into script, applier, style/layout/paint and the rest, each
instant counted once: layout forced inside the applier is layout, the applier's time is not
Python's, and only the renderer's main thread between the click and its frame's Commit counts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks.jsfb.split import APPLIER_STAMP, Split, covered, split
from benchmarks.jsfb.trace import MARK, TraceError

MAIN = {"pid": 1, "tid": 1}


def complete(name: str, start_ms: float, ms: float, **where: int) -> dict[str, Any]:
    return {"ph": "X", "name": name, "ts": start_ms * 1000, "dur": ms * 1000, **MAIN, **where}


def stamp(edge: str, at_ms: float) -> dict[str, Any]:
    """The wrapped applier's console.timeStamp as a call starts or ends."""
    data = {"message": f"{APPLIER_STAMP}:{edge}"}
    return {"ph": "I", "name": "TimeStamp", "ts": at_ms * 1000, "args": {"data": data}, **MAIN}


def trace(*extra: dict[str, Any]) -> bytes:
    """A click at 1 ms whose handlers run to 31 ms, the applier from 20 to 30 ms forcing a
    layout from 25 to 27 ms; the frame's style, layout, paint and Commit from 41 to 60 ms."""
    click = complete("EventDispatch", 1, 30) | {"args": {"data": {"type": "click"}}}
    events = [
        click,
        complete("FunctionCall", 1, 30),
        stamp("start", 20),
        stamp("end", 30),
        complete("Layout", 25, 2),
        {"ph": "I", "name": MARK, "ts": 40_000, **MAIN},
        complete("UpdateLayoutTree", 41, 5),
        complete("Layout", 46, 10),
        complete("Paint", 56, 3),
        complete("Commit", 59, 1),
        complete("Commit", 80, 1),  # a later frame: outside the window
        complete("Layout", 35, 4, pid=2, tid=2),  # another renderer
        complete("Paint", 35, 4, tid=7),  # another thread of this renderer
        *extra,
    ]
    return json.dumps({"traceEvents": events}).encode()


def test_each_instant_of_the_window_is_counted_once() -> None:
    parts = split(trace(), wrapped=True)
    assert parts == Split(total_ms=59.0, script_ms=20.0, applier_ms=8.0, render_ms=21.0)
    assert parts.other_ms == pytest.approx(10.0)  # the wait from 31 ms to the frame at 41 ms


def test_without_the_wrapper_all_script_is_script() -> None:
    parts = split(trace(), wrapped=False)
    assert parts == Split(total_ms=59.0, script_ms=28.0, applier_ms=None, render_ms=21.0)


def test_a_timer_after_the_handlers_counts_as_script() -> None:
    parts = split(trace(complete("TimerFire", 32, 3)), wrapped=True)
    assert parts.script_ms == pytest.approx(23.0)
    assert parts.other_ms == pytest.approx(7.0)


def test_a_trace_without_the_frames_commit_is_refused() -> None:
    events = [e for e in json.loads(trace())["traceEvents"] if e["name"] != "Commit"]
    with pytest.raises(TraceError, match="no Commit"):
        split(json.dumps({"traceEvents": events}).encode(), wrapped=True)


@pytest.mark.parametrize(
    ("spans", "length"),
    [
        ([], 0.0),
        ([(0.0, 10.0), (2.0, 4.0)], 10.0),  # nested
        ([(5.0, 8.0), (0.0, 6.0)], 8.0),  # overlapping, out of order
        ([(0.0, 1.0), (3.0, 4.0)], 2.0),  # apart
    ],
)
def test_covered_is_the_length_of_the_union(
    spans: list[tuple[float, float]], length: float
) -> None:
    assert covered(spans) == length
