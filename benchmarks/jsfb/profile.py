"""`python -m benchmarks.jsfb.profile [OP ...]`: where the framework's time goes, per operation.

For each operation, after its jsfb warm-up and without throttling, one click is split into
Python, the JS applier (`__framework_dom__.apply`, wrapped here) and the browser's style, layout
and paint; a second click, in a fresh tab, runs under cProfile inside Pyodide and lists the top
functions by own time (cProfile slows Python several times: read its shares, not its totals).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import BrowserContext

from benchmarks.jsfb.browser import bench_context, chromium
from benchmarks.jsfb.cpu import open_ready
from benchmarks.jsfb.operations import OPERATIONS, Driver, Operation
from benchmarks.jsfb.site import build_site, serve

WRAP_APPLIER = """() => {
  const dom = globalThis.__framework_dom__;
  const apply = dom.apply;
  globalThis.__applied__ = { ms: 0, calls: 0, bytes: 0 };
  dom.apply = (json) => {
    const start = performance.now();
    try { return apply(json); } finally {
      __applied__.ms += performance.now() - start;
      __applied__.calls += 1;
      __applied__.bytes += json.length;
    }
  };
}"""
SPLIT = """() => {
  globalThis.__split__ = { handlers: null };
  let start = 0;
  addEventListener("click", (event) => { start = event.timeStamp; }, true);
  // Bubbling reaches window after the framework's document listener: Python and the applier
  // have run by then (the framework flushes inside the event).
  addEventListener("click", () => { __split__.handlers = performance.now() - start; });
}"""
# Everything the report needs is imported and compiled before the profiler starts, so the
# profile holds only the click's own work.
START = """
import cProfile, io, pstats


def __stop__():
    __profiler__.disable()
    out = io.StringIO()
    stats = pstats.Stats(__profiler__, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    return f"python under cProfile {stats.total_tt * 1000:.1f} ms\\n" + out.getvalue()


__profiler__ = cProfile.Profile()
__profiler__.enable()
"""


def click(driver: Driver, op: Operation) -> float:
    driver.page.evaluate("__bench__.duration = null")
    op.act(driver)
    driver.wait("() => __bench__.duration !== null")
    return float(driver.page.evaluate("__bench__.duration"))


def split(context: BrowserContext, url: str, op: Operation) -> str:
    """Click to paint, split into handlers (Python + applier), the applier alone, and the rest."""
    driver = open_ready(context, url)
    try:
        op.warm_up(driver)
        driver.page.evaluate(WRAP_APPLIER)
        driver.page.evaluate(SPLIT)
        total = click(driver, op)
        handlers = float(driver.page.evaluate("__split__.handlers"))
        applied = driver.page.evaluate("__applied__")
    finally:
        driver.page.close()
    python = handlers - applied["ms"]
    return (
        f"click to paint {total:.1f} ms = Python {python:.1f} + applier {applied['ms']:.1f} "
        f"({applied['calls']} call, {applied['bytes']} bytes of ops) + style/layout/paint "
        f"{total - handlers:.1f}"
    )


def python_profile(context: BrowserContext, url: str, op: Operation) -> str:
    driver = open_ready(context, url)
    try:
        op.warm_up(driver)
        driver.page.evaluate("(code) => __pyodide__.runPython(code)", START)
        click(driver, op)
        return str(driver.page.evaluate("__pyodide__.runPython('__stop__()')"))
    finally:
        driver.page.close()


def profile(wanted: list[str]) -> None:
    operations = [op for op in OPERATIONS if not wanted or any(op.id.startswith(w) for w in wanted)]
    with tempfile.TemporaryDirectory(prefix="jsfb-profile-") as tmp:
        site = serve(build_site(Path(tmp) / "site"))
        url = f"{site.url}framework/"
        try:
            with chromium() as browser:
                context = bench_context(browser)
                for op in operations:
                    print(f"== {op.id} {op.label}: {split(context, url, op)}")
                    print(python_profile(context, url, op), flush=True)
                context.close()
        finally:
            site.stop()


if __name__ == "__main__":
    profile(sys.argv[1:])
