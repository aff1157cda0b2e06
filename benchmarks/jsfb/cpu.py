"""One timed run of one operation on one implementation, jsfb's way.

A new tab per run; warm-up; CPU throttling; a 50 ms pause and a forced major GC; the click,
timed in the page (click to the next paint) and in Chrome's trace (click to the frame's Commit),
and the trace's window split into script, applier and style/layout/paint (split.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext

from benchmarks.jsfb.operations import WAIT_MS, Driver, Operation
from benchmarks.jsfb.split import WRAP_APPLIER, split
from benchmarks.jsfb.trace import TRACE_CATEGORIES, TraceError


@dataclass(frozen=True)
class Sample:
    operation: str
    implementation: str
    page_ms: float  # click to the next paint, measured inside the page
    trace_ms: float | None  # click to the end of that frame's Commit, from Chrome's trace
    # The trace_ms window's parts (split.py); None where the trace had no window.
    script_ms: float | None = None  # JS other than the applier: Python, on the framework's page
    applier_ms: float | None = None  # the framework's JS applier; None on the vanilla page
    render_ms: float | None = None  # style, layout, paint and commit


def open_ready(context: BrowserContext, url: str) -> Driver:
    """A new tab on url, as jsfb opens it: loaded with no network traffic for 500 ms
    (`networkidle0`), then once #run exists."""
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("#run", state="attached", timeout=WAIT_MS)
    return Driver(page)


def measure(
    browser: Browser, context: BrowserContext, url: str, implementation: str, op: Operation
) -> Sample:
    driver = open_ready(context, url)
    page = driver.page
    tracing = False
    try:
        op.warm_up(driver)
        wrapped = bool(page.evaluate(WRAP_APPLIER))
        cdp = context.new_cdp_session(page)
        if op.throttle > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": op.throttle})
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        tracing = True
        page.wait_for_timeout(50)
        cdp.send("HeapProfiler.collectGarbage")
        page.evaluate("__bench__.duration = null")
        op.act(driver)
        driver.wait("() => __bench__.duration !== null")
        page.wait_for_timeout(100)
        trace = browser.stop_tracing()
        tracing = False
        page_ms = float(page.evaluate("__bench__.duration"))
        try:
            parts = split(trace, wrapped)
        except TraceError:
            return Sample(op.id, implementation, page_ms, None)
        return Sample(
            op.id,
            implementation,
            page_ms,
            parts.total_ms,
            parts.script_ms,
            parts.applier_ms,
            parts.render_ms,
        )
    finally:
        if tracing:  # a failed run must not leave the browser tracing for the next one
            browser.stop_tracing()
        page.close()  # throttling belongs to the tab and goes with it
