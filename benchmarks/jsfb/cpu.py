"""One timed run of one operation on one implementation, jsfb's way.

A new tab per run; warm-up; CPU throttling; a 50 ms pause and a forced major GC; the click,
timed in the page (click to the next paint) and in Chrome's trace (click to the frame's Commit).
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext

from benchmarks.jsfb.operations import WAIT_MS, Driver, Operation
from benchmarks.jsfb.trace import TRACE_CATEGORIES, TraceError, click_to_commit_ms


@dataclass(frozen=True)
class Sample:
    operation: str
    implementation: str
    page_ms: float  # click to the next paint, measured inside the page
    trace_ms: float | None  # click to the end of that frame's Commit, from Chrome's trace


def open_ready(context: BrowserContext, url: str) -> Driver:
    """A new tab on url, once #run exists (jsfb waits for nothing else)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
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
            trace_ms: float | None = click_to_commit_ms(trace)
        except TraceError:
            trace_ms = None
        return Sample(op.id, implementation, page_ms, trace_ms)
    finally:
        if tracing:  # a failed run must not leave the browser tracing for the next one
            browser.stop_tracing()
        page.close()  # throttling belongs to the tab and goes with it
