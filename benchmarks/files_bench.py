"""Persistent folders (issue 21): boot time added by a 10 MB database, and saving 10,000 rows.

    .venv/bin/python -m benchmarks.files_bench [--rounds 5]

Serves benchmarks/files_app (`persist = ["/data"]`) with the real `framework serve`, in Chromium
with the end-to-end tests' flags. Two browser contexts, so two IndexedDBs: in one, /data stays
empty; in the other, the app first writes a SQLite database of about 10 MB into /data and saves it.
After two unmeasured reloads of each (the first boots compile and cache), each round reloads both
pages (alternating which goes first) and reads, in each, the time from navigation start to the
framework's ready event and the `framework-files:mount /data` measure that files.js records around
the folder's mount and load. Then each round clicks "Insert" in both pages: 10,000 rows in one
transaction, then `await files.save()`, timed in the page from the end of the writes to the save
being durable (the IndexedDB transaction complete). Prints medians and writes results/files.json.
A benchmark, not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

from benchmarks.jsfb.browser import chromium
from tests.e2e.conftest import free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "files_app"
RESULTS = Path(__file__).resolve().parent / "results" / "files.json"
READY = 'html[data-ready="1"]'
TIMEOUT_MS = 120_000
MOUNT_MEASURE = "framework-files:mount /data"
WARMUPS = 2
RECORD_READY = (
    "addEventListener('framework:ready', () => { globalThis.__readyAt = performance.now(); });"
)
BOOT_TIMES = """(name) => {
  const mount = performance.getEntriesByName(name, "measure")[0];
  return {ready: globalThis.__readyAt, mount: mount ? mount.duration : null};
}"""


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=TIMEOUT_MS)
    return page


def boot(page: Page) -> dict[str, float]:
    """Reload; milliseconds from navigation start to ready, and of the folder's mount."""
    page.reload()
    page.wait_for_selector(READY, state="attached", timeout=TIMEOUT_MS)
    times: dict[str, float] = page.evaluate(BOOT_TIMES, MOUNT_MEASURE)
    times["folder_bytes"] = float(page.locator("#boot").inner_text())
    return times


def click_for(page: Page, button: str, output: str) -> dict[str, Any]:
    """Click `button`, wait until `output` shows a new result, return it."""
    before = page.locator(output).inner_text()
    page.click(button)
    page.wait_for_function(
        "([selector, before]) => { const t = document.querySelector(selector).textContent;"
        " return t && t !== before; }",
        arg=[output, before],
        timeout=TIMEOUT_MS,
    )
    shown: dict[str, Any] = json.loads(page.locator(output).inner_text())
    return shown


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(url: str, rounds: int, warmups: int) -> dict[str, Any]:
    pages: dict[str, Page] = {}
    with chromium() as browser:
        for name in ("empty", "10 MB"):
            context = browser.new_context()
            context.add_init_script(RECORD_READY)
            pages[name] = open_page(context, url)
        filled = click_for(pages["10 MB"], "#fill", "#filled")
        for _ in range(warmups):  # the first boots compile and cache: not what is measured
            for page in pages.values():
                boot(page)
        boots: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
        saves: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
        for round_ in range(rounds):
            order = list(pages) if round_ % 2 == 0 else list(reversed(pages))
            for name in order:
                boots[name].append(boot(pages[name]))
        for round_ in range(rounds):
            order = list(pages) if round_ % 2 == 0 else list(reversed(pages))
            for name in order:
                saves[name].append(click_for(pages[name], "#insert", "#inserted"))
        for page in pages.values():
            page.context.close()
    return {"filled_bytes": filled["bytes"], "boots": boots, "saves": saves}


def summary(raw: dict[str, Any]) -> dict[str, Any]:
    boots, saves = raw["boots"], raw["saves"]
    result: dict[str, Any] = {}
    for name in boots:
        result[name] = {
            "folder_bytes_at_boot": boots[name][-1]["folder_bytes"],
            "ready_ms_median": median([b["ready"] for b in boots[name]]),
            "mount_ms_median": median([b["mount"] for b in boots[name]]),
            "insert_ms_median": median([s["insert_ms"] for s in saves[name]]),
            "save_ms_median": median([s["save_ms"] for s in saves[name]]),
            "database_bytes_after_inserts": [s["bytes"] for s in saves[name]],
        }
    full, empty = result["10 MB"], result["empty"]
    result["added_by_10_MB"] = {
        "ready_ms": full["ready_ms_median"] - empty["ready_ms_median"],
        "mount_ms": full["mount_ms_median"] - empty["mount_ms_median"],
    }
    return result


def print_table(result: dict[str, Any], rounds: int) -> None:
    rows = [
        ("/data at boot (bytes)", "folder_bytes_at_boot", "{:,.0f}"),
        ("navigation start -> ready (ms)", "ready_ms_median", "{:.0f}"),
        ("mount + load of /data (ms)", "mount_ms_median", "{:.1f}"),
        ("insert 10,000 rows, one transaction (ms)", "insert_ms_median", "{:.1f}"),
        ("then await files.save() (ms)", "save_ms_median", "{:.1f}"),
    ]
    print(f"persistent folder /data: medians of {rounds} rounds")
    print(f"  {'':<42}{'empty':>14}{'10 MB':>14}")
    for label, key, form in rows:
        cells = "".join(f"{form.format(result[name][key]):>14}" for name in ("empty", "10 MB"))
        print(f"  {label:<42}{cells}")
    for name in ("empty", "10 MB"):
        sizes = ", ".join(f"{size:,}" for size in result[name]["database_bytes_after_inserts"])
        print(f"  database bytes after each insert ({name}): {sizes}")
    added = result["added_by_10_MB"]
    print(
        f"boot time added by the 10 MB database: {added['ready_ms']:.0f} ms to ready "
        f"({added['mount_ms']:.1f} ms in the mount itself)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmups", type=int, default=WARMUPS, help="unmeasured reloads")
    args = parser.parse_args(argv)
    port = free_port()
    log = Path("/tmp") / f"files-bench-{port}.log"  # noqa: S108 - a scratch log
    command = [sys.executable, "-m", "framework", "serve", str(APP), "--port", str(port)]
    server = start_server([*command, "--no-reload"], port, log, cwd=ROOT)
    started = time.monotonic()
    try:
        raw = measure(server.url, args.rounds, args.warmups)
    finally:
        server.stop()
    result = summary(raw)
    result["rounds"] = args.rounds
    result["warmups"] = args.warmups
    result["seconds"] = round(time.monotonic() - started, 1)
    result["load_average_1min"] = os.getloadavg()[0]
    result["raw"] = raw
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result, args.rounds)
    print(f"raw numbers: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
