"""The notebook's components on the in-memory DOM, against a real SQLite database in a temp
folder, with the browser's file transfers and storage estimate faked."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app import NotebookApp
from notes import Notebook

from framework import MemoryDom, files, mount
from framework.dom.memory import Element
from framework.testing import settle


class FakeTransfers:
    """Downloads recorded; the file "picked" is the event's `picked` field."""

    def __init__(self) -> None:
        self.downloads: list[tuple[str, bytes]] = []

    def download(self, name: str, data: bytes, media_type: str) -> None:
        self.downloads.append((name, data))

    async def read_picked(self, event: Any) -> tuple[str, bytes] | None:
        picked: tuple[str, bytes] | None = getattr(event, "picked", None)
        return picked


class FakeQuota:
    def __init__(self) -> None:
        self.used, self.granted = 1_234_567, True

    async def estimate(self) -> tuple[int, int]:
        return self.used, 10_000_000_000

    async def persist(self) -> bool:
        return self.granted


@pytest.fixture
def transfers() -> Iterator[FakeTransfers]:
    fake = FakeTransfers()
    files.set_file_transfers(fake)
    files.set_storage_quota(FakeQuota())
    yield fake
    files.set_file_transfers(None)
    files.set_storage_quota(None)


def classes(element: Element) -> list[str]:
    return element.attrs.get("class", "").split()


