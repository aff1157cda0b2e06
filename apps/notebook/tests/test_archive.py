"""Which archives the notebook refuses to import: what the framework refuses, with its message,
and a zip the framework would take that is not a notebook's export."""

import io
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from archive import problem
from notes import Notebook

from framework import files
from framework.aio.testing import run_sync


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def database(tmp_path: Path, *statements: str) -> bytes:
    path = tmp_path / "made.db"
    with closing(sqlite3.connect(path)) as connection, connection:
        for statement in statements:
            connection.execute(statement)
    return path.read_bytes()


def import_into(folder: Path, data: bytes) -> None:
    run_sync(files.import_zip(folder, data))  # no persistent folder in this test: no save


def test_a_notebooks_export_is_a_notebook_and_imports_with_its_notes(tmp_path: Path) -> None:
    source = Notebook(tmp_path / "a" / "notes.db")
    source.add("kept", "through the zip", ["backup"])
    exported = files.export_zip(tmp_path / "a")
    assert run_sync(problem(exported)) is None
    target = Notebook(tmp_path / "b" / "notes.db")
    target.add("replaced")
    import_into(tmp_path / "b", exported)
    assert target.search() == source.search()


@pytest.mark.parametrize(
    ("statements", "said"),
    [
        ((), "not a notebook's database"),  # an empty database
        (("create table notes (id integer primary key, body text)",), "not a notebook's"),
        (("pragma user_version = 7",), "newer version of the notebook"),
    ],
)
def test_a_zip_whose_notes_db_is_not_a_notebooks_is_refused(
    tmp_path: Path, statements: tuple[str, ...], said: str
) -> None:
    found = run_sync(problem(zipped({"notes.db": database(tmp_path, *statements)})))
    assert found is not None
    assert said in found


def test_a_zip_without_notes_db_is_refused(tmp_path: Path) -> None:
    found = run_sync(problem(zipped({"state.json": b"{}", "notes.db/inner.txt": b"x"})))
    assert found == "it holds no notes.db: import a zip that this notebook exported"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"title,done\nmilk,no\n", "not a zip archive"),
        (zipped({"notes.db": b"not a database at all"}), "notes.db"),
        (zipped({"../notes.db": b"x"}), ".."),
    ],
    ids=["not-a-zip", "damaged-database", "escaping-path"],
)
def test_what_the_framework_refuses_is_refused_with_its_message(
    tmp_path: Path, data: bytes, said: str
) -> None:
    with pytest.raises(files.ImportRefused) as refused:
        run_sync(problem(data))
    assert said in str(refused.value)
