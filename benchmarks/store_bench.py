"""Store benchmark: load and validate 1,000 todos, and write 1,000 todos, in Pyodide.

    python benchmarks/store_bench.py [--rounds 30]

Run on the host, it starts Node with the pinned Pyodide and the browser wheels (pydantic), and
runs this same file inside it (Python 3.14, the production interpreter build). It prints the
median and best time of each operation next to its target:

* load: Store(...) on a storage that holds 1,000 todos (plain layout: JSON parse, pydantic
  validation, adopting the state): target < 50 ms.
* write: one change of the 1,000 todos, persisted at the end of the flush (validation of the
  assignment, JSON encoding, setItem): target < 20 ms.

The storage is a MemoryStorage, so the numbers are Python's work; a real localStorage.setItem of
~70 KB adds well under a millisecond in Chromium. A measurement, not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

TODOS = 1_000
LOAD_TARGET_MS = 50.0
WRITE_TARGET_MS = 20.0
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    if sys.platform == "emscripten":
        measure(rounds)
    else:
        run_in_pyodide(rounds)


def run_in_pyodide(rounds: int) -> None:
    sys.path.insert(0, str(ROOT))  # run as a script: the repository is not on the path yet
    from benchmarks.in_pyodide import run_file

    run_file(__file__, ["--rounds", str(rounds)])


def measure(rounds: int) -> None:
    from pydantic import BaseModel

    from framework.reactive import flush, set_scheduler
    from framework.storage import MemoryStorage
    from framework.store import Store

    class Todo(BaseModel):
        id: str
        title: str
        completed: bool = False

    set_scheduler(lambda run: None)  # flushes run only when this script calls flush()
    items = [
        {"id": f"todo-{n}", "title": f"Buy item number {n} at the shop", "completed": n % 3 == 0}
        for n in range(TODOS)
    ]
    disk = MemoryStorage({"todos": json.dumps(items)}, persistent=True)
    raw_size = len(disk.get_item("todos") or "")

    def load() -> Store[list[Todo]]:
        return Store("todos", list[Todo], default=list, backend=disk, layout="plain", sync=False)

    store = load()  # warm up: the pydantic adapter's first build, imports
    assert len(store.value) == TODOS, store.error

    load_ms = [timed(load) for _ in range(rounds)]

    def write_once() -> None:
        current = store.peek()
        first = current[0]
        store.value = [first.model_copy(update={"completed": not first.completed}), *current[1:]]
        flush()

    write_once()
    write_ms = [timed(write_once) for _ in range(rounds)]
    assert store.error is None, store.error

    print(
        f"Store benchmark in Pyodide (Python {sys.version.split()[0]}), {TODOS} todos, "
        f"{raw_size / 1000:.0f} KB of JSON, {rounds} rounds"
    )
    report("load + validate", load_ms, LOAD_TARGET_MS)
    report("one write", write_ms, WRITE_TARGET_MS)


def timed(fn: Callable[[], object]) -> float:
    gc.collect()  # each round starts from a clean heap, as a page load does
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def report(name: str, samples: list[float], target: float) -> None:
    median = statistics.median(samples)
    verdict = "meets" if median < target else "MISSES"
    print(
        f"  {name:<16} median {median:6.2f} ms  best {min(samples):6.2f} ms  "
        f"target < {target:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    main()
