"""Startup: navigation to `<html data-ready="1">`, cold and warm, and what a first visit downloads.

Cold is the first visit with a fresh browser profile; warm is a second visit with the same
profile. A persistent profile, not an incognito context: only a disk cache keeps V8's compiled
code for the 9.6 MB pyodide.asm.wasm, so an incognito "warm" visit compiles it again (seen here).
The probe notes the moment data-ready appears (performance.now() counts from
the navigation). Bytes are the response bodies our server sent during the cold visit, as sent
(no compression) and as gzip would send them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext

from benchmarks.jsfb.browser import PROBE, chromium_executable
from benchmarks.jsfb.operations import WAIT_MS
from benchmarks.jsfb.site import Site
from tests.e2e.conftest import CHROMIUM_ARGS, SETTLED


@dataclass(frozen=True)
class Visit:
    page: str
    cold_ms: float
    warm_ms: float
    first_visit_bytes: int
    first_visit_gzip_bytes: int
    first_visit_files: int


def _ready_ms(context: BrowserContext, url: str) -> float:
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(SETTLED, state="attached", timeout=WAIT_MS)
        if page.get_attribute("html", "data-error") is not None:
            raise RuntimeError(f"{url} failed to start: {page.inner_text('body')[-2000:]}")
        page.wait_for_function("() => __bench__.readyAt !== undefined", timeout=WAIT_MS)
        page.wait_for_load_state("networkidle")
        return float(page.evaluate("__bench__.readyAt"))
    finally:
        page.close()


def visit(browser: Browser, site: Site, name: str) -> Visit:
    with tempfile.TemporaryDirectory(prefix="jsfb-profile-") as profile:
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        context.add_init_script(path=str(PROBE))
        try:
            site.traffic.reset()
            cold = _ready_ms(context, f"{site.url}{name}/")
            sent = (site.traffic.raw, site.traffic.gzipped, site.traffic.files)
            warm = _ready_ms(context, f"{site.url}{name}/")
        finally:
            context.close()
    return Visit(name, round(cold, 1), round(warm, 1), *sent)
