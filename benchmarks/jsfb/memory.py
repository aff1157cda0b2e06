"""Memory, jsfb's three points: ready, after 1,000 rows, after 5 x (create 1,000, clear).

One page goes through them in order (create, then clear: the first of the five cycles), with one
point of ours after that first cycle. Each value is read after a forced major GC and a 40 ms
wait, in MiB as jsfb reports (bytes / 1024 / 1024). The JS heap is V8's used size
(CDP Runtime.getHeapUsage): `measureUserAgentSpecificMemory` needs a cross-origin-isolated page.
For the framework page we also read Pyodide's WebAssembly memory (it only grows: a high-water
mark), Python's live object count, and the live PyProxies: Pyodide's allocation tracing
(`_module.enable_pyproxy_allocation_tracing`, switched on at ready) keeps every PyProxy created
afterwards in `_module.pyproxy_alloc_map` until it is destroyed, so its size is the number of
Python-to-JS proxies created since ready and still alive.

Growth is after 5 x create/clear minus ready (jsfb's two points), the JS heap plus wasm: what
the page holds afterwards that it did not hold at ready. Growth since the first cycle is also
given: what the four later cycles left behind, without the first cycle's one-time costs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from playwright.sync_api import BrowserContext, Page

from benchmarks.jsfb.cpu import open_ready

PYODIDE = "globalThis.__pyodide__"
PYTHON_OBJECTS = "import gc; gc.collect(); len(gc.get_objects())"
MIB = 1024 * 1024
READY, ROWS, FIRST_CYCLE, CYCLES = (
    "21_ready-memory",
    "22_run-memory",
    "run-clear-once-memory",
    "25_run-clear-memory",
)
GROWTH, GROWTH_SINCE_FIRST = "growth_after_5x_create_clear", "growth_since_first_create_clear"


@dataclass(frozen=True)
class Snapshot:
    js_heap_mib: float
    wasm_mib: float | None = None
    python_objects: int | None = None
    live_proxies: int | None = None

    @property
    def heap_and_wasm_mib(self) -> float:
        return self.js_heap_mib + (self.wasm_mib or 0.0)


def snapshot(context: BrowserContext, page: Page) -> Snapshot:
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(40)
        used = float(cdp.send("Runtime.getHeapUsage")["usedSize"]) / MIB
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
        round(python["wasm"] / MIB, 3),
        int(python["objects"]),
        int(python["proxies"]),
    )


def growth(before: Snapshot, after: Snapshot) -> dict[str, Any]:
    def change(name: str) -> float | None:
        was, now = getattr(before, name), getattr(after, name)
        return None if was is None or now is None else round(now - was, 3)

    return {
        "js_heap_mib": change("js_heap_mib"),
        "wasm_mib": change("wasm_mib"),
        "heap_and_wasm_mib": change("heap_and_wasm_mib"),
        "python_objects": change("python_objects"),
        "live_proxies": (after.live_proxies or 0) - (before.live_proxies or 0),
    }


def measure_memory(context: BrowserContext, url: str) -> dict[str, dict[str, Any]]:
    """The points by name, then the growth from ready and from the first cycle."""
    driver = open_ready(context, url)
    page = driver.page
    try:
        page.evaluate(f"{PYODIDE}?._module.enable_pyproxy_allocation_tracing()")
        ready = snapshot(context, page)
        driver.run()
        rows = snapshot(context, page)
        driver.clear()
        first = snapshot(context, page)
        driver.run_and_clear(4)
        cycles = snapshot(context, page)
    finally:
        page.close()
    points = {READY: ready, ROWS: rows, FIRST_CYCLE: first, CYCLES: cycles}
    return {
        **{name: asdict(point) for name, point in points.items()},
        GROWTH: growth(ready, cycles),
        GROWTH_SINCE_FIRST: growth(first, cycles),
    }
