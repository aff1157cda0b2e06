"""Chromium for the benchmarks: the flags and executable the end-to-end tests use."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.e2e.conftest import CHROMIUM_ARGS, SYSTEM_CHROMIUMS

PROBE = Path(__file__).parent / "probe.js"


def chromium_executable() -> str | None:
    """$FRAMEWORK_CHROMIUM, else a system Chromium, else None (Playwright's own)."""
    explicit = os.environ.get("FRAMEWORK_CHROMIUM")
    candidates = (explicit,) if explicit else SYSTEM_CHROMIUMS
    for name in candidates:
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def bench_context(browser: Browser) -> BrowserContext:
    """A browser context whose pages carry the click-to-paint probe."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(PROBE))
    return context