class Page:
    """The app mounted on a MemoryDom, with what a user does to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.dom = MemoryDom()
        self.app = mount(
            NotebookApp(notebook=Notebook(folder / "notes.db"), folder=folder),
            "#app",
            backend=self.dom,
        )
        settle(self.dom)

    @property
    def root(self) -> Element:
        return self.dom.container("#app")

    def all(self, tag: str, cls: str, within: Element | None = None) -> list[Element]:
        return [e for e in (within or self.root).find(tag) if cls in classes(e)]

    def one(self, tag: str, cls: str, within: Element | None = None) -> Element:
        (found,) = self.all(tag, cls, within)
        return found

    def type(self, field: Element, text: str) -> None:
        field.value = text
        self.dom.dispatch(field, "input")

    def fill(self, form: Element, title: str, body: str = "", tags: str = "") -> None:
        self.type(self.one("input", "title", form), title)
        self.type(self.one("textarea", "body", form), body)
        self.type(self.one("input", "tags", form), tags)
        self.dom.dispatch(form, "submit")
        settle(self.dom)

    def add(self, title: str, body: str = "", tags: str = "") -> None:
        self.fill(self.one("form", "new-note"), title, body, tags)

    def rows(self) -> list[Element]:
        return self.all("li", "note")

    def titles(self) -> list[str]:
        return [self.one("h2", "title", row).text_content for row in self.rows()]

    def click(self, element: Element, **fields: Any) -> None:
        self.dom.dispatch(element, "click", **fields)
        settle(self.dom)

    def search(self, text: str) -> None:
        self.type(self.one("input", "query"), text)
        settle(self.dom)

    def text(self, tag: str, cls: str) -> str:
        return " ".join(self.one(tag, cls).text_content.split())

    def pick(self, name: str, data: bytes) -> None:
        self.dom.dispatch(self.root.find("input", type="file")[0], "change", picked=(name, data))
        settle(self.dom)


@pytest.fixture
def page(tmp_path: Path, transfers: FakeTransfers) -> Page:
    return Page(tmp_path / "data")


def test_a_new_note_is_listed_first_and_the_form_is_emptied(page: Page) -> None:
    assert page.text("p", "count") == "No notes yet: write the first one above."
    page.add("first", "some text")
    page.add("Second", "line one\nline two", "Work, ideas")
    assert page.titles() == ["Second", "first"]
    newest = page.rows()[0]
    assert page.one("p", "body", newest).text_content == "line one\nline two"
    assert [b.text_content for b in page.all("button", "tag", newest)] == ["#ideas", "#work"]
    form = page.one("form", "new-note")
    assert [
        page.one(tag, cls, form).value
        for tag, cls in [("input", "title"), ("textarea", "body"), ("input", "tags")]
    ] == ["", "", ""]
    assert page.text("p", "count") == "2 notes"


def test_a_note_without_a_title_is_not_added_and_the_form_says_why(page: Page) -> None:
    page.add("   ", "text without a title")
    assert page.rows() == []
    problem = page.one("p", "problem", page.one("form", "new-note"))
    assert "hidden" not in problem.attrs
    assert problem.text_content == "Give the note a title."
    body = page.one("textarea", "body", page.one("form", "new-note"))
    assert body.value == "text without a title"  # kept, to be saved with a title


def test_the_search_narrows_the_list_and_says_how_many_match(page: Page) -> None:
    page.add("buy milk")
    page.add("call mum", tags="family")
    page.search("milk")
    assert page.titles() == ["buy milk"]
    assert page.text("p", "count") == "1 of 2 notes match"
    page.search('"mil -*')  # FTS5 syntax, typed: a word and punctuation
    assert page.titles() == ["buy milk"]
    page.search("")
    assert page.titles() == ["call mum", "buy milk"]


def test_the_page_says_which_search_it_uses(page: Page) -> None:
    kind = page.one("p", "search-kind")
    assert kind.attrs["data-kind"] == "FTS5"
    assert "SQLite FTS5" in kind.text_content


def test_a_tag_filters_the_list_and_a_second_click_shows_all_again(page: Page) -> None:
    page.add("report", tags="work")
    page.add("holiday", tags="home")
    page.click(page.all("button", "tag", page.rows()[1])[0])  # the #work of "report"
    assert page.titles() == ["report"]
    search_tags = page.all("button", "tag", page.one("section", "search"))
    assert [b.attrs["aria-pressed"] for b in search_tags] == ["false", "true"]  # home, work
    page.click(search_tags[1])
    assert page.titles() == ["holiday", "report"]


def test_edit_saves_the_changes_and_moves_the_note_up(page: Page) -> None:
    page.add("old title", "old text", "a")
    page.add("other")
    page.click(page.one("button", "edit", page.rows()[1]))
    form = page.one("form", "edit-note")
    assert page.one("input", "title", form).value == "old title"
    assert page.one("input", "tags", form).value == "a"
    page.fill(form, "new title", "new text", "b, c")
    assert page.titles() == ["new title", "other"]
    assert page.all("form", "edit-note") == []
    edited = page.rows()[0]
    assert page.one("p", "body", edited).text_content == "new text"
    assert "edited" in page.one("span", "times", edited).text_content


def test_cancel_leaves_the_note_as_it_was(page: Page) -> None:
    page.add("kept")
    page.click(page.one("button", "edit", page.rows()[0]))
    form = page.one("form", "edit-note")
    page.type(page.one("input", "title", form), "discarded")
    page.click(page.one("button", "cancel", form))
    assert page.titles() == ["kept"]
    assert "edited" not in page.one("span", "times", page.rows()[0]).text_content


def test_saving_a_note_deleted_before_this_tab_heard_of_it_keeps_the_text(page: Page) -> None:
    page.add("gone soon")
    page.click(page.one("button", "edit", page.rows()[0]))
    # another tab's save, not reloaded here yet: the form cannot know
    Notebook(page.folder / "notes.db").delete(int(page.rows()[0].attrs["data-id"]))
    page.fill(page.one("form", "edit-note"), "edited too late")
    problem = page.one("p", "refused")
    assert "hidden" not in problem.attrs
    assert problem.text_content.startswith("Another tab (or an import) had deleted the note")
    assert page.titles() == ["edited too late"]
    page.add("next")
    assert "hidden" in page.one("p", "refused").attrs


def test_an_edit_rerenders_only_its_own_row(page: Page) -> None:
    for title in ("a", "b", "c"):
        page.add(title)
    before = {page.one("h2", "title", row).text_content: row for row in page.rows()}
    page.click(page.one("button", "edit", before["b"]))
    page.fill(page.one("form", "edit-note"), "b2")
    after = {page.one("h2", "title", row).text_content: row for row in page.rows()}
    assert after["a"] is before["a"]
    assert after["c"] is before["c"]


def test_delete_removes_the_note(page: Page) -> None:
    page.add("keep")
    page.add("drop")
    page.click(page.one("button", "delete", page.rows()[0]))
    assert page.titles() == ["keep"]
    assert Notebook(page.folder / "notes.db").count() == 1


def test_export_downloads_the_folder_and_a_fresh_notebook_imports_it(
    page: Page, tmp_path: Path, transfers: FakeTransfers
) -> None:
    page.add("exported", "with its text", "backup")
    page.click(page.one("button", "export"))
    ((name, data),) = transfers.downloads
    assert name == "notebook.zip"
    assert "notes.db" in zipfile.ZipFile(io.BytesIO(data)).namelist()

    fresh = Page(tmp_path / "elsewhere")
    fresh.add("replaced by the import")
    fresh.pick("notebook.zip", data)
    assert fresh.text("p", "message") == "notebook.zip imported."
    assert fresh.titles() == ["exported"]
    assert fresh.text("p", "count") == "1 note"


def test_a_file_that_is_not_a_zip_is_refused_with_the_frameworks_message(page: Page) -> None:
    page.add("kept")
    page.pick("notes.csv", b"title,done\nmilk,no\n")
    message = page.one("p", "message")
    assert message.attrs["role"] == "alert"
    assert message.text_content.startswith(
        "notes.csv was not imported, your notes are unchanged: the file is not a zip archive"
    )
    assert page.titles() == ["kept"]


def test_a_zip_that_is_not_a_notebooks_is_refused_by_the_notebook(page: Page) -> None:
    page.add("kept")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("state.json", "{}")
    page.pick("other.zip", buffer.getvalue())
    assert "it holds no notes.db" in page.text("p", "message")
    assert page.titles() == ["kept"]


def test_the_storage_line_shows_usage_and_quota_and_asks_to_keep(page: Page) -> None:
    assert page.text("p", "storage").startswith("Storage: 1.2 MB used of 10.0 GB for this site.")
    page.click(page.one("button", "keep"))
    assert "will keep these notes" in page.text("p", "storage")
    assert "hidden" in page.one("button", "keep").attrs


# -- another tab's save: the list reads the database again without a click -----------------------


def another_tab_saved(page: Page, *paths: str) -> None:
    """What the page does once another tab's save has reloaded these files here."""
    files.record_reload(paths or [str(page.folder / "notes.db")])
    settle(page.dom)


