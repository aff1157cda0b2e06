"""`python -m benchmarks.jsfb.profile [OP ...]`: where the framework's time goes, per operation.

For each operation, after its jsfb warm-up and without throttling, one click is traced and split
into Python, the JS applier and the browser's style, layout and paint, as the main run splits
every timed click (split.py); a second click, in a fresh tab, runs under cProfile inside Pyodide
and lists the top functions by own time (cProfile slows Python several times: read its shares,
not its totals).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext

from benchmarks.jsfb.browser import bench_context, chromium
from benchmarks.jsfb.cpu import open_ready
from benchmarks.jsfb.operations import OPERATIONS, Driver, Operation
from benchmarks.jsfb.site import build_site, serve
from benchmarks.jsfb.split import WRAP_APPLIER, split
from benchmarks.jsfb.trace import TRACE_CATEGORIES

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


def traced_split(browser: Browser, context: BrowserContext, url: str, op: Operation) -> str:
    """Click to the frame's Commit, split into Python, the applier, style/layout/paint, other."""
    driver = open_ready(context, url)
    try:
        op.warm_up(driver)
        driver.page.evaluate(WRAP_APPLIER)
        browser.start_tracing(page=driver.page, categories=TRACE_CATEGORIES)
        try:
            click(driver, op)
        finally:
            trace = browser.stop_tracing()
        applied = driver.page.evaluate("__applied__")
    finally:
        driver.page.close()
    parts = split(trace, wrapped=True)
    return (
        f"click to commit {parts.total_ms:.1f} ms = Python {parts.script_ms:.1f} "
        f"+ applier {parts.applier_ms or 0.0:.1f} ({applied['calls']} call, "
        f"{applied['bytes']} bytes of ops) + style/layout/paint {parts.render_ms:.1f} "
        f"+ other {parts.other_ms:.1f}"
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
                    print(f"== {op.id} {op.label}: {traced_split(browser, context, url, op)}")
                    print(python_profile(context, url, op), flush=True)
                context.close()
        finally:
            site.stop()


if __name__ == "__main__":
    profile(sys.argv[1:])
