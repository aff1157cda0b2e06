"""`python -m benchmarks.jsfb.trampoline [PAGES]`: what the wasm trampoline is worth to Python.

A built page starts Python from the build's snapshot, and `pyodide_boot.mjs` then puts back the
browser's wasm trampoline, through which CPython calls every builtin (the snapshot, made under
Node, says "call through JS"). This A/B times the benchmark app's page as built ("wasm")
against the same page with the trampoline's index zeroed again ("js", how every built page ran
before), in fresh contexts, alternating. It times the synchronous click (Python and the
applier, no paint): create 1,000 rows, and create 10,000.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page

from benchmarks.jsfb.browser import bench_context, chromium
from benchmarks.jsfb.cpu import open_ready
from benchmarks.jsfb.site import build_site, serve

# The index lives in the interpreter's runtime state, at an offset Pyodide exports.
BACK_TO_JS = """() => {
  const m = __pyodide__._module;
  m.HEAP32[(m.__PyRuntime + m.HEAP32[m.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET / 4]) / 4] = 0;
}"""
CLICKS = """([button, times]) => {
  const took = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    document.querySelector(button).click();
    took.push(performance.now() - start);
    document.querySelector("#clear").click();
  }
  return took;
}"""
CASES = (("create 1,000 rows", "#run", 10), ("create 10,000 rows", "#runlots", 2))
Timings = dict[str, dict[str, list[float]]]


def time_page(page: Page, timings: dict[str, list[float]]) -> None:
    page.wait_for_timeout(1000)  # the page's own start-up work settles
    page.evaluate(CLICKS, ["#run", 3])  # warm-up
    for label, button, times in CASES:
        timings.setdefault(label, []).extend(page.evaluate(CLICKS, [button, times]))


def compare(browser: Browser, url: str, pages: int) -> Timings:
    timings: Timings = {"wasm": {}, "js": {}}
    for round_ in range(pages):
        for variant in ("wasm", "js") if round_ % 2 == 0 else ("js", "wasm"):
            context = bench_context(browser)
            try:
                page = open_ready(context, url).page
                if variant == "js":
                    page.evaluate(BACK_TO_JS)
                time_page(page, timings[variant])
            finally:
                context.close()
    return timings


def main(pages: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jsfb-trampoline-") as tmp:
        site = serve(build_site(Path(tmp) / "site"))
        try:
            with chromium() as browser:
                timings = compare(browser, f"{site.url}framework/", pages)
        finally:
            site.stop()
    print(f"{'click (median ms)':<20} {'wasm':>8} {'js':>8} {'wasm/js':>8} clicks")
    for label, _, _ in CASES:
        wasm = statistics.median(timings["wasm"][label])
        js = statistics.median(timings["js"][label])
        count = len(timings["wasm"][label])
        print(f"{label:<20} {wasm:8.1f} {js:8.1f} {wasm / js:7.2f}x {count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
