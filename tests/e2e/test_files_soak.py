"""Persistent folders under long runs, in real Chromium (app: tests/e2e/apps/files): 50 reloads
interleaved with writes, and tabs killed in the middle of a long series of writes.

Each reload is a full boot of Python (about 2 s here), so these take about two minutes: they
are the `soak` tier, which `python3 tasks.py test` runs after the Pyodide unit and host tests,
beside the other end-to-end tests, so they cost the suite's wall time nothing while those run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.conftest import APPS, AppPage, ServeApp
from tests.e2e.test_files import ROWS_PER_CLICK, at_boot, click_then_reload

pytestmark = [pytest.mark.e2e, pytest.mark.soak]

ROUNDS = 50  # the issue: "after 50 reloads interleaved with writes, nothing is lost"


@pytest.fixture(scope="module")
def files_page(browser: Browser, served_app: ServeApp) -> Iterator[AppPage]:
    """The files app in a context of its own: this module's IndexedDB, whatever ran before."""
    context = browser.new_context()
    app = open_files_app(context, served_app(APPS / "files").url)
    yield app
    context.close()


def test_reloads_interleaved_with_writes_lose_nothing(files_page: AppPage) -> None:
    start = at_boot(files_page)
    for round_number in range(1, ROUNDS + 1):
        click_then_reload(files_page)
        found = at_boot(files_page)
        rows = start["rows"] + round_number * ROWS_PER_CLICK
        assert found["rows"] == rows, f"round {round_number}: {found}"
        assert found["integrity"] == "ok"
        assert found["state"] == {"clicks": start["state"]["clicks"] + round_number, "rows": rows}


# -- a tab killed during a long series of writes -----------------------------------------------

# How each tab dies, and how long after the first row of its series (ms): a crash kills the
# renderer wherever its Python is, a close lets the page run its pagehide save first.
KILLS = (("crash", 100), ("close", 300), ("crash", 700))


@pytest.fixture
def own_context(browser: Browser) -> Iterator[BrowserContext]:
    """A context of its own (its own IndexedDB, and its own renderer processes: a crash there
    takes no other test's page with it)."""
    context = browser.new_context()
    yield context
    context.close()


def open_files_app(context: BrowserContext, url: str) -> AppPage:
    page = context.new_page()
    app = AppPage(page)
    page.on("console", lambda message: app.console.append(f"{message.type}: {message.text}"))
    app.open(url)
    return app


def series_at_boot(app: AppPage) -> int:
    """k, the rows of the series the tab found at boot, after checking what a kill may not
    break: the database passes integrity_check, its rows are exactly 1..k (a prefix of the
    writes, none missing), and series.json, saved in the same transaction, parses and says k."""
    assert app.ready, f"{app.error}: {app.diagnostics()}"
    found = json.loads(app.text("#series-boot"))
    ids, text = found["ids"], found["state"]
    rows = len(ids)
    assert found["integrity"] == "ok", found["integrity"]
    assert ids == list(range(1, rows + 1)), f"not a prefix of 1, 2, 3...: {ids[:3]}..{ids[-3:]}"
    try:
        state = None if text is None else json.loads(text)["rows"]
    except json.JSONDecodeError:
        pytest.fail(f"series.json is torn: {text[:60]!r}...{text[-60:]!r}")
    assert state == (rows or None), f"series.json says {state} rows, the database has {rows}"
    return rows


def kill(app: AppPage, how: str) -> None:
    """End the tab through the DevTools protocol, from a browser-level session.

    "crash" is Page.crash: the renderer crashes from its IO thread whatever its main thread is
    doing (here Python inserting a row, or between two, with a save's transaction in flight):
    no pagehide, no more JavaScript. It goes through Target.sendMessageToTarget, which returns
    as soon as the message is passed on: the crashed renderer never answers, so a direct
    CDPSession.send("Page.crash") would wait forever. "close" is Target.closeTarget, the tab
    closed as by its user: the page runs its pagehide (a save) between two of its tasks."""
    own = app.page.context.new_cdp_session(app.page)
    target = own.send("Target.getTargetInfo")["targetInfo"]["targetId"]
    own.detach()
    browser = app.page.context.browser
    assert browser is not None
    root = browser.new_browser_cdp_session()
    if how == "crash":
        attached = root.send("Target.attachToTarget", {"targetId": target, "flatten": False})
        message = json.dumps({"id": 1, "method": "Page.crash"})
        with app.page.expect_event("crash"):
            root.send(
                "Target.sendMessageToTarget",
                {"sessionId": attached["sessionId"], "message": message},
            )
        app.page.close()
    else:
        with app.page.expect_event("close"):
            root.send("Target.closeTarget", {"targetId": target})
    root.detach()


def start_series(page: Page) -> None:
    page.click("#series")
    page.wait_for_function(
        "() => Number(document.querySelector('#series-written').textContent) > 0", polling=20
    )


def test_a_tab_killed_during_a_long_series_of_writes_leaves_a_sound_prefix_of_them(
    own_context: BrowserContext, served_app: ServeApp
) -> None:
    """Each tab writes rows k+1, k+2, ... one transaction each, a save asked for after each,
    until it is killed; the next tab, in the same context (the same IndexedDB), finds rows
    1..k' with k' > k: sound, a prefix, and some of the new rows saved."""
    url = served_app(APPS / "files").url
    app = open_files_app(own_context, url)
    rows = series_at_boot(app)
    assert rows == 0
    for how, after_ms in KILLS:
        start_series(app.page)
        app.page.wait_for_timeout(after_ms)
        written = int(app.text("#series-written"))
        kill(app, how)
        app = open_files_app(own_context, url)
        before, rows = rows, series_at_boot(app)
        assert rows > before, f"{how} after {after_ms} ms: {rows} rows, {written} written"
