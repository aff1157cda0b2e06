"""Bytes over the network for a first visit, a returning visit and an update of the built TO-DO
app behind nginx (docs/offline.md): what the service worker saves a returning visitor.

    .venv/bin/python -m benchmarks.returning_visit [--output benchmarks/results]

Builds apps/todo twice into a temporary folder with `framework build`'s own function (the
second time from a copy whose title and `model.py` changed, as tests/e2e/test_offline.py does),
and serves a copy of the first build with Debian's real nginx and the config the build wrote
(`_framework/hosting/nginx.conf`, brotli when the brotli_static module is installed;
tests/e2e/nginx_host.py). One persistent Chromium profile (a real user's, not incognito) and one
page go through four phases, one after the other:

1. first visit: the page loads, boots, and the service worker installs; the phase ends when the
   worker is activated (`navigator.serviceWorker.ready`) and the network has been quiet for
   1.5 s;
2. returning visit, nothing changed: a reload, until the app's ready marker
   (`html[data-ready="1"]`);
3. returning visit after a deploy: build 2 replaces build 1 in the served folder, then a reload,
   until the app shows its update notice (`.update-notice`): the new worker has installed;
4. the update accepted: a click on the notice's button, until the new title and the ready
   marker.

Counted: every response to a request for the site (the page's and the service worker's own,
its install's downloads included) that came over the network. Not counted: a response the
service worker answered (Playwright's `response.from_service_worker`), and one from Chromium's
HTTP cache (memory or disk): Chromium reports those with an `encodedDataLength` of 0, which
Playwright's `request.sizes()` shows as a body of minus the headers' size (it computes the
headers' size from the cached headers); a revalidation answered 304 is reported as the cached
200 with the 304's header bytes: counted, as bytes that crossed the network. A response's
bytes are `responseHeadersSize + responseBodySize` of `request.sizes()`, which is Chromium's
`encodedDataLength`: status line, headers and body as received, compressed where nginx sent
a `.br`/`.gz` copy. The request's own header bytes (upload) are kept in the JSON, not in the
kB column.

Known blind spot: the browser's own update check of `sw.js` (made on every navigation of a
page the worker controls, and the revalidation of the scripts it imports) is done by the
browser process for the registration, not by a page or a running worker, and may not be
reported to Playwright: a returning visit's 304 for `sw.js` (under 1 kB) can be missing from
phase 2, and the new `sw.js` of phase 3 too (Chromium 156 reports neither). The worker's
install fetches that follow it are reported (they run in the worker). So the phases' totals
leave it out, and the benchmark measures it apart, with plain GETs of the served `sw.js` at the
end: its bytes as a deploy's check downloads it (brotli), and as a 304 to a check made with its
ETag, what a returning visit with nothing changed costs.

Prints a table per phase (responses, kB over the network, the five largest) and the first
visit's bytes against each returning phase's, and writes benchmarks/results/returning_visit.json
(with the date, the git commit and the machine). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Request, expect, sync_playwright

from framework.cli.app import find_app
from framework.cli.build import build
from tests.e2e.conftest import BOOT_TIMEOUT_MS, CHROMIUM_ARGS, chromium_executable
from tests.e2e.nginx_host import brotli_available, nginx_binary, nginx_serving
from tests.e2e.test_offline import NEW_TITLE, WORKER_ACTIVE, changed_todo

ROOT = Path(__file__).resolve().parents[1]
TODO = ROOT / "apps" / "todo"
READY = 'html[data-ready="1"]'
QUIET_S = 1.5  # a phase ends when no request of the site has finished for this long
QUIET_MAX_S = 30.0
LARGEST = 5
PHASES = {
    "first": "first visit, worker installed",
    "returning": "returning visit, no change",
    "deploy": "returning visit after a deploy",
    "update": "update accepted",
}


@dataclass
class Fetched:
    """One response that came over the network."""

    url: str  # relative to the site
    status: int
    by: str  # "page" or "worker"
    bytes: int  # status line, headers and body as received
    body: int  # as received (compressed where it was)
    request_headers: int
    revalidated: bool  # a 304 (Chromium reports the cached 200 with the 304's bytes)


@dataclass
class Phase:
    name: str
    fetched: list[Fetched] = field(default_factory=list)
    from_worker: int = 0  # responses the service worker answered
    from_cache: int = 0  # responses from Chromium's HTTP cache (memory or disk)
    failed: list[str] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(item.bytes for item in self.fetched)

    def summary(self) -> dict[str, Any]:
        largest = sorted(self.fetched, key=lambda item: -item.bytes)[:LARGEST]
        return {
            "phase": self.name,
            "what": PHASES[self.name],
            "responses": len(self.fetched),
            "revalidated": sum(item.revalidated for item in self.fetched),
            "bytes": self.bytes,
            "request_header_bytes": sum(item.request_headers for item in self.fetched),
            "answered_by_worker": self.from_worker,
            "from_http_cache": self.from_cache,
            "failed": self.failed,
            "largest": [{"url": item.url, "bytes": item.bytes} for item in largest],
            "fetched": [asdict(item) for item in self.fetched],
        }


class Recorder:
    """Sorts every finished request of the site into the current phase."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.phase = Phase("first")
        self.last_event = time.monotonic()

    def relative(self, url: str) -> str:
        return url.removeprefix(self.site).split("?")[0] or "index.html"

    def finished(self, request: Request) -> None:
        if not request.url.startswith(self.site):
            return
        self.last_event = time.monotonic()
        response = request.response()
        if response is None:
            return
        if response.from_service_worker:
            self.phase.from_worker += 1
            return
        sizes = request.sizes()
        received = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if received <= 0:  # encodedDataLength 0: Chromium's memory or disk cache
            self.phase.from_cache += 1
            return
        self.phase.fetched.append(
            Fetched(
                url=self.relative(request.url),
                status=response.status,
                by="worker" if request.service_worker is not None else "page",
                bytes=received,
                body=max(sizes["responseBodySize"], 0),
                request_headers=sizes["requestHeadersSize"],
                revalidated=sizes["responseBodySize"] <= 0,
            )
        )

    def failed(self, request: Request) -> None:
        if request.url.startswith(self.site):
            self.last_event = time.monotonic()
            self.phase.failed.append(f"{self.relative(request.url)}: {request.failure}")

    def settle(self, page: Page) -> None:
        """Wait until no request of the site has finished for QUIET_S seconds."""
        deadline = time.monotonic() + QUIET_MAX_S
        while time.monotonic() < deadline and time.monotonic() - self.last_event < QUIET_S:
            page.wait_for_timeout(250)

    def run(self, name: str, page: Page, steps: Callable[[], None]) -> Phase:
        self.phase = Phase(name)
        self.last_event = time.monotonic()
        steps()
        self.settle(page)
        return self.phase


