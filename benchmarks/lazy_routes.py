"""What a lazy route saves the first visit of the demo app (docs/router.md, "Lazy routes").

    .venv/bin/python -m benchmarks.lazy_routes [--runs 5]

Builds tests/e2e/apps/suspense_lazy twice with `framework build`: as it is (`pages.settings`
is a lazy route's module, left out of the app archive), and from a copy whose main.py also
imports `pages.settings` at start (the build then keeps it in the archive: the same app without
the split). Prints the app archive's bytes in both (raw and brotli, as a server sends it), then
serves each build with `python -m http.server` and boots it in Chromium `--runs` times,
alternating: the time from navigation to the app's ready marker (`framework:ready`), and the
time a click on the Settings link takes to show the page (fetch, import and render for the lazy
build; render only for the other). Medians. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.conftest import BOOT_TIMEOUT_MS, CHROMIUM_ARGS, chromium_executable, free_port

APP = Path(__file__).resolve().parents[1] / "tests" / "e2e" / "apps" / "suspense_lazy"
ARCHIVE = "_framework/app.zip"
READY = """new Promise(done => {
    if (document.documentElement.dataset.ready) done(performance.now());
    else addEventListener("framework:ready", () => done(performance.now()), {once: true});
})"""
VISIT = """async () => {
    const started = performance.now();
    document.querySelector("a[href='#/settings']").click();
    while (document.querySelector("h1")?.textContent !== "Settings")
        await new Promise(next => requestAnimationFrame(next));
    return performance.now() - started;
}"""


def build(app: Path, output: Path) -> None:
    command = [sys.executable, "-m", "framework", "build", str(app), "-o", str(output)]
    subprocess.run(command, check=True, capture_output=True)


def variants(scratch: Path) -> dict[str, Path]:
    eager = scratch / "eager-app"
    shutil.copytree(APP, eager, ignore=shutil.ignore_patterns("__pycache__"))
    main = eager / "main.py"
    main.write_text("import pages.settings  # noqa: F401\n" + main.read_text())
    builds = {"lazy": scratch / "lazy", "eager": scratch / "eager"}
    build(APP, builds["lazy"])
    build(eager, builds["eager"])
    return builds


def archive_sizes(output: Path) -> tuple[int, int]:
    raw = (output / ARCHIVE).stat().st_size
    packed = output / f"{ARCHIVE}.br"
    return raw, packed.stat().st_size if packed.exists() else raw


def boot_and_visit(page: Page, url: str) -> tuple[float, float]:
    page.goto(url)
    ready = float(page.evaluate(READY))
    page.wait_for_selector("html[data-ready]", state="attached", timeout=BOOT_TIMEOUT_MS)
    return ready, float(page.evaluate(VISIT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch_name:
        builds = variants(Path(scratch_name))
        for name, output in builds.items():
            raw, packed = archive_sizes(output)
            print(f"{name:5}  app.zip {raw:7,} bytes, {packed:7,} brotli")
        servers, urls = [], {}
        for name, output in builds.items():
            port = free_port()
            command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
            servers.append(subprocess.Popen(command, cwd=output, stderr=subprocess.DEVNULL))
            urls[name] = f"http://127.0.0.1:{port}/"
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in builds}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_executable(), args=CHROMIUM_ARGS
                )
                for _ in range(runs):
                    for name, url in urls.items():
                        context = browser.new_context()  # a first visit: nothing cached
                        timings[name].append(boot_and_visit(context.new_page(), url))
                        context.close()
                browser.close()
        finally:
            for server in servers:
                server.terminate()
        for name, pairs in timings.items():
            ready = statistics.median(r for r, _ in pairs)
            visit = statistics.median(v for _, v in pairs)
            print(f"{name:5}  ready {ready:7.0f} ms   settings first visit {visit:6.1f} ms")


if __name__ == "__main__":
    main()
