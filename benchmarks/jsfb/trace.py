"""Click-to-paint from a Chrome trace, after jsfb's rule (shared/reference/jsfb-contract.md).

jsfb takes the click's EventDispatch, then the last click, animation-frame, timer, layout or
function-call event of the renderer, and ends at the first Commit after it. The page probe's own
animation frame (marked `bench-frame`) is the last event that belongs to the operation: what
follows it is the probe's timer and the runner's polling, which jsfb's rule would wrongly count.
So the duration is the end of the first Commit after that mark minus the click's start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "v8.cpu_profiler",
]
MARK = "bench-frame"


class TraceError(ValueError):
    """The trace does not hold exactly one click, the probe's mark and a Commit after it."""


def _click(events: list[dict[str, Any]]) -> dict[str, Any]:
    clicks = [
        e
        for e in events
        if e.get("name") == "EventDispatch"
        and e.get("args", {}).get("data", {}).get("type") == "click"
    ]
    if len(clicks) != 1:
        raise TraceError(f"expected exactly one click EventDispatch, found {len(clicks)}")
    return clicks[0]


@dataclass(frozen=True)
class Window:
    """The click's span on the renderer's main thread, in trace microseconds."""

    pid: int
    tid: int
    start: float  # the click's EventDispatch begins
    end: float  # the first Commit after the probe's animation frame ends


def click_window(events: list[dict[str, Any]]) -> Window:
    click = _click(events)
    pid = click["pid"]
    same = [e for e in events if e.get("pid") == pid]
    marks = [e for e in same if e.get("name") == MARK and e["ts"] >= click["ts"]]
    if not marks:
        raise TraceError("the page probe's animation-frame mark is missing")
    after = min(e["ts"] for e in marks)
    commits = sorted(
        (e for e in same if e.get("name") == "Commit" and e["ts"] >= after), key=lambda e: e["ts"]
    )
    if not commits:
        raise TraceError("no Commit after the click's frame")
    first = commits[0]
    return Window(pid, click["tid"], float(click["ts"]), float(first["ts"] + first.get("dur", 0)))


def trace_events(trace: bytes) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(trace)["traceEvents"]
    return events
