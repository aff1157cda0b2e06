"""The notes, in one SQLite database: add, edit, delete, search, tags. All the app's SQL is here.

Nothing here knows about the page (no framework, no browser), so every rule is unit-tested
against a real database file. Each operation opens its own connection and closes it: nothing
holds the file open, so an import may replace it between two clicks (docs/files.md, "Open
connections"), and a write is committed when the operation returns, before the framework
saves the folder at the end of the click.

Search is FTS5 full text where this SQLite has it (it does in Pyodide 314: SQLite 3.39 built
with ENABLE_FTS5), kept in step with the notes by triggers; otherwise LIKE over the same
columns. Either way every word typed must match the title, the text or the tags, and notes
come most recently updated first.
"""

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from query import LIKE_ESCAPE, fts5_query, like_pattern, search_words

SCHEMA_VERSION = 1  # `pragma user_version` of a database this module wrote (CREATE_NOTES)
COLUMNS = "id, title, body, tags, created, updated"
SEARCHED = ("title", "body", "tags")  # what a search looks in, with either kind of search
LIKE_ANY_COLUMN = "(" + " or ".join(f"{c} like ? escape '{LIKE_ESCAPE}'" for c in SEARCHED) + ")"

CREATE_NOTES = f"""
begin;
create table notes (
    id integer primary key,
    title text not null,
    body text not null default '',
    tags text not null default '',  -- normalised tags, separated by one space
    created text not null,          -- ISO 8601, UTC: sorts as text
    updated text not null
);
create index notes_by_updated on notes (updated desc, id desc);
pragma user_version = {SCHEMA_VERSION};
commit;
"""

# An external-content FTS5 table: the index only, the text stays in `notes`. The triggers are
# the ones FTS5's documentation prescribes for such a table (an update is a delete and an
# insert). `remove_diacritics 2`: "cafe" finds "café".
CREATE_FULL_TEXT = """
begin;
create virtual table notes_fts using fts5(
    title, body, tags, content='notes', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
create trigger notes_fts_insert after insert on notes begin
    insert into notes_fts (rowid, title, body, tags)
    values (new.id, new.title, new.body, new.tags);
end;
create trigger notes_fts_delete after delete on notes begin
    insert into notes_fts (notes_fts, rowid, title, body, tags)
    values ('delete', old.id, old.title, old.body, old.tags);
end;
create trigger notes_fts_update after update on notes begin
    insert into notes_fts (notes_fts, rowid, title, body, tags)
    values ('delete', old.id, old.title, old.body, old.tags);
    insert into notes_fts (rowid, title, body, tags)
    values (new.id, new.title, new.body, new.tags);
end;
insert into notes_fts (notes_fts) values ('rebuild');
commit;
"""


class NoteError(ValueError):
    """A change the notebook refuses (a blank title, a note that is gone): the message says
    what to do."""


@dataclass(frozen=True, slots=True)
class Note:
    """One note as stored. Frozen: a change is a new Note, so the list re-renders only the
    rows whose note changed."""

    id: int
    title: str
    body: str
    tags: tuple[str, ...]
    created: datetime
    updated: datetime


@cache
def fts5_available() -> bool:
    """Whether this SQLite has FTS5: creating an FTS5 table either works or raises."""
    with closing(sqlite3.connect(":memory:")) as probe:
        try:
            probe.execute("create virtual table probe using fts5(text)")
        except sqlite3.OperationalError:  # "no such module: fts5"
            return False
    return True


def utc_now() -> datetime:
    return datetime.now(UTC)


def normalise_tag(tag: str) -> str:
    """A tag as stored: trimmed, lower case, inner whitespace one `-` ("To Do" is `to-do`)."""
    return "-".join(tag.lower().split())


def parse_tags(text: str) -> tuple[str, ...]:
    """The tags typed in a comma-separated field: normalised, each once, sorted."""
    return tidy_tags(text.split(","))


def tidy_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({tag for tag in map(normalise_tag, tags) if tag}))