def test_a_note_another_tab_added_is_listed_without_a_click(page: Page) -> None:
    page.add("mine")
    assert page.text("p", "storage").startswith("Storage: 1.2 MB used")
    # Another tab's click: its own sqlite3 connection writes the file this tab then reloads.
    Notebook(page.folder / "notes.db").add("theirs", tags=("shared",))
    grown = FakeQuota()
    grown.used = 2_500_000  # the other tab's save took room (the fixture removes this fake)
    files.set_storage_quota(grown)
    another_tab_saved(page)
    assert page.titles() == ["theirs", "mine"]
    assert page.text("p", "count") == "2 notes"
    tags = page.all("button", "tag", page.one("section", "search"))
    assert [b.text_content for b in tags] == ["#shared 1"]
    assert page.text("p", "storage").startswith("Storage: 2.5 MB used")


def test_a_save_of_other_files_does_not_read_the_notes_again(page: Page) -> None:
    Notebook(page.folder / "notes.db").add("theirs")
    another_tab_saved(page, str(page.folder / "settings.json"))
    assert page.titles() == []
    another_tab_saved(page)
    assert page.titles() == ["theirs"]


def open_edit(page: Page, title: str) -> Element:
    """Open the edit form of the note titled `title` and type a new text in it."""
    (row,) = [r for r in page.rows() if page.one("h2", "title", r).text_content == title]
    page.click(page.one("button", "edit", row))
    form = page.one("form", "edit-note")
    page.type(page.one("textarea", "body", form), "typed here")
    return form


