"""The jsfb benchmark works (not how fast): the runner's output, and the keyed contract.

The keyed checks are real correctness tests of the framework's keyed list, run side by side
with the vanilla floor: create replaces every row, swap moves exactly two rows and creates none,
remove deletes that row's own node. Each implementation's page is booted once for the module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from benchmarks.jsfb.browser import bench_context
from benchmarks.jsfb.cpu import open_ready
from benchmarks.jsfb.keyed import keyed_checks, problems
from benchmarks.jsfb.operations import OPERATIONS, Driver
from benchmarks.jsfb.site import Site, build_site, serve

pytestmark = pytest.mark.e2e
REPO = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    served = serve(build_site(tmp_path_factory.mktemp("jsfb") / "site"))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def booted(browser: Browser, site: Site) -> Iterator[Callable[[str], Driver]]:
    """booted(implementation): its page in a benchmark context, opened once for the module (the
    framework's boots Pyodide, about 5 s)."""
    contexts: list[BrowserContext] = []
    drivers: dict[str, Driver] = {}

    def open_page(implementation: str) -> Driver:
        if implementation not in drivers:
            contexts.append(bench_context(browser))
            drivers[implementation] = open_ready(contexts[-1], f"{site.url}{implementation}/")
        return drivers[implementation]

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("implementation", ["framework", "vanilla"])
def test_the_list_is_keyed(booted: Callable[[str], Driver], implementation: str) -> None:
    checks = keyed_checks(booted(implementation))
    assert problems(checks) == []
    assert checks["swap"]["moved"] == 2
    assert checks["remove"]["watchedRemoved"]


def test_run_button_comes_from_python(site: Site) -> None:
    """The page itself has no #run: it appears only once Python attached its handler."""
    page = (site.root / "framework" / "index.html").read_text()
    assert 'id="run"' not in page
    assert 'id="main"' in page


def test_the_proxy_counter_sees_a_leaked_proxy(booted: Callable[[str], Driver]) -> None:
    page = booted("framework").page  # the keyed checks' page, if they ran: it counts all the same
    page.evaluate("__pyodide__._module.enable_pyproxy_allocation_tracing()")
    before = page.evaluate("__pyodide__._module.pyproxy_alloc_map.size")
    page.evaluate(
        "globalThis.__leak__ = __pyodide__.runPython("
        "'from pyodide.ffi import create_proxy; create_proxy(object())')"
    )
    after = page.evaluate("__pyodide__._module.pyproxy_alloc_map.size")
    assert after > before


# Two operations of the nine, one throttled: each opens two fresh tabs, so all nine cost the
# suite about 45 s more. A real run takes all nine; the keyed checks above swap rows.
SMOKE_OPERATIONS = ("01_run1k", "09_clear1k_x8")


@pytest.mark.soak  # about 90 s of its own browsers: run beside the end-to-end lane, not in it
def test_the_runner_writes_operations_memory_and_startup(site: Site, tmp_path: Path) -> None:
    """One run on the module's site (not built again): one iteration of three operations,
    memory, one startup visit per page, with 3 stored todos."""
    command = [
        sys.executable, "-m", "benchmarks.jsfb", "--iterations", "1", "--site", str(site.root),
        "--only", ",".join(SMOKE_OPERATIONS),
        "--startup-iterations", "1", "--startup-seeds", "3", "--output", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    result = json.loads((tmp_path / "jsfb.json").read_text())
    measured = [row["operation"] for row in result["operations"]]
    assert measured == [op.id for op in OPERATIONS if op.id in SMOKE_OPERATIONS]
    assert all(row["framework_ms"] > 0 and row["vanilla_ms"] > 0 for row in result["operations"])
    split = {row["operation"]: row for row in result["time_split"]}
    assert split["01_run1k"]["framework"]["applier_ms"] > 0  # the applier was found and wrapped
    assert split["01_run1k"]["vanilla"]["style_layout_paint_ms"] > 0
    assert "vanilla style/layout/paint" in done.stdout
    assert set(result["memory"]) == {"framework", "vanilla"}
    assert result["memory"]["framework"]["21_ready-memory"]["live_proxies"] is not None
    assert (tmp_path / "jsfb.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "geometric mean" in done.stdout
    startup = result["startup"]
    assert list(startup["medians"]) == ["todo-3", "plain", "plain-bytecode"]
    todo, plain = startup["medians"]["todo-3"], startup["medians"]["plain"]
    for kind in ("cold", "warm"):
        assert 0 < todo[kind]["ui_ms"] <= todo[kind]["ready_ms"] + 1_000
        assert plain[kind]["ui_ms"] is None and plain[kind]["ready_ms"] > 0
    # The returning visit finds the runtime in the HTTP cache: the server sends next to nothing.
    assert todo["cold"]["sent_bytes"] > 1e6 > todo["warm"]["sent_bytes"]
    assert set(startup["ratios"]["todo-3"]) >= {"ui_warm", "ready_warm", "ui_cold", "ready_cold"}
    assert "real UI painted" in done.stdout
