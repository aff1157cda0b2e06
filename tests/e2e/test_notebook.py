"""The notebook demo (apps/notebook) in real Chromium against `framework serve apps/notebook`.

Notes in SQLite under the persistent folder /data: add, search (FTS5), edit, delete, a reload
right after a click, export as a zip and import into a fresh browser, and a bad import refused.
One booted page (one browser context, so one IndexedDB) serves the module: each test adds notes
of its own, with words no other test uses, and checks only those; only the reload and the fresh
browser boot again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import AppPage, ServeApp, Server

pytestmark = pytest.mark.e2e

NOTEBOOK_APP = Path(__file__).resolve().parents[2] / "apps" / "notebook"
TITLES = "ul.notes > li.note h2.title"


@pytest.fixture(scope="module")
def server(served_app: ServeApp) -> Server:
    return served_app(NOTEBOOK_APP)


@pytest.fixture(scope="module")
def notebook(server: Server, module_page: AppPage) -> AppPage:
    module_page.open(server.url)
    assert module_page.ready, f"{module_page.error}: {module_page.diagnostics()}"
    return module_page


@pytest.fixture
def page(notebook: AppPage) -> Iterator[Page]:
    yield notebook.page
    assert notebook.error is None, notebook.diagnostics()  # no overlay after any test


def add_note(page: Page, title: str, body: str = "", tags: str = "") -> None:
    form = page.locator("form.new-note")
    form.locator("input.title").fill(title)
    form.locator("input.tags").fill(tags)
    form.locator("textarea.body").fill(body)
    form.locator("button.save").click()
    expect(page.locator(TITLES).first).to_have_text(title)


def row(page: Page, title: str) -> Locator:
    return page.locator("ul.notes > li.note", has=page.locator("h2.title", has_text=title))


def search(page: Page, text: str) -> None:
    page.locator("input.query").fill(text)


def titles(page: Page) -> list[str]:
    return page.locator(TITLES).all_inner_texts()


def test_a_note_is_added_first_and_the_page_says_its_search_and_storage(page: Page) -> None:
    add_note(page, "Groceries list", "oat milk\nrye bread", "shopping, Home")
    added = row(page, "Groceries list")
    expect(added.locator("p.body")).to_have_text("oat milk\nrye bread")
    expect(added.locator("button.tag")).to_have_text(["#home", "#shopping"])
    expect(page.locator("form.new-note input.title")).to_have_value("")
    expect(page.locator("p.search-kind")).to_have_attribute("data-kind", "FTS5")
    expect(page.locator("p.storage")).to_contain_text(" used of ")


def test_search_finds_the_note_and_not_another(page: Page) -> None:
    add_note(page, "Pancake recipe", "flour, eggs")
    add_note(page, "Waffle recipe", "flour, yeast")
    search(page, "pancake")
    expect(page.locator(TITLES)).to_have_text(["Pancake recipe"])
    search(page, 'EGGS" -* OR(')  # FTS5 syntax typed: words and punctuation, no error
    expect(page.locator(TITLES)).to_have_count(0)
    search(page, '"eggs -*')
    expect(page.locator(TITLES)).to_have_text(["Pancake recipe"])
    search(page, "")
    expect(page.locator(TITLES).nth(1)).to_have_text("Pancake recipe")


def test_edit_changes_the_note_and_moves_it_first(page: Page) -> None:
    add_note(page, "Meeting notes", "agenda: budget")
    add_note(page, "Reading list")
    row(page, "Meeting notes").locator("button.edit").click()
    form = page.locator("form.edit-note")
    expect(form.locator("input.title")).to_have_value("Meeting notes")
    form.locator("input.title").fill("Board meeting")
    form.locator("textarea.body").fill("agenda: hiring")
    form.locator("button.save").click()
    expect(page.locator(TITLES).first).to_have_text("Board meeting")
    expect(row(page, "Board meeting").locator("span.times")).to_contain_text("edited")
    search(page, "hiring")
    expect(page.locator(TITLES)).to_have_text(["Board meeting"])
    search(page, "budget")
    expect(page.locator(TITLES)).to_have_count(0)
    search(page, "")


def test_delete_removes_the_note(page: Page) -> None:
    add_note(page, "Throwaway thought")
    row(page, "Throwaway thought").locator("button.delete").click()
    expect(row(page, "Throwaway thought")).to_have_count(0)
    search(page, "throwaway")
    expect(page.locator(TITLES)).to_have_count(0)
    search(page, "")


def import_zip(page: Page, name: str, data: bytes) -> str:
    page.set_input_files(
        "footer.data-tools input[type=file]",
        {"name": name, "mimeType": "application/zip", "buffer": data},
    )
    message = page.locator("footer.data-tools p.message")
    expect(message).to_contain_text(name)
    return message.inner_text()


def test_a_file_that_is_not_a_zip_is_refused_clearly_and_the_notes_stay(page: Page) -> None:
    before = titles(page)
    said = import_zip(page, "notes.csv", b"title,done\nmilk,no\n")
    assert said.startswith(
        "notes.csv was not imported, your notes are unchanged: the file is not a zip archive"
    ), said
    expect(page.locator("footer.data-tools p.message")).to_have_attribute("role", "alert")
    assert titles(page) == before


def test_notes_survive_a_reload_right_after_a_click(notebook: AppPage, page: Page) -> None:
    add_note(page, "Before the reload")
    before = titles(page)
    form = page.locator("form.new-note")
    form.locator("input.title").fill("Written just before the reload")
    form.locator("button.save").click()
    page.reload()  # at once: no waiting for the save
    notebook.wait_settled()
    assert notebook.ready, notebook.diagnostics()
    expect(page.locator(TITLES)).to_have_text(["Written just before the reload", *before])


def test_an_export_imported_into_a_fresh_browser_gives_the_same_notes(
    notebook: AppPage, page: Page, browser: Browser, server: Server
) -> None:
    with page.expect_download() as download:
        page.locator("button.export").click()
    assert download.value.suggested_filename == "notebook.zip"
    exported = Path(download.value.path()).read_bytes()
    assert "notes.db" in zipfile.ZipFile(io.BytesIO(exported)).namelist()
    notes_here = page.locator("ul.notes").inner_text()

    context = browser.new_context()  # its own IndexedDB: an empty notebook
    try:
        fresh = AppPage(context.new_page())
        fresh.open(server.url)
        assert fresh.ready, fresh.diagnostics()
        expect(fresh.page.locator("p.count")).to_have_text(
            "No notes yet: write the first one above."
        )
        assert import_zip(fresh.page, "notebook.zip", exported) == "notebook.zip imported."
        expect(fresh.page.locator(TITLES)).to_have_text(titles(page))
        assert fresh.page.locator("ul.notes").inner_text() == notes_here
    finally:
        context.close()


def test_the_app_loads_nothing_from_elsewhere(notebook: AppPage) -> None:
    assert notebook.foreign_requests() == []
