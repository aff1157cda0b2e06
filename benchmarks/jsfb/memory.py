"""Memory, jsfb's three points: ready, after 1,000 rows, after 5 x (create 1,000, clear).

Each value is read after a forced major GC and a 40 ms wait. The JS heap is V8's used size
(CDP Runtime.getHeapUsage): `measureUserAgentSpecificMemory` needs a cross-origin-isolated page.
For the framework page we also read Pyodide's WebAssembly memory (it only grows: a high-water
mark), Python's live object count, and the live PyProxies: Pyodide's allocation tracing
(`_module.enable_pyproxy_allocation_tracing`, switched on at ready) keeps every PyProxy created
afterwards in `_module.pyproxy_alloc_map` until it is destroyed, so its size is the number of
Python-to-JS proxies created since ready and still alive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from playwright.sync_api import BrowserContext, Page

from benchmarks.jsfb.cpu import open_ready

PYODIDE = "globalThis.__pyodide__"
PYTHON_OBJECTS = "import gc; gc.collect(); len(gc.get_objects())"


@dataclass(frozen=True)
class Snapshot:
    js_heap_mb: float
    wasm_mb: float | None = None
    python_objects: int | None = None
    live_proxies: int | None = None


def snapshot(context: BrowserContext, page: Page) -> Snapshot:
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(40)
        used = float(cdp.send("Runtime.getHeapUsage")["usedSize"]) / 1e6
    finally:
        cdp.detach()
    python: dict[str, Any] | None = page.evaluate(
        f"""(code) => {{
            const py = {PYODIDE};
            if (!py) return null;
            return {{
                objects: py.runPython(code),
                proxies: py._module.pyproxy_alloc_map.size,
                wasm: py._module.HEAPU8.length,
            }};
        }}""",
        PYTHON_OBJECTS,
    )
    if python is None:
        return Snapshot(round(used, 3))
    return Snapshot(
        round(used, 3),
        round(python["wasm"] / 1e6, 3),
        int(python["objects"]),
        int(python["proxies"]),
    )


def measure_memory(context: BrowserContext, url: str) -> dict[str, dict[str, Any]]:
    """The three jsfb points plus the growth from ready to after 5 x create/clear."""
    driver = open_ready(context, url)
    page = driver.page
    try:
        page.evaluate(f"{PYODIDE}?._module.enable_pyproxy_allocation_tracing()")
        ready = snapshot(context, page)
        driver.run()
        run = snapshot(context, page)
        driver.clear()
        driver.run_and_clear(5)
        cycles = snapshot(context, page)
    finally:
        page.close()
    growth = {
        "js_heap_mb": round(cycles.js_heap_mb - ready.js_heap_mb, 3),
        "live_proxies": (cycles.live_proxies or 0) - (ready.live_proxies or 0),
    }
    return {
        "21_ready-memory": asdict(ready),
        "22_run-memory": asdict(run),
        "25_run-clear-memory": asdict(cycles),
        "growth_after_5x_create_clear": growth,
    }
