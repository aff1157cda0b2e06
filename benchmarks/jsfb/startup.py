"""Startup: how soon a returning TO-DO user sees their own list, and when Python is ready.

One visit of a case is two page loads in one fresh browser profile: cold (empty HTTP cache), then
warm (the same profile again). A persistent profile, not an incognito context: only a disk cache
keeps V8's compiled code for the 9.6 MB pyodide.asm.wasm, so an incognito "warm" load compiles
it again (seen here). Before the cold load, the case's todos are put in localStorage under the
app's key (a page of the same origin, answered by Playwright, not the server); the warm load
finds them and whatever the app saved on the cold one, as a returning user's browser does.

Per load, on the page's clock (performance.now(), 0 = navigation start), noted by
startup_probe.js: `ui_ms`, the TO-DO app's real UI painted: the later of the first animation
frame callback that finds `.new-todo` shown and exactly the seeded todos listed (that frame
paints them), and the first-contentful-paint entry (no pixels are on screen before it);
`ready_ms`, when `<html data-ready="1">` appears. The plain pages have no UI to wait for: only
`ready_ms`. Bytes are what the static server sent for the load (site.Traffic).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.jsfb.browser import chromium_executable
from benchmarks.jsfb.operations import WAIT_MS
from benchmarks.jsfb.site import Site
from tests.e2e.conftest import CHROMIUM_ARGS, SETTLED
from tests.e2e.todo_pages import STORAGE_KEY

PROBE = Path(__file__).parent / "startup_probe.js"
UI_AFTER_READY_MS = 10_000  # the stored todos must be on screen this soon after ready
SEED_PATH = "__seed__"  # answered by Playwright: never reaches the server, nor its counts
PLAIN_PAGES = ("plain", "plain-bytecode")


@dataclass(frozen=True)
class Case:
    name: str  # "todo-100", "plain"
    folder: str  # the page's folder in the site
    seeded: int | None  # todos stored before the first load; None: no UI to wait for

    @property
    def todos(self) -> list[dict[str, Any]]:
        """Stored as the app stores them ({id, title, completed}); every third one completed."""
        count = self.seeded or 0
        return [
            {"id": f"{i:012x}", "title": f"Seeded todo {i}", "completed": i % 3 == 0}
            for i in range(1, count + 1)
        ]


def cases(seeds: Sequence[int]) -> list[Case]:
    todo = [Case(f"todo-{count}", "todo", count) for count in seeds]
    return [*todo, *(Case(name, name, None) for name in PLAIN_PAGES)]


@dataclass(frozen=True)
class Load:
    ready_ms: float
    ui_ms: float | None  # max(ui_seen_ms, fcp_ms): the reported "UI painted"
    ui_seen_ms: float | None  # the first frame callback that found the UI there
    ui_frame_ms: float | None  # that frame's own timestamp (can be earlier: kept for a check)
    ui_lost_frames: int | None  # frames after ui_seen_ms, until ready, without the UI
    probe_ms: float | None  # main-thread time the probe's checks took (its own cost)
    fcp_ms: float | None
    responses: int  # requests the server answered (cache hits never reach it)
    not_modified: int  # of which 304
    sent_bytes: int  # status lines, headers and bodies as sent (compressed where they were)
    decoded_bytes: int  # those bodies decoded


@dataclass(frozen=True)
class Visit:
    case: str
    seeded: int | None
    cold: Load
    warm: Load


def _seed(context: BrowserContext, site: Site, todos: list[dict[str, Any]]) -> None:
    page = context.new_page()
    try:
        page.route(f"{site.url}{SEED_PATH}", lambda route: route.fulfill(body=""))
        page.goto(f"{site.url}{SEED_PATH}")
        page.evaluate(
            "([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps(todos)]
        )
    finally:
        page.close()


def _load(context: BrowserContext, site: Site, case: Case) -> Load:
    url = f"{site.url}{case.folder}/"
    page = context.new_page()
    site.traffic.reset()
    try:
        page.goto(url)
        page.wait_for_selector(SETTLED, state="attached", timeout=WAIT_MS)
        if page.get_attribute("html", "data-error") is not None:
            raise RuntimeError(f"{url} failed to start: {page.inner_text('body')[-2000:]}")
        page.wait_for_function("() => __startup__.readyAt !== undefined", timeout=WAIT_MS)
        if case.seeded is not None:
            try:
                page.wait_for_function("() => __startup__.done === true", timeout=UI_AFTER_READY_MS)
            except PlaywrightTimeout:
                rows = page.locator("ul.todo-list > li label").all_text_contents()
                raise RuntimeError(
                    f"{url}: the {case.seeded} stored todos were never shown; "
                    f"the list shows {len(rows)}: {rows[:5]}"
                ) from None
        page.wait_for_load_state("networkidle")
        noted = page.evaluate(
            """() => ({
                ...__startup__,
                fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
            })"""
        )
        traffic = site.traffic
        sent = (traffic.responses, traffic.not_modified, traffic.sent_bytes, traffic.decoded_bytes)
    finally:
        page.close()
    seen, fcp = noted.get("uiSeenAt"), noted["fcp"]
    ui = None if seen is None else max(seen, fcp if fcp is not None else seen)
    return Load(
        round(float(noted["readyAt"]), 1),
        _ms(ui),
        _ms(seen),
        _ms(noted.get("uiFrameAt")),
        noted.get("uiLostFrames"),
        _ms(noted.get("checkMs")),
        _ms(fcp),
        *sent,
    )


def _ms(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def visit(browser: Browser, site: Site, case: Case) -> Visit:
    with tempfile.TemporaryDirectory(prefix="jsfb-profile-") as profile:
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        expected = json.dumps(case.todos if case.seeded is not None else None)
        context.add_init_script(f"globalThis.__startupExpect__ = {expected};\n{PROBE.read_text()}")
        try:
            if case.seeded:
                _seed(context, site, case.todos)
            cold = _load(context, site, case)
            warm = _load(context, site, case)
        finally:
            context.close()
    return Visit(case.name, case.seeded, cold, warm)
