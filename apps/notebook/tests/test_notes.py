"""The notebook's SQL against a real SQLite database file, with FTS5 and with LIKE.

These run inside Pyodide, on the SQLite the page has (3.39, built with FTS5).
"""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from notes import Note, Notebook, NoteError, fts5_available, parse_tags

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def ticking_clock() -> Callable[[], datetime]:
    """A clock one second later at each call: every write has its own time."""
    seconds = count()
    return lambda: START + timedelta(seconds=next(seconds))


@pytest.fixture(params=[True, False], ids=["fts5", "like"])
def notebook(request: pytest.FixtureRequest, tmp_path: Path) -> Notebook:
    return Notebook(tmp_path / "data" / "notes.db", full_text=request.param, now=ticking_clock())


def titles(notes: list[Note]) -> list[str]:
    return [note.title for note in notes]


def test_this_pyodide_has_fts5_and_the_notebook_uses_it(tmp_path: Path) -> None:
    """What the README says: the page's SQLite has FTS5, so search is full text."""
    assert fts5_available()
    assert Notebook(tmp_path / "notes.db").search_kind == "FTS5"


def test_a_note_is_stored_trimmed_with_tidy_tags_and_read_back_by_a_new_notebook(
    notebook: Notebook,
) -> None:
    added = notebook.add("  Groceries  ", "milk\nbread", ["Shopping", " home ", "shopping"])
    assert (added.title, added.body) == ("Groceries", "milk\nbread")
    assert added.tags == ("home", "shopping")
    assert added.created == added.updated == START
    again = Notebook(notebook.path, full_text=notebook.full_text)
    assert again.get(added.id) == added
    assert again.search() == [added]


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_a_blank_title_is_refused_and_nothing_is_written(notebook: Notebook, title: str) -> None:
    kept = notebook.add("kept")
    with pytest.raises(NoteError, match="needs a title"):
        notebook.add(title, "text")
    with pytest.raises(NoteError, match="needs a title"):
        notebook.edit(kept.id, title, "text", ())
    assert notebook.search() == [kept]


def test_notes_come_most_recently_updated_first_and_an_edit_moves_one_up(
    notebook: Notebook,
) -> None:
    first, _, _ = (notebook.add(title) for title in ("first", "second", "third"))
    assert titles(notebook.search()) == ["third", "second", "first"]
    edited = notebook.edit(first.id, "first, edited", "now with text", ["x"])
    assert titles(notebook.search()) == ["first, edited", "third", "second"]
    assert edited.created == first.created < edited.updated
    assert notebook.get(first.id) == edited


def test_an_edit_that_changes_nothing_keeps_the_note_and_its_time(notebook: Notebook) -> None:
    note = notebook.add("same", "body", ["a"])
    notebook.add("later")
    assert notebook.edit(note.id, " same ", "body", ["A"]) == note
    assert titles(notebook.search()) == ["later", "same"]


def test_editing_a_note_that_is_gone_says_so(notebook: Notebook) -> None:
    note = notebook.add("gone")
    assert notebook.delete(note.id) is True
    with pytest.raises(NoteError, match="no longer exists"):
        notebook.edit(note.id, "back", "", ())
    assert notebook.get(note.id) is None


def test_delete_removes_the_note_from_the_list_and_the_search(notebook: Notebook) -> None:
    milk = notebook.add("milk")
    notebook.add("bread")
    assert notebook.delete(milk.id) is True
    assert notebook.delete(milk.id) is False
    assert titles(notebook.search()) == ["bread"]
    assert notebook.search("milk") == []
    assert notebook.count() == 1


def test_an_edit_changes_what_the_search_finds(notebook: Notebook) -> None:
    note = notebook.add("apples", "green")
    notebook.edit(note.id, "pears", "yellow", ["fruit"])
    assert notebook.search("apples") == notebook.search("green") == []
    assert titles(notebook.search("yellow fruit")) == ["pears"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", ["bread and jam", "buy milk", "Milk tea"]),
        ("milk", ["buy milk", "Milk tea"]),  # any case
        ("MILK tea", ["Milk tea"]),  # every word must match
        ("shopping", ["bread and jam", "buy milk"]),  # a tag
        ("oat", ["buy milk"]),  # the text
        ("mil", ["buy milk", "Milk tea"]),  # the start of a word
        ("milk bread", []),
        ("milk OR bread", []),  # OR is a word to find, not the operator
    ],
)
def test_search_finds_notes_with_every_word_in_title_text_or_tags(
    notebook: Notebook, text: str, found: list[str]
) -> None:
    notebook.add("buy milk", "oat, not cow", ["shopping"])
    notebook.add("Milk tea", "", ["recipes"])
    notebook.add("bread and jam", "", ["shopping"])
    assert sorted(titles(notebook.search(text)), key=str.lower) == found


