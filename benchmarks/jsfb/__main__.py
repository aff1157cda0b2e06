"""`python -m benchmarks.jsfb`: the jsfb operations, memory and startup, framework vs vanilla."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from benchmarks.jsfb import report
from benchmarks.jsfb.browser import bench_context, chromium, chromium_executable
from benchmarks.jsfb.chart import write_png
from benchmarks.jsfb.cpu import Sample, measure
from benchmarks.jsfb.memory import measure_memory
from benchmarks.jsfb.operations import OPERATIONS, Operation
from benchmarks.jsfb.site import Site, build_site, serve
from benchmarks.jsfb.startup import Visit, visit

IMPLEMENTATIONS = (report.FRAMEWORK, report.VANILLA)
STARTUP_PAGES = ("todo", "plain", "plain-bytecode")
DEFAULT_OUTPUT = Path(__file__).parent.parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.jsfb", description=__doc__)
    parser.add_argument("--iterations", type=int, default=15, help="runs per operation (15)")
    parser.add_argument("--only", default="", help="comma-separated operation ids or prefixes")
    parser.add_argument("--startup-iterations", type=int, default=5)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON and PNG here")
    return parser.parse_args(argv)


def selected(only: str) -> list[Operation]:
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    return [op for op in OPERATIONS if not wanted or any(op.id.startswith(w) for w in wanted)]


def run_operations(
    browser: Browser, site: Site, operations: list[Operation], iterations: int
) -> list[Sample]:
    """Interleaved: every iteration runs every operation on both, alternating who goes first,
    so drift of a shared machine hits both alike."""
    contexts = {name: bench_context(browser) for name in IMPLEMENTATIONS}
    samples: list[Sample] = []
    try:
        for iteration in range(iterations):
            order = IMPLEMENTATIONS if iteration % 2 == 0 else IMPLEMENTATIONS[::-1]
            for op in operations:
                for name in order:
                    sample = measure(browser, contexts[name], f"{site.url}{name}/", name, op)
                    samples.append(sample)
                    trace = "-" if sample.trace_ms is None else f"{sample.trace_ms:.1f}"
                    print(
                        f"  [{iteration + 1}/{iterations}] {op.id:<24} {name:<9} "
                        f"{sample.page_ms:8.1f} ms (trace {trace})",
                        flush=True,
                    )
    finally:
        for context in contexts.values():
            context.close()
    return samples


def run_memory(browser: Browser, site: Site) -> dict[str, Any]:
    result = {}
    for name in IMPLEMENTATIONS:
        context = bench_context(browser)
        try:
            result[name] = measure_memory(context, f"{site.url}{name}/")
        finally:
            context.close()
    return result


def run_startup(browser: Browser, site: Site, iterations: int) -> list[Visit]:
    visits = []
    for iteration in range(iterations):
        pages = STARTUP_PAGES[iteration % 3 :] + STARTUP_PAGES[: iteration % 3]  # rotate
        order = pages if iteration % 2 == 0 else pages[::-1]
        for name in order:
            found = visit(browser, site, name)
            visits.append(found)
            print(f"  [{iteration + 1}/{iterations}] startup {name:<6} {found}", flush=True)
    return visits


def machine(browser: Browser) -> dict[str, Any]:
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python_host": platform.python_version(),
        "chromium": browser.version,
        "chromium_executable": chromium_executable(),
        "git": git.stdout.strip(),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    operations = selected(args.only)
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jsfb-") as tmp:
        print("building the pages ...", flush=True)
        site = serve(build_site(Path(tmp) / "site"))
        try:
            with chromium() as browser:
                result = run_all(browser, site, operations, args)
                table = report.rows(result["samples_raw"])
                title = f"framework vs vanilla JS (jsfb, {result['machine']['date']})"
                if table:
                    write_png(browser, table, title, args.output / "jsfb.png")
        finally:
            site.stop()
    visits = result.pop("_visits")
    del result["samples_raw"]
    (args.output / "jsfb.json").write_text(json.dumps(result, indent=1) + "\n")
    print_report(result, table, visits)
    print(f"\nwrote {args.output / 'jsfb.json'} and {args.output / 'jsfb.png'}")
    return 0


def run_all(
    browser: Browser, site: Site, operations: list[Operation], args: argparse.Namespace
) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine(browser), "iterations": args.iterations}
    print(f"operations ({args.iterations} iterations, interleaved) ...", flush=True)
    samples = run_operations(browser, site, operations, args.iterations)
    table = report.rows(samples)
    result["samples_raw"] = samples
    result["samples"] = [asdict(s) for s in samples]
    result["operations"] = [
        {**asdict(r), "ratio": r.ratio, "trace_ratio": r.trace_ratio} for r in table
    ]
    memory = None
    if not args.no_memory:
        print("memory ...", flush=True)
        memory = result["memory"] = run_memory(browser, site)
    visits = None
    if not args.no_startup:
        print("startup ...", flush=True)
        visits = run_startup(browser, site, args.startup_iterations)
        result["startup"] = {
            "visits": [asdict(v) for v in visits],
            "medians": report.startup_medians(visits),
        }
    result["summary"] = report.summary(table, memory, visits)
    result["_visits"] = visits
    return result


def print_report(
    result: dict[str, Any], table: list[report.Row], visits: list[Visit] | None
) -> None:
    print()
    print(report.markdown_table(table))
    if "memory" in result:
        print()
        print(report.memory_table(result["memory"]))
    if visits:
        print()
        print(report.startup_table(visits))
    print()
    print(report.targets_text(result["summary"]))


if __name__ == "__main__":
    sys.exit(main())
