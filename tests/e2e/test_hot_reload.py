"""Hot reload: an edited component module is swapped into the running page, which keeps its state.

The real `framework serve` with live reload, real Chromium, one booted page for the whole
sequence: state made by a user, an edit that shows within 1.5 s with no navigation, a syntax
error that leaves the old code running and shows in the overlay, its fix, and an edit of the
parent's markup that keeps its children's state.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

HOT_WITHIN_S = 1.5  # from the save to the new label on the page (the bound)
OVERLAY_WITHIN_MS = 10_000
CHECK_CLEARS_WITHIN_MS = 30_000  # the overlay's `framework check` block waits for a new check


def test_an_edit_is_swapped_in_and_the_page_keeps_its_state(
    tmp_path: Path, served_app: ServeApp, app_page: AppPage
) -> None:
    app = tmp_path / "hot_reload"
    shutil.copytree(APPS / "hot_reload", app)  # the test edits it
    module = app / "counter.py"
    source = module.read_text()
    app_page.open(served_app(app, reload=True).url)
    page = app_page.page
    overlay = page.locator("#framework-error")
    assert overlay.count() == 0, overlay.inner_text()
    counter, note = page.locator("#counter"), page.locator("#note")
    for _ in range(5):
        counter.click()
    note.fill("half-typed")
    page.evaluate("() => { window.marker = 1; }")  # gone if the page loads again

    saved = time.monotonic()
    module.write_text(source.replace("Clicks:", "Count:"))
    page.wait_for_function(
        "() => document.querySelector('#counter')?.textContent === 'Count: 5'", polling="raf"
    )
    took = time.monotonic() - saved
    assert took < HOT_WITHIN_S, f"the new label showed {took:.2f} s after the save"
    assert page.evaluate("() => window.marker") == 1, "the page was loaded again"
    expect(note).to_have_value("half-typed")
    assert page.evaluate("() => document.activeElement?.id") == "note"  # the focus stayed
    assert "framework: hot reload: counter.py (Counter, Note, Page)" in "\n".join(app_page.console)

    module.write_text(source.replace("Clicks:", "Broken:").replace("def bump(self):", "def bump(:"))
    expect(overlay).to_contain_text(
        "counter.py could not be applied (the previous code keeps running)",
        timeout=OVERLAY_WITHIN_MS,
    )
    expect(overlay).to_contain_text("SyntaxError")
    counter.dispatch_event("click")  # the overlay covers the button: a click to the element
    expect(counter).to_have_text("Count: 6")  # the old code still counts

    module.write_text(source.replace("Clicks:", "Fixed:"))
    expect(counter).to_have_text("Fixed: 6", timeout=OVERLAY_WITHIN_MS)
    expect(overlay.filter(has_text="could not be applied")).to_have_count(0)
    expect(overlay).to_have_count(0, timeout=CHECK_CLEARS_WITHIN_MS)  # the check's too
    counter.click()
    expect(counter).to_have_text("Fixed: 7")
    assert page.evaluate("() => window.marker") == 1

    # The parent's markup changes: its template is replaced, its children keep their state.
    fixed = source.replace("Clicks:", "Fixed:")
    module.write_text(fixed.replace("<main>{Counter()}", "<main><h1>Hot</h1>{Counter()}"))
    expect(page.locator("h1")).to_have_text("Hot", timeout=OVERLAY_WITHIN_MS)
    expect(counter).to_have_text("Fixed: 7")
    expect(note).to_have_value("half-typed")
    assert page.evaluate("() => window.marker") == 1
    assert app_page.error is None