# What a user may type that means something to FTS5 or to LIKE: never an error.
HOSTILE = [
    '"',
    '"milk',
    'milk"',
    "'",
    "don't",
    "*",
    "milk*",
    "-",
    "-milk",
    "milk -bread",
    "OR",
    "AND",
    "NOT",
    "milk OR",
    "OR milk",
    "NEAR(milk bread)",
    "NEAR(",
    "(",
    ")",
    "()",
    "title:milk",
    ":",
    "^",
    "^milk",
    "+",
    "{title body}: milk",
    "%",
    "_",
    "\\",
    "'; drop table notes; --",
    "😀",
    "\x00",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_search_text_with_query_syntax_is_text_never_an_error(
    notebook: Notebook, text: str
) -> None:
    notebook.add("buy milk", "and bread", ["shopping"])
    notebook.search(text)
    notebook.search(text, tag="shopping")
    assert notebook.count() == 1


@pytest.mark.parametrize(
    "text", ['"milk', 'milk"', "milk*", "(milk)", "-milk", "milk -", "milk^", "+milk:"]
)
def test_full_text_finds_a_word_among_query_syntax(tmp_path: Path, text: str) -> None:
    """FTS5 matches words: the punctuation typed around them does not count."""
    notebook = Notebook(tmp_path / "notes.db", full_text=True)
    notebook.add("buy milk", "and bread")
    notebook.add("tea")
    assert titles(notebook.search(text)) == ["buy milk"]


def test_like_matches_percent_and_underscore_literally(tmp_path: Path) -> None:
    notebook = Notebook(tmp_path / "notes.db", full_text=False)
    notebook.add("100% sure")
    notebook.add("1000 sure")
    notebook.add("snake_case")
    notebook.add("snakeXcase")
    assert titles(notebook.search("100%")) == ["100% sure"]
    assert titles(notebook.search("e_c")) == ["snake_case"]


def test_full_text_ignores_accents(tmp_path: Path) -> None:
    notebook = Notebook(tmp_path / "notes.db", full_text=True)
    notebook.add("café au lait")
    assert titles(notebook.search("cafe")) == ["café au lait"]


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("", ()),
        (" , ,", ()),
        ("Work", ("work",)),
        ("work, Ideas,work", ("ideas", "work")),
        ("To  Do, later", ("later", "to-do")),
    ],
)
def test_tags_typed_with_commas_are_normalised(typed: str, tags: tuple[str, ...]) -> None:
    assert parse_tags(typed) == tags


def test_a_tag_filters_whole_tags_and_combines_with_the_search(notebook: Notebook) -> None:
    notebook.add("essay", "", ["homework"])
    notebook.add("report", "due friday", ["work"])
    notebook.add("plan", "friday", ["work", "ideas"])
    assert sorted(titles(notebook.search(tag="work"))) == ["plan", "report"]
    assert titles(notebook.search(tag="Work")) == titles(notebook.search(tag="work"))
    assert titles(notebook.search("due", tag="work")) == ["report"]
    assert notebook.search(tag="wor") == []
    assert notebook.tags() == [("homework", 1), ("ideas", 1), ("work", 2)]


def test_a_database_written_without_fts5_is_indexed_when_opened_with_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    Notebook(path, full_text=False).add("written without an index", "findable")
    assert titles(Notebook(path, full_text=True).search("findable")) == ["written without an index"]


def test_a_database_from_a_newer_version_is_refused_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("pragma user_version = 99")
    with pytest.raises(NoteError, match="newer version"):
        Notebook(path).search()
    with closing(sqlite3.connect(path)) as connection:
        tables = connection.execute("select name from sqlite_master").fetchall()
    assert tables == []


def test_the_database_passes_integrity_check_after_writes(notebook: Notebook) -> None:
    for number in range(20):
        note = notebook.add(f"note {number}", "text " * number, [f"t{number % 3}"])
        if number % 4 == 0:
            notebook.edit(note.id, f"edited {number}", "changed", ())
        if number % 5 == 0:
            notebook.delete(note.id)
    with closing(sqlite3.connect(notebook.path)) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        if notebook.full_text:  # and the index agrees with the notes
            connection.execute("insert into notes_fts (notes_fts) values ('integrity-check')")
    assert notebook.count() == 20 - 4