def build_both(root: Path) -> tuple[Path, Path]:
    """The TO-DO app built, and built again with its title and one module changed."""
    first, second = root / "build1", root / "build2"
    build(find_app(str(TODO)), first)
    build(find_app(str(changed_todo(root))), second)
    return first, second


def deploy(build_folder: Path, served: Path) -> None:
    """Put a build in place of the served one, as a deploy copies it."""
    for child in served.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(build_folder, served, dirs_exist_ok=True)


def visit(context: BrowserContext, url: str, second: Path, served: Path) -> list[Phase]:
    page = context.new_page()
    recorder = Recorder(url)
    context.on("requestfinished", recorder.finished)
    context.on("requestfailed", recorder.failed)

    def first() -> None:
        page.goto(url)
        page.wait_for_selector(READY, state="attached", timeout=BOOT_TIMEOUT_MS)
        page.evaluate(WORKER_ACTIVE)

    def returning() -> None:
        page.reload()
        page.wait_for_selector(READY, state="attached", timeout=BOOT_TIMEOUT_MS)

    def after_deploy() -> None:
        deploy(second, served)
        returning()
        page.locator(".update-notice").wait_for(timeout=BOOT_TIMEOUT_MS)

    def update() -> None:
        page.click(".apply-update")
        expect(page).to_have_title(NEW_TITLE, timeout=BOOT_TIMEOUT_MS)
        page.wait_for_selector(READY, state="attached", timeout=BOOT_TIMEOUT_MS)

    steps = {"first": first, "returning": returning, "deploy": after_deploy, "update": update}
    phases = [recorder.run(name, page, run) for name, run in steps.items()]
    page.close()
    return phases


