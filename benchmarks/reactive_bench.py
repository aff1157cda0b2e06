"""Reactive core benchmark: framework/reactive.py as it is now against the one at git HEAD.

    .venv/bin/python -m benchmarks.reactive_bench [--rounds 25] [--host]

By default it starts Node with the pinned Pyodide and runs this same file inside it (Python 3.14,
the interpreter users run), as the unit tests do; --host measures on the host's CPython instead.
Both versions of the module are loaded side by side from their files (`git show HEAD:...` for
the old one), so each shape is built once per version and the two are timed in alternation:

* fan-out: one signal read by 1,000 effects; one write and the flush (1,000 effect runs).
* chain: a 1,000-deep chain of computeds, nobody observing it; write the head, read the tail.
* chain + effect: the same chain with an effect at its tail; one write and the flush.
* diamond: a -> (b, c) -> d -> effect; one write and the flush.
* 10,000 effects: create 10,000 effects (each reads one signal) in a scope.

It prints the median time of one operation per version and the ratio new / old (below 1 is
faster). A measurement, not a test: nothing asserts, except that both versions compute the same
values. The old code recurses about two frames per chain level when revalidating, so the
recursion limit is raised to 10,000 for both (a pure-Python recursion does not use the C stack
on Python 3.12+).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MODULE = "framework/reactive.py"
FAN_OUT = 1_000
CHAIN = 1_000
EFFECTS = 10_000


Sample = Callable[[], object]  # one timed operation; a callable it returns is untimed teardown


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--host", action="store_true", help="measure on this CPython")
    parser.add_argument("--only", default="", help="run the shapes whose label contains this")
    parser.add_argument("--old", type=Path, help=argparse.SUPPRESS)  # set for the inner run
    args = parser.parse_args()
    if args.old is not None:
        measure(args.old, args.rounds, args.only)
        return
    with tempfile.TemporaryDirectory(prefix="reactive-head-") as folder:
        old = Path(folder) / "reactive_head.py"
        old.write_text(git_head_source(), encoding="utf-8")
        if args.host:
            measure(old, args.rounds, args.only)
        else:
            run_in_pyodide(old, args.rounds, args.only)


def git_head_source() -> str:
    return subprocess.run(
        ["git", "show", f"HEAD:{MODULE}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def run_in_pyodide(old: Path, rounds: int, only: str) -> None:
    from benchmarks.in_pyodide import run_file

    inner_args = ["--rounds", str(rounds), "--old", str(old), "--only", only]
    run_file(__file__, inner_args, mounts=[old.parent], wheels=False)


def load(name: str, path: Path) -> Any:
    """The module at `path` under its own name, so two versions can live side by side."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    module.set_scheduler(lambda run: None)  # flushes run only when a shape calls flush()
    return module


# --- the shapes: each builds its graph and returns (operations per sample, sample) ------------


def fan_out(r: Any) -> tuple[int, Sample]:
    head = r.Signal(0)
    for _ in range(FAN_OUT):
        r.effect(lambda: head.value)

    def write() -> None:
        for _ in range(20):
            head.value += 1
            r.flush()

    return 20, write


def build_chain(r: Any) -> tuple[Any, Any]:
    head = node = r.Signal(0)
    for _ in range(CHAIN):
        node = r.Computed(lambda previous=node: previous.value + 1)
        _ = node.value  # computed as built, so no first computation nests
    return head, node


def chain(r: Any) -> tuple[int, Sample]:
    head, tail = build_chain(r)

    def write_and_read() -> None:
        for _ in range(20):
            head.value += 1
            assert tail.value == head.peek() + CHAIN

    return 20, write_and_read


def chain_with_effect(r: Any) -> tuple[int, Sample]:
    head, tail = build_chain(r)
    seen: list[int] = []
    r.effect(lambda: seen.append(tail.value))

    def write() -> None:
        for _ in range(20):
            head.value += 1
            r.flush()
        assert seen[-1] == head.peek() + CHAIN

    return 20, write


def diamond(r: Any) -> tuple[int, Sample]:
    a = r.Signal(0)
    b = r.Computed(lambda: a.value + 1)
    c = r.Computed(lambda: a.value * 2)
    d = r.Computed(lambda: b.value + c.value)
    seen: list[int] = []
    r.effect(lambda: seen.append(d.value))

    def write() -> None:
        for _ in range(1_000):
            a.value += 1
            r.flush()
        assert seen[-1] == 3 * a.peek() + 1

    return 1_000, write


def create_effects(r: Any) -> tuple[int, Sample]:
    source = r.Signal(0)

    def create() -> object:
        scope = r.Scope(detached=True)
        scope.run(lambda: [r.effect(lambda: source.value) for _ in range(EFFECTS)])
        return scope.dispose

    return 1, create


SHAPES: dict[str, Callable[[Any], tuple[int, Sample]]] = {
    f"fan-out: 1 signal -> {FAN_OUT:,} effects, write": fan_out,
    f"chain: {CHAIN:,} computeds, write + read": chain,
    f"chain: {CHAIN:,} computeds -> effect, write": chain_with_effect,
    "diamond -> effect, write": diamond,
    f"create {EFFECTS:,} effects": create_effects,
}


def measure(old_path: Path, rounds: int, only: str = "") -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))  # the old chain recurses
    versions = {
        "old": load("reactive_head", old_path),
        "new": load("reactive_now", ROOT / MODULE),
    }
    where = "Pyodide" if sys.platform == "emscripten" else "host CPython"
    print(f"Reactive core in {where} (Python {sys.version.split()[0]}), {rounds} rounds")
    print("  median ms per operation (best in brackets); new/old of the medians")
    print(f"  {'shape':<42} {'old':>19} {'new':>19} {'new/old':>8}")
    for label, shape in SHAPES.items():
        if only not in label:
            continue
        old, new = compare(versions, shape, rounds).values()
        cells = [f"{statistics.median(times):8.4f} ({min(times):8.4f})" for times in (old, new)]
        ratio = statistics.median(new) / statistics.median(old)
        print(f"  {label:<42} {cells[0]} {cells[1]} {ratio:8.2f}")


def compare(
    versions: dict[str, ModuleType], shape: Callable[[Any], tuple[int, Sample]], rounds: int
) -> dict[str, list[float]]:
    """The ms per operation of each version, one sample per round; the versions alternate
    which goes first."""
    built = {name: shape(module) for name, module in versions.items()}
    samples: dict[str, list[float]] = {name: [] for name in versions}
    names = list(versions)
    for round_ in range(rounds + 1):  # round 0 warms up and is not kept
        for name in names if round_ % 2 else reversed(names):
            operations, sample = built[name]
            elapsed = timed(sample)
            if round_:
                samples[name].append(elapsed / operations)
    return samples


def timed(sample: Sample) -> float:
    gc.collect()
    start = time.perf_counter()
    teardown = sample()
    elapsed = (time.perf_counter() - start) * 1000
    if callable(teardown):
        teardown()
    return elapsed


if __name__ == "__main__":
    main()
