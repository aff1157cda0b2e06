"""Python's share of the js-framework-benchmark operations, without a browser.

    .venv/bin/python -m benchmarks.rows_bench [--rounds 7] [--profile OPERATION]

Runs `benchmarks/jsfb/app/main.py` (the app the browser benchmark times) inside Pyodide under
Node, the interpreter users run, against a backend that does what the browser's does with the
operations on the Python side (one JSON encoding per commit) and nothing else. For each jsfb
operation it prints the median Python time (handler, effects, rendering, the JSON encoding),
the size of the op list, how many operations it held, and, for the creating ones, the Python
objects left alive per row. The browser benchmark (`python -m benchmarks.jsfb`) adds the
applier's JS and the browser's style, layout and paint; this one isolates the part the framework
writes in Python, so a change to it can be measured in seconds. `--profile create` prints a
cProfile of one operation instead. A measurement, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "benchmarks" / "jsfb" / "app" / "main.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", default="", help="cProfile one operation (e.g. create)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        measure(args.rounds, args.profile)
        return
    from benchmarks.in_pyodide import run_file

    run_file(__file__, ["--inner", "--rounds", str(args.rounds), "--profile", args.profile])


# --- inside Pyodide ----------------------------------------------------------------------------


class JsonBackend:
    """The browser backend's Python side: one JSON encoding per commit; events by listener id."""

    def __init__(self) -> None:
        self.renderer: Any = None
        self.head = None
        self.bytes = 0
        self.batches: list[list[Any]] = []  # counted after the timing, not during it
        self._dumps = json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), check_circular=False
        ).encode

    def schedule(self, commit: Callable[[], None]) -> None:
        pass  # the benchmark commits after each operation, as the event's microtask would

    def apply(self, ops: list[Any]) -> None:
        self.bytes += len(self._dumps(ops))
        self.batches.append(ops)

    def count_ops(self) -> int:
        from framework.dom import ops as op

        return sum(len(op.decode(batch)) for batch in self.batches)

    def node(self, node_id: int) -> Any:
        return None


def load_app(backend: JsonBackend) -> Any:
    """The benchmark app's module, mounted into backend (its probe import stubbed out)."""
    import framework

    sys.modules["probe"] = types.ModuleType("probe")
    real_mount = framework.mount
    mounted: list[Any] = []

    def mount_here(root: Any, selector: str) -> Any:
        mounted.append(real_mount(root, selector, backend=backend))
        return mounted[-1]

    framework.mount = mount_here  # type: ignore[assignment]
    try:
        module = sys.modules["jsfb_app"] = types.ModuleType("jsfb_app")
        source = APP.read_text(encoding="utf-8")
        exec(compile(source, str(APP), "exec"), module.__dict__)  # noqa: S102 - our own app
    finally:
        framework.mount = real_mount
    module.mounted = mounted[0]
    return module


def bench_component(module: Any) -> Any:
    """The Bench instance: the root component of the mounted app."""
    return module.mounted.part.content.instance


def click(mounted: Any, action: Callable[[], None]) -> None:
    """What a click does: the handler, then the effects, then the event's operations applied
    (Renderer.handle_event, and the backend applying what it returns)."""
    renderer = mounted.renderer
    batch = renderer.run_as_event(action)
    if batch is not None:
        renderer.backend.apply(batch)


# Each: (name, setup actions, measured action), as jsfb's warm-up and measured click.
def operations(bench: Any) -> list[tuple[str, list[Callable[[], None]], Callable[[], None]]]:
    def select_second() -> None:
        bench.select(bench.rows.value[1].id)

    def remove_fourth() -> None:
        bench.remove(bench.rows.value[3].id)

    return [
        ("create", [bench.clear], bench.run),
        ("replace", [bench.run], bench.run),
        ("update", [bench.clear, bench.run], bench.update),
        ("select", [bench.clear, bench.run], select_second),
        ("swap", [bench.clear, bench.run], bench.swap_rows),
        ("remove", [bench.clear, bench.run], remove_fourth),
        ("create 10k", [bench.clear], bench.run_lots),
        ("append", [bench.clear, bench.run], bench.add),
        ("clear", [bench.clear, bench.run], bench.clear),
    ]


def measure(rounds: int, profile: str) -> None:
    backend = JsonBackend()
    module = load_app(backend)
    mounted = module.mounted
    bench = bench_component(module)
    for _ in range(3):  # warm-up, as jsfb's: templates defined, code paths hot
        click(mounted, bench.run)
        click(mounted, bench.clear)
    if profile:
        run_profile(mounted, bench, profile)
        return
    print(f"{'operation':<12}{'Python ms':>11}{'ops':>8}{'op list':>11}{'objects/row':>13}")
    for name, setup, action in operations(bench):
        times, sizes, counts = [], [], []
        for _ in range(rounds):
            for step in setup:
                click(mounted, step)
            gc.collect()
            backend.bytes, backend.batches = 0, []
            start = time.perf_counter()
            click(mounted, action)
            times.append((time.perf_counter() - start) * 1000)
            sizes.append(backend.bytes)
            counts.append(backend.count_ops())
        per_row = objects_per_row(mounted, bench) if name == "create" else ""
        print(
            f"{name:<12}{statistics.median(times):>11.1f}{statistics.median(counts):>8.0f}"
            f"{statistics.median(sizes) / 1024:>9.0f}KB{per_row:>13}"
        )


def objects_per_row(mounted: Any, bench: Any) -> str:
    click(mounted, bench.clear)
    gc.collect()
    before = len(gc.get_objects())
    click(mounted, bench.run)
    mounted.renderer.backend.batches.clear()  # the bench's record of the ops, not the page's
    gc.collect()
    after = len(gc.get_objects())
    return f"{(after - before) / len(bench.rows.value):.1f}"


def run_profile(mounted: Any, bench: Any, name: str) -> None:
    import cProfile
    import pstats

    for found, setup, action in operations(bench):
        if found != name:
            continue
        for step in setup:
            click(mounted, step)
        profiler = cProfile.Profile()
        profiler.enable()
        click(mounted, action)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    raise SystemExit(f"no operation {name!r}: {[n for n, _, _ in operations(bench)]}")


if __name__ == "__main__":
    main()