def update_check(url: str) -> dict[str, int]:
    """What the browser's update check of sw.js costs, which Playwright does not see: a GET of
    the served sw.js as Chromium asks for it (brotli accepted), and the same GET made
    conditional on its ETag, as a check that finds it unchanged. Status line, headers and body
    as received."""
    parts = urlsplit(url)

    def get(headers: dict[str, str]) -> tuple[int, dict[str, str]]:
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        try:
            connection.request("GET", f"{parts.path}sw.js", headers=headers)
            response = connection.getresponse()
            body = response.read()
            head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
            head += "".join(f"{name}: {value}\r\n" for name, value in response.getheaders())
            return len(head) + 2 + len(body), dict(response.getheaders())
        finally:
            connection.close()

    accept = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    changed, headers = get(accept)
    unchanged, _ = get({**accept, "If-None-Match": headers.get("ETag", "")})
    return {"changed_bytes": changed, "not_modified_bytes": unchanged}


def kb(count: int) -> str:
    return f"{count / 1e3:,.1f}"


def print_phase(phase: Phase) -> None:
    summary = phase.summary()
    print(f"\n{summary['what']}")
    print(
        f"  {summary['responses']} responses over the network ({summary['revalidated']} of them "
        f"304), {kb(phase.bytes)} kB; answered by the worker {phase.from_worker}, "
        f"from the HTTP cache {phase.from_cache}"
    )
    for item in summary["largest"]:
        print(f"  {kb(item['bytes']):>12} kB  {item['url']}")
    for failure in phase.failed:
        print(f"  failed: {failure}")


def ratios(phases: list[Phase]) -> dict[str, float | None]:
    """The first visit's bytes over each returning phase's (None: the phase fetched nothing)."""
    first = phases[0].bytes
    return {p.name: (first / p.bytes if p.bytes else None) for p in phases[1:]}


def print_summary(phases: list[Phase]) -> None:
    print(f"\n{'phase':<32} {'responses':>9} {'kB':>12} {'first / this':>13}")
    first = phases[0].bytes
    for phase in phases:
        ratio = (
            ""
            if phase is phases[0]
            else "inf"
            if not phase.bytes
            else f"{first / phase.bytes:,.0f}x"
        )
        print(f"{PHASES[phase.name]:<32} {len(phase.fetched):>9} {kb(phase.bytes):>12} {ratio:>13}")


def machine(chromium_version: str) -> dict[str, Any]:
    def run(*command: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        return (done.stdout or done.stderr).strip()

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": run("git", "rev-parse", "--short", "HEAD"),
        "git_dirty": bool(run("git", "status", "--porcelain", "--untracked-files=no")),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python_host": platform.python_version(),
        "chromium": chromium_version,
        "nginx": run(nginx_binary() or "nginx", "-v"),
        "brotli": brotli_available(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if nginx_binary() is None:
        print("nginx is not installed (Debian: apt-get install nginx)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="returning-visit-") as tmp:
        work = Path(tmp)
        print("building the TO-DO app twice ...", flush=True)
        first, second = build_both(work)
        served = work / "site"
        shutil.copytree(first, served)
        (work / "nginx").mkdir()
        with nginx_serving(served, work / "nginx") as host, sync_playwright() as playwright:
            options: dict[str, Any] = {"args": CHROMIUM_ARGS}
            executable = chromium_executable()
            if executable:
                options["executable_path"] = executable
            context = playwright.chromium.launch_persistent_context(
                str(work / "profile"), **options
            )
            try:
                version_page = context.new_page()
                version = context.new_cdp_session(version_page).send("Browser.getVersion")
                version_page.close()
                phases = visit(context, host.url, second, served)
            finally:
                context.close()
            check = update_check(host.url)
    for phase in phases:
        print_phase(phase)
    print_summary(phases)
    print(
        f"\nnot seen by Playwright, measured apart: the browser's update check of sw.js, "
        f"{kb(check['not_modified_bytes'])} kB when unchanged (304), "
        f"{kb(check['changed_bytes'])} kB when a deploy changed it (brotli)"
    )
    result = {
        "machine": machine(str(version["product"])),
        "phases": [phase.summary() for phase in phases],
        "first_over_returning": ratios(phases),
        "sw_update_check_not_counted": check,
    }
    args.output.mkdir(parents=True, exist_ok=True)
    target = args.output / "returning_visit.json"
    target.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
