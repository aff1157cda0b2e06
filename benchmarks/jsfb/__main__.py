"""`python -m benchmarks.jsfb`: the jsfb operations and memory, framework vs vanilla; and startup,
the TO-DO app vs a plain PyScript page (`--startup-only` for that part alone); or, with
`--floor-check`, our vanilla page vs jsfb's own vanillajs-keyed."""

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

from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from benchmarks.jsfb import floor, report
from benchmarks.jsfb.browser import bench_context, chromium, chromium_executable
from benchmarks.jsfb.chart import write_png
from benchmarks.jsfb.cpu import Sample, measure
from benchmarks.jsfb.memory import measure_memory
from benchmarks.jsfb.operations import OPERATIONS, Operation
from benchmarks.jsfb.site import (
    FloorCheckError,
    Site,
    build_floor_site,
    build_site,
    page_path,
    serve,
)
from benchmarks.jsfb.split_report import split_json, split_rows, split_table
from benchmarks.jsfb.startup import Case, Visit, cases, visit

IMPLEMENTATIONS = (report.FRAMEWORK, report.VANILLA)
DEFAULT_OUTPUT = Path(__file__).parent.parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.jsfb", description=__doc__)
    parser.add_argument(
        "--iterations",
        type=int,
        default=15,
        help="runs per operation (15; select gets two thirds more, as jsfb's 25)",
    )
    parser.add_argument("--only", default="", help="comma-separated operation ids or prefixes")
    parser.add_argument("--startup-iterations", type=int, default=5, help="visits per page (5)")
    parser.add_argument(
        "--startup-seeds",
        default="3,100",
        help="comma-separated counts of todos stored before the TO-DO visits (3,100)",
    )
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument(
        "--startup-only", action="store_true", help="only startup; writes startup.json"
    )
    parser.add_argument(
        "--site", type=Path, help="serve this already built site (build_site) instead of building"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON and PNG here")
    parser.add_argument(
        "--floor-check",
        type=Path,
        metavar="PATH",
        help="only time our vanilla against jsfb's vanillajs-keyed, from PATH (its "
        "frameworks/keyed/vanillajs folder, or a checkout of its repository); writes floor.json",
    )
    return parser.parse_args(argv)


def selected(only: str) -> list[Operation]:
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    return [op for op in OPERATIONS if not wanted or any(op.id.startswith(w) for w in wanted)]


def run_operations(
    browser: Browser,
    site: Site,
    operations: list[Operation],
    iterations: int,
    implementations: tuple[str, ...] = IMPLEMENTATIONS,
) -> list[Sample]:
    """Interleaved: every iteration runs every operation on both, alternating who goes first,
    so drift of a shared machine hits both alike. An operation with extra runs (select) gets
    them as further iterations of its own, interleaved the same way."""
    contexts = {name: bench_context(browser) for name in implementations}
    samples: list[Sample] = []
    rounds = max((op.runs(iterations) for op in operations), default=0)
    try:
        for iteration in range(rounds):
            order = implementations if iteration % 2 == 0 else implementations[::-1]
            for op in operations:
                if iteration >= op.runs(iterations):
                    continue
                for name in order:
                    url = site.url + page_path(name)
                    sample = measure_again_if_crashed(browser, contexts[name], url, name, op)
                    samples.append(sample)
                    trace = "-" if sample.trace_ms is None else f"{sample.trace_ms:.1f}"
                    print(
                        f"  [{iteration + 1}/{op.runs(iterations)}] {op.id:<24} {name:<9} "
                        f"{sample.page_ms:8.1f} ms (trace {trace})",
                        flush=True,
                    )
    finally:
        for context in contexts.values():
            context.close()
    return samples


CRASH_RETRIES = 2


def measure_again_if_crashed(
    browser: Browser, context: BrowserContext, url: str, name: str, op: Operation
) -> Sample:
    """measure(), in a new tab again if the tab's renderer crashed: Chromium's, now and then
    (twice in about 1,500 tabs here, each time while a page was starting). The run that
    crashed timed nothing, so nothing is dropped; the retry is printed."""
    for _ in range(CRASH_RETRIES):
        try:
            return measure(browser, context, url, name, op)
        except PlaywrightError as error:
            if "crash" not in str(error).lower():
                raise
            print(f"  the tab of {op.id} on {name} crashed; measuring in a new tab", flush=True)
    return measure(browser, context, url, name, op)


def run_memory(browser: Browser, site: Site) -> dict[str, Any]:
    result = {}
    for name in IMPLEMENTATIONS:
        context = bench_context(browser)
        try:
            result[name] = measure_memory(context, f"{site.url}{name}/")
        finally:
            context.close()
    return result


def run_startup(browser: Browser, site: Site, iterations: int, seeds: str) -> list[Visit]:
    """Each iteration visits every case once (a fresh profile each), rotating and alternating
    the order so that drift of a shared machine hits all alike."""
    visits = []
    startup_cases = cases([int(count) for count in seeds.split(",") if count.strip()])
    for iteration in range(iterations):
        shift = iteration % len(startup_cases)
        rotated = startup_cases[shift:] + startup_cases[:shift]
        order = rotated if iteration % 2 == 0 else rotated[::-1]
        for case in order:
            found = visit(browser, site, case)
            visits.append(found)
            print(f"  [{iteration + 1}/{iterations}] {_visit_line(case, found)}", flush=True)
    return visits


def _visit_line(case: Case, found: Visit) -> str:
    def load(kind: str) -> str:
        noted = getattr(found, kind)
        ui = "" if noted.ui_ms is None else f"UI {noted.ui_ms:6.0f} ms, "
        if noted.ui_lost_frames:
            ui += f"(gone again in {noted.ui_lost_frames} frames) "
        return f"{kind} {ui}ready {noted.ready_ms:6.0f} ms, {noted.sent_bytes / 1e6:6.2f} MB sent"

    return f"startup {case.name:<15} {load('cold')} | {load('warm')}"


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
    if args.floor_check is not None:
        return floor_check(args)
    operations = [] if args.startup_only else selected(args.only)
    args.output.mkdir(parents=True, exist_ok=True)
    name = "startup" if args.startup_only else "jsfb"
    with tempfile.TemporaryDirectory(prefix="jsfb-") as tmp:
        if args.site is None:
            print("building the pages ...", flush=True)
        site = serve(args.site or build_site(Path(tmp) / "site"))
        try:
            with chromium() as browser:
                result = run_all(browser, site, operations, args)
                table = report.rows(result["samples_raw"])
                title = f"framework vs vanilla JS (jsfb, {result['machine']['date']})"
                if table:
                    write_png(browser, table, title, args.output / f"{name}.png")
        finally:
            site.stop()
    visits = result.pop("_visits")
    del result["samples_raw"]
    if args.site is not None:  # not built from this tree by this run: say which
        result["prebuilt_site"] = str(args.site)
    (args.output / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
    print_report(result, table, visits)
    written = [args.output / f"{name}.json", *([args.output / f"{name}.png"] if table else [])]
    print(f"\nwrote {' and '.join(map(str, written))}")
    return 0


def floor_check(args: argparse.Namespace) -> int:
    """Our vanilla against jsfb's vanillajs-keyed: the operations only, same runner."""
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jsfb-floor-") as tmp:
        try:
            root = build_floor_site(Path(tmp) / "site", args.floor_check)
        except FloorCheckError as error:
            print(f"error: --floor-check {error}", file=sys.stderr)
            return 2
        site = serve(root)
        try:
            with chromium() as browser:
                result: dict[str, Any] = {"machine": machine(browser)}
                iterations = args.iterations
                print(f"floor check ({iterations} iterations, interleaved) ...", flush=True)
                samples = run_operations(
                    browser, site, selected(args.only), iterations, floor.IMPLEMENTATIONS
                )
        finally:
            site.stop()
    table = floor.rows(samples)
    result.update(
        iterations=args.iterations,
        jsfb_vanillajs=str(args.floor_check.resolve()),
        operations=floor.operations_json(table),
        met=floor.passed(table),
        samples=[asdict(s) for s in samples],
    )
    written = args.output / "floor.json"
    written.write_text(json.dumps(result, indent=1) + "\n")
    print()
    print(floor.markdown_table(table))
    print()
    print(floor.conclusion(table))
    print(f"\nwrote {written}")
    return 0


def run_all(
    browser: Browser, site: Site, operations: list[Operation], args: argparse.Namespace
) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine(browser), "iterations": args.iterations}
    samples: list[Sample] = []
    if operations:
        print(f"operations ({args.iterations} iterations, interleaved) ...", flush=True)
        samples = run_operations(browser, site, operations, args.iterations)
        table = report.rows(samples)
        result["samples"] = [asdict(s) for s in samples]
        result["operations"] = [
            {**asdict(r), "ratio": r.ratio, "trace_ratio": r.trace_ratio} for r in table
        ]
        result["time_split"] = split_json(split_rows(samples))
    result["samples_raw"] = samples
    memory = None
    if not args.no_memory and not args.startup_only:
        print("memory ...", flush=True)
        memory = result["memory"] = run_memory(browser, site)
    visits = None
    if not args.no_startup:
        print(f"startup ({args.startup_iterations} visits per page) ...", flush=True)
        visits = run_startup(browser, site, args.startup_iterations, args.startup_seeds)
        result["startup"] = {
            "visits": [asdict(v) for v in visits],
            "medians": report.startup_medians(visits),
            "ratios": report.startup_ratios(visits),
        }
    result["summary"] = report.summary(report.rows(samples), memory, visits)
    result["_visits"] = visits
    return result


def print_report(
    result: dict[str, Any], table: list[report.Row], visits: list[Visit] | None
) -> None:
    if table:
        print()
        print(report.markdown_table(table))
    if result.get("time_split"):
        print()
        print(split_table(result["time_split"]))
    if "memory" in result:
        print()
        print(report.memory_table(result["memory"]))
    if visits:
        for part in (report.startup_table, report.startup_ratio_table, report.startup_bytes_table):
            print()
            print(part(visits))
        for warning in report.startup_warnings(visits):
            print(warning)
    print()
    print(report.targets_text(result["summary"]))


if __name__ == "__main__":
    sys.exit(main())