def schema_problem(connection: sqlite3.Connection) -> str | None:
    """Why a database is not one this module can use, or None: for a database about to be
    imported (archive.py), whose schema this module would otherwise fail on later."""
    version = connection.execute("pragma user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        return "its notes.db was written by a newer version of the notebook"
    try:
        connection.execute(f"select {COLUMNS} from notes limit 0")  # noqa: S608 - constants
    except sqlite3.OperationalError:
        return "its notes.db is not a notebook's database (no notes table with these columns)"
    return None


class Notebook:
    """The notes in the SQLite database at `path` (created, with its folder, when missing).

    `full_text`: search with FTS5 (True) or LIKE (False); by default FTS5 where this SQLite
    has it. `now`: the clock of the timestamps (tests pass their own)."""

    def __init__(
        self,
        path: str | Path,
        *,
        full_text: bool | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = Path(path)
        self.full_text = fts5_available() if full_text is None else full_text
        self.now = now

    @property
    def search_kind(self) -> str:
        return "FTS5" if self.full_text else "LIKE"

    # -- reading ---------------------------------------------------------------------------------

    def search(self, text: str = "", tag: str | None = None) -> list[Note]:
        """The notes that contain every word of `text` (all notes for no word) and carry
        `tag` (any tag for None), most recently updated first."""
        where: list[str] = []
        parameters: list[str] = []
        joined = ""
        if self.full_text:
            match = fts5_query(text)
            if match is not None:
                joined = "join notes_fts on notes_fts.rowid = notes.id"
                where.append("notes_fts match ?")
                parameters.append(match)
        else:
            for word in search_words(text):
                where.append(LIKE_ANY_COLUMN)
                parameters += [like_pattern(word)] * len(SEARCHED)
        if tag is not None:
            # tags are stored space-separated and hold no space: a whole-tag match
            where.append("instr(' ' || notes.tags || ' ', ' ' || ? || ' ') > 0")
            parameters.append(normalise_tag(tag))
        condition = f"where {' and '.join(where)}" if where else ""
        columns = ", ".join(f"notes.{column}" for column in COLUMNS.split(", "))
        sql = (
            f"select {columns} from notes {joined} {condition} "  # noqa: S608 - no user text
            "order by notes.updated desc, notes.id desc"
        )
        with self._connect() as connection:
            return [_note(row) for row in connection.execute(sql, parameters)]

    def get(self, note_id: int) -> Note | None:
        with self._connect() as connection:
            row = connection.execute(
                f"select {COLUMNS} from notes where id = ?",  # noqa: S608 - constants
                (note_id,),
            ).fetchone()
        return None if row is None else _note(row)

    def count(self) -> int:
        with self._connect() as connection:
            found: int = connection.execute("select count(*) from notes").fetchone()[0]
        return found

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use and how many notes carry it, by name."""
        counts: Counter[str] = Counter()
        with self._connect() as connection:
            for (tags,) in connection.execute("select tags from notes where tags != ''"):
                counts.update(tags.split())
        return sorted(counts.items())

    # -- writing ---------------------------------------------------------------------------------

    def add(self, title: str, body: str = "", tags: Iterable[str] = ()) -> Note:
        """A new note, created and updated now. A blank title is refused (NoteError)."""
        title, tidied = _checked_title(title), tidy_tags(tags)
        stamp = self._stamp()
        with self._connect() as connection:
            cursor = connection.execute(
                "insert into notes (title, body, tags, created, updated) values (?, ?, ?, ?, ?)",
                (title, body, " ".join(tidied), stamp, stamp),
            )
            note_id = cursor.lastrowid
        assert note_id is not None  # an insert into a rowid table always has one
        return Note(note_id, title, body, tidied, _time(stamp), _time(stamp))

    def edit(self, note_id: int, title: str, body: str, tags: Iterable[str]) -> Note:
        """The note with its new title, text and tags, updated now; unchanged (same time) if
        nothing differs. NoteError for a blank title or a note that no longer exists."""
        title, tidied = _checked_title(title), tidy_tags(tags)
        before = self.get(note_id)
        if before is None:
            raise NoteError("This note no longer exists (deleted, or replaced by an import).")
        if (before.title, before.body, before.tags) == (title, body, tidied):
            return before
        stamp = self._stamp()
        with self._connect() as connection:
            connection.execute(
                "update notes set title = ?, body = ?, tags = ?, updated = ? where id = ?",
                (title, body, " ".join(tidied), stamp, note_id),
            )
        return Note(note_id, title, body, tidied, before.created, _time(stamp))

    def delete(self, note_id: int) -> bool:
        """Remove the note; False if there was none with that id."""
        with self._connect() as connection:
            removed = connection.execute("delete from notes where id = ?", (note_id,)).rowcount
        return removed > 0

    def _stamp(self) -> str:
        """Now, as stored: ISO 8601 in UTC, always with microseconds, so text order is time
        order (isoformat() leaves them out when they are 0)."""
        return self.now().astimezone(UTC).isoformat(timespec="microseconds")

    # -- the database ----------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the database with its schema, committed if the block succeeds,
        closed in any case."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as connection, connection:
            self._ensure_schema(connection)
            yield connection

    def _ensure_schema(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("pragma user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NoteError(
                f"{self.path} was written by a newer version of the notebook: "
                "use that version, or export from it and start a new notebook here."
            )
        if version == 0:
            connection.executescript(CREATE_NOTES)  # one transaction, with its user_version
        if self.full_text and not _has_table(connection, "notes_fts"):
            # new, or written where SQLite had no FTS5: index what it holds
            connection.executescript(CREATE_FULL_TEXT)


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute("select 1 from sqlite_master where name = ?", (name,))
    return found.fetchone() is not None


def _checked_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise NoteError("A note needs a title: type one, then save again.")
    return title


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def _note(row: tuple[int, str, str, str, str, str]) -> Note:
    note_id, title, body, tags, created, updated = row
    return Note(note_id, title, body, tuple(tags.split()), _time(created), _time(updated))