def warning(page: Page) -> str:
    """What the open form's row says happened to its note elsewhere ("" if nothing)."""
    found = page.one("p", "elsewhere", page.one("li", "editing"))
    return "" if "hidden" in found.attrs else found.text_content


def test_an_open_form_is_kept_when_another_tab_saves_other_notes(page: Page) -> None:
    page.add("being edited")
    form = open_edit(page, "being edited")
    Notebook(page.folder / "notes.db").add("theirs")
    another_tab_saved(page)
    assert page.one("form", "edit-note") is form
    assert page.one("textarea", "body", form).value == "typed here"
    assert warning(page) == ""
    assert page.one("h2", "title", page.rows()[0]).text_content == "theirs"


def test_a_note_another_tab_changed_keeps_the_typed_text_and_says_so(page: Page) -> None:
    page.add("being edited", "before")
    note_id = int(page.rows()[0].attrs["data-id"])
    form = open_edit(page, "being edited")
    Notebook(page.folder / "notes.db").edit(note_id, "their title", "their text", ("theirs",))
    another_tab_saved(page)
    assert page.one("textarea", "body", form).value == "typed here"
    assert page.one("input", "title", form).value == "being edited"
    assert warning(page).startswith("Another tab (or an import) changed this note")
    page.fill(form, "being edited", "typed here")  # Save: the user's version wins, as said
    assert page.titles() == ["being edited"]
    assert page.one("p", "body", page.rows()[0]).text_content == "typed here"


def test_cancel_after_another_tab_changed_the_note_shows_their_version(page: Page) -> None:
    page.add("being edited")
    note_id = int(page.rows()[0].attrs["data-id"])
    form = open_edit(page, "being edited")
    Notebook(page.folder / "notes.db").edit(note_id, "their title", "their text", ())
    another_tab_saved(page)
    page.click(page.one("button", "cancel", form))
    assert page.titles() == ["their title"]


def test_a_note_that_no_longer_matches_the_search_stays_while_its_form_is_open(
    page: Page,
) -> None:
    page.add("milk", tags="shopping")
    page.search("milk")
    note_id = int(page.rows()[0].attrs["data-id"])
    form = open_edit(page, "milk")
    Notebook(page.folder / "notes.db").edit(note_id, "bread", "", ())
    another_tab_saved(page)
    assert page.one("textarea", "body", form).value == "typed here"
    assert warning(page).startswith("Another tab (or an import) changed this note")
    page.click(page.one("button", "cancel", form))
    assert page.rows() == []  # closed: the search shows what matches again


def deleted_while_editing(page: Page) -> Element:
    """A note whose form is open, with text typed, that another tab deleted: its form."""
    page.add("being edited")
    note_id = int(page.rows()[0].attrs["data-id"])
    form = open_edit(page, "being edited")
    Notebook(page.folder / "notes.db").delete(note_id)
    another_tab_saved(page)
    return form


def test_a_note_another_tab_deleted_keeps_its_form_and_the_typed_text(page: Page) -> None:
    form = deleted_while_editing(page)
    assert page.one("form", "edit-note") is form
    assert page.one("textarea", "body", form).value == "typed here"
    assert warning(page).startswith("Another tab (or an import) deleted this note")
    assert page.text("p", "count") == "No notes yet: write the first one above."


def test_saving_a_note_another_tab_deleted_adds_the_text_as_a_new_note(page: Page) -> None:
    page.fill(deleted_while_editing(page), "being edited", "typed here")
    assert page.titles() == ["being edited"]
    assert [note.body for note in Notebook(page.folder / "notes.db").search()] == ["typed here"]
    assert page.text("p", "refused").endswith("your text is saved as a new note.")


def test_cancel_after_another_tab_deleted_the_note_removes_it(page: Page) -> None:
    page.click(page.one("button", "cancel", deleted_while_editing(page)))
    assert page.rows() == []
