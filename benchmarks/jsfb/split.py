"""Where a click's time goes, from the trace of the timed run itself (trace.py's window).

The window, from the click's dispatch to the end of its frame's Commit, is cut into parts by
the events of the renderer's main thread, each part counted once even where events nest:

- **style/layout/paint**: the browser's rendering steps (RENDER_EVENTS), also when JS forces
  them early;
- **applier**: the framework's JS applier, `__framework_dom__.apply`, which the runner wraps
  (WRAP_APPLIER) so that each call leaves a start and an end stamp in the trace;
- **script**: every other JS task, callback and microtask (SCRIPT_EVENTS). On the framework's
  page that is Python (Pyodide's wasm is entered from the event listener) plus the framework's
  small JS glue; on the vanilla page it is all of vanilla's work. The probe's own animation-frame
  callback (a mark and a timer, about 0.1 ms) is counted here on both pages;
- **other**: the rest of the window: waiting for the frame, the click's hit test, GC between
  tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from benchmarks.jsfb.trace import Window, click_window, trace_events

APPLIER_STAMP = "framework-apply"
# Wraps the applier where the page has one (the framework's), keeping a total the profiler
# prints and, for the trace, a console.timeStamp as each call starts and ends (a trace event and
# nothing else: no entry object, about 1 us). The wrapper is called once here, with no ops: V8
# compiles a function at its first call, which would otherwise be in the timed click.
WRAP_APPLIER = f"""() => {{
  const dom = globalThis.__framework_dom__;
  if (!dom) return false;
  const apply = dom.apply;
  dom.apply = (ops, ...rest) => {{
    const start = performance.now();
    console.timeStamp("{APPLIER_STAMP}:start");
    try {{ return apply(ops, ...rest); }} finally {{
      console.timeStamp("{APPLIER_STAMP}:end");
      __applied__.ms += performance.now() - start;
      __applied__.calls += 1;
      __applied__.bytes += ops?.length ?? 0;
    }}
  }};
  globalThis.__applied__ = {{ ms: 0, calls: 0, bytes: 0 }};
  dom.apply("[]");
  globalThis.__applied__ = {{ ms: 0, calls: 0, bytes: 0 }};
  return true;
}}"""
SCRIPT_EVENTS = frozenset(
    {
        "EventDispatch",
        "FunctionCall",
        "TimerFire",
        "FireAnimationFrame",
        "FireIdleCallback",
        "RunMicrotasks",
        "EvaluateScript",
        "v8.evaluateModule",
    }
)
RENDER_EVENTS = frozenset(
    {
        "UpdateLayoutTree",
        "RecalculateStyles",
        "Layout",
        "PrePaint",
        "Paint",
        "PaintImage",
        "Layerize",
        "UpdateLayer",
        "UpdateLayerTree",
        "CompositeLayers",
        "Commit",
        "IntersectionObserverController::computeIntersections",
    }
)
Span = tuple[float, float]


@dataclass(frozen=True)
class Split:
    """Milliseconds of one click's window; script + applier + render + other = total."""

    total_ms: float
    script_ms: float
    applier_ms: float | None  # None: the page has no applier (vanilla)
    render_ms: float

    @property
    def other_ms(self) -> float:
        return self.total_ms - self.script_ms - (self.applier_ms or 0.0) - self.render_ms


def covered(spans: Iterable[Span]) -> float:
    """The length of the union of spans."""
    total, reach = 0.0, -float("inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _clipped(spans: Iterable[Span], window: Window) -> list[Span]:
    return [
        (max(s, window.start), min(e, window.end))
        for s, e in spans
        if e > window.start and s < window.end
    ]


def _complete(events: list[dict[str, Any]], names: frozenset[str], window: Window) -> list[Span]:
    return _clipped(
        (
            (float(e["ts"]), float(e["ts"] + e.get("dur", 0)))
            for e in events
            if e.get("ph") == "X" and e.get("name") in names
        ),
        window,
    )


def _stamp(event: dict[str, Any]) -> str | None:
    """The label of a console.timeStamp event; None for any other event."""
    if event.get("name") != "TimeStamp":
        return None
    data = event.get("args", {}).get("data", {})
    return str(data.get("message")) if isinstance(data, dict) else None


def _applier_calls(events: list[dict[str, Any]], window: Window) -> list[Span]:
    """The applier's calls: its start and end stamps, matched in order (calls do not nest)."""
    spans = []
    start: float | None = None
    for e in sorted(events, key=lambda e: e["ts"]):
        label = _stamp(e)
        if label == f"{APPLIER_STAMP}:start":
            start = float(e["ts"])
        elif label == f"{APPLIER_STAMP}:end" and start is not None:
            spans.append((start, float(e["ts"])))
            start = None
    return _clipped(spans, window)


def split(trace: bytes, wrapped: bool) -> Split:
    """The click's window cut into parts; wrapped: the applier was wrapped (WRAP_APPLIER)."""
    events = trace_events(trace)
    window = click_window(events)
    main = [e for e in events if e.get("pid") == window.pid and e.get("tid") == window.tid]
    render = _complete(main, RENDER_EVENTS, window)
    applier = _applier_calls(main, window) if wrapped else []
    script = _complete(main, SCRIPT_EVENTS, window)
    rendered = covered(render)
    applied = covered(applier + render) - rendered  # forced rendering inside it is rendering
    scripted = covered(script + applier + render) - covered(applier + render)
    return Split(
        round((window.end - window.start) / 1000, 3),
        round(scripted / 1000, 3),
        round(applied / 1000, 3) if wrapped else None,
        round(rendered / 1000, 3),
    )
