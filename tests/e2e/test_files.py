"""Persistent folders in real Chromium (app: tests/e2e/apps/files, `persist = ["/data"]`).

A click handler inserts rows with sqlite3 into /data/notes.db and rewrites /data/state.json
with open(); the page is reloaded at once, before anything else can happen, and the new page's
first line finds both, with the database passing `pragma integrity_check`. One browser context
(one IndexedDB) for the module, so each test continues from the data the previous one left;
the test that kills tabs has a context of its own.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

ROWS_PER_CLICK = 50  # as in the app


@pytest.fixture(scope="module")
def files_page(browser: Browser, served_app: ServeApp) -> Iterator[AppPage]:
    context = browser.new_context()
    page = context.new_page()
    recorder = AppPage(page)
    page.on("console", lambda message: recorder.console.append(f"{message.type}: {message.text}"))
    recorder.open(served_app(APPS / "files").url)
    yield recorder
    context.close()


def at_boot(app: AppPage) -> dict[str, Any]:
    assert app.ready, f"{app.error}: {app.diagnostics()}"
    found: dict[str, Any] = json.loads(app.text("#boot"))
    return found


def click_then_reload(app: AppPage) -> None:
    app.page.click("#add")
    app.page.reload()  # at once: no waiting for the save
    app.wait_settled()


def test_the_app_sees_its_persistent_folder(files_page: AppPage) -> None:
    assert json.loads(files_page.text("#folders")) == ["/data"]
    assert at_boot(files_page)["integrity"] == "ok"
    names = files_page.page.evaluate("async () => (await indexedDB.databases()).map(d => d.name)")
    ours = [name for name in names if name.startswith("framework-files:")]
    assert ours == ["framework-files:/:/data"]  # the app's path and the folder: its own


def test_a_click_then_an_immediate_reload_keeps_sqlite_rows_and_a_json_file(
    files_page: AppPage,
) -> None:
    before = at_boot(files_page)
    click_then_reload(files_page)
    after = at_boot(files_page)
    rows = before["rows"] + ROWS_PER_CLICK
    assert (after["rows"], after["integrity"]) == (rows, "ok")
    assert after["state"] == {"clicks": before["state"]["clicks"] + 1, "rows": rows}


def test_files_save_saves_at_once_and_says_so(files_page: AppPage) -> None:
    files_page.page.click("#save")
    files_page.page.wait_for_selector("#saved:has-text('saved')")
    assert files_page.text("#saved") == "saved"


def test_a_write_after_every_save_is_saved_when_the_page_is_left(files_page: AppPage) -> None:
    """A timer's write: no handler ends after it, so only the page's pagehide save keeps it."""
    assert at_boot(files_page)["later"] is None
    files_page.page.click("#later")
    files_page.page.wait_for_selector("#written:has-text('written')")
    files_page.open(files_page.page.url)  # leaving the page: pagehide
    assert at_boot(files_page)["later"] == "written by a timer"


def export_download(app: AppPage) -> bytes:
    with app.page.expect_download() as download:
        app.page.click("#export")
    assert download.value.suggested_filename == "data.zip"
    return Path(download.value.path()).read_bytes()


def import_file(app: AppPage, name: str, data: bytes) -> str:
    app.page.set_input_files(
        "#import", {"name": name, "mimeType": "application/zip", "buffer": data}
    )
    app.page.wait_for_selector(f"#imported:has-text('{name}')")
    return app.text("#imported")


def test_an_export_imported_after_more_writes_brings_the_folder_back_and_survives_a_reload(
    files_page: AppPage,
) -> None:
    exported = export_download(files_page)
    names = zipfile.ZipFile(io.BytesIO(exported)).namelist()
    assert names == sorted(names) and {"notes.db", "state.json"} <= set(names)
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        at_export = json.loads(archive.read("state.json"))
    files_page.page.click("#add")  # written after the export: the import takes it back

    said = import_file(files_page, "data.zip", exported)
    assert said.startswith("data.zip imported: "), said
    files_page.page.reload()
    files_page.wait_settled()
    found = at_boot(files_page)
    assert (found["rows"], found["integrity"], found["state"]) == (
        at_export["rows"],
        "ok",
        at_export,
    )


def test_a_file_that_is_not_a_zip_is_refused_and_the_data_stays(files_page: AppPage) -> None:
    before = json.loads(files_page.text("#boot"))
    said = import_file(files_page, "notes.csv", b"title,done\nmilk,no\n")
    assert said.startswith("notes.csv not imported: the file is not a zip archive"), said
    files_page.page.reload()
    files_page.wait_settled()
    assert at_boot(files_page) == before


# -- two tabs of the app, one IndexedDB: each sees the other's saves ---------------------------


@pytest.fixture(scope="module")
def second_tab(files_page: AppPage) -> Iterator[AppPage]:
    page = files_page.page.context.new_page()
    recorder = AppPage(page)
    page.on("console", lambda message: recorder.console.append(f"{message.type}: {message.text}"))
    recorder.open(files_page.page.url)
    yield recorder
    page.close()


def peek_until(app: AppPage, expected: dict[str, Any], seconds: float = 10) -> dict[str, Any]:
    """What the tab's /data holds, asked again until it has `expected` (another tab's save
    arrives by message, a moment after that save)."""
    found: dict[str, Any] = {}
    for _ in range(int(seconds / 0.1)):
        app.page.click("#peek")
        found = json.loads(app.text("#peeked") or "{}")
        if expected.items() <= found.items():
            return found
        app.page.wait_for_timeout(100)
    raise AssertionError(f"never {expected}: {found}; {app.diagnostics()}")


def test_a_save_in_one_tab_is_read_in_the_other_with_a_new_connection(
    files_page: AppPage, second_tab: AppPage
) -> None:
    before = at_boot(second_tab)
    reloads = json.loads(second_tab.text("#reloaded"))["count"]
    files_page.page.click("#add")  # the handler's save; then the other tab is told
    rows = before["rows"] + ROWS_PER_CLICK
    # files.reloaded: the second tab's view counted the rows again, with no click there
    expected = {"count": reloads + 1, "paths": ["/data/notes.db", "/data/state.json"], "rows": rows}
    second_tab.page.wait_for_function(
        "expected => document.querySelector('#reloaded').textContent === expected",
        arg=json.dumps(expected),
    )
    state = {"clicks": before["state"]["clicks"] + 1, "rows": rows}
    found = peek_until(second_tab, {"rows": rows, "state": state})
    assert found["integrity"] == "ok"


def test_a_completed_save_in_one_tab_is_not_lost_by_the_others_later_save(
    files_page: AppPage, second_tab: AppPage
) -> None:
    second_tab.page.click("#other")  # writes other.json, awaits files.save()
    second_tab.page.wait_for_selector("#othered:has-text('written')")
    other = json.loads(second_tab.text("#othered"))
    files_page.page.click("#add")  # the first tab's later save, of its own files
    files_page.page.click("#save")
    files_page.page.wait_for_selector("#saved:has-text('saved')")
    rows = peek_until(files_page, {"other": other})["rows"]  # the message reached it too

    files_page.page.reload()  # what the database holds now
    files_page.wait_settled()
    assert peek_until(files_page, {"other": other, "rows": rows})["integrity"] == "ok"
    assert at_boot(files_page)["rows"] == rows


def test_a_file_changed_here_and_not_saved_keeps_this_tabs_version_and_says_so(
    files_page: AppPage, second_tab: AppPage
) -> None:
    """later.txt written from a timer is not saved by a handler: the other tab's save of the
    same file finds it changed and unsaved here."""
    second_tab.page.click("#later")
    second_tab.page.wait_for_selector("#written:has-text('written')")
    files_page.page.click("#later")
    files_page.page.wait_for_selector("#written:has-text('written')")
    files_page.page.click("#save")  # saves later.txt, and tells the second tab
    warning = "/data/later.txt was saved by another tab of this app while this tab had changed"
    for _ in range(100):
        if any(warning in line for line in second_tab.console):
            break
        second_tab.page.wait_for_timeout(100)
    assert any(warning in line for line in second_tab.console), second_tab.console


def test_usage_and_quota_come_from_the_browser(files_page: AppPage) -> None:
    files_page.page.click("#quota")
    files_page.page.wait_for_selector("#storage:has-text('quota')")
    storage = json.loads(files_page.text("#storage"))
    assert 0 < storage["used"] < storage["quota"]  # the folder's database is counted
    assert isinstance(storage["kept"], bool)
