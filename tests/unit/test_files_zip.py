"""files.export_zip and files.import_zip: a folder round-trips byte for byte, and each bad
archive is refused with the reason while the folder stays exactly as it was.

Runs in Pyodide under Node on real zipfile, sqlite3 and os calls. The folder is a mount point
of its own (MEMFS), as a persistent folder is in the page: it cannot be renamed, so the import
must swap its contents, not the folder.
"""

from __future__ import annotations

import asyncio
import io
import os
import sqlite3
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyodide_js
import pytest

from framework import files
from framework.aio.testing import run_sync
from framework.folder_zip import SQLITE_HEADER
from tests.unit.files_support import FakeTransfers, MemorySaver

FOLDER = Path("/zipdata")
LIMIT = 10_000  # bytes, for the limit cases (the defaults are megabytes)


@pytest.fixture
def folder() -> Iterator[Path]:
    fs = pyodide_js.FS
    FOLDER.mkdir()
    fs.mount(fs.filesystems.MEMFS, {}, str(FOLDER))
    fill(FOLDER)
    yield FOLDER
    fs.unmount(str(FOLDER))
    FOLDER.rmdir()


def fill(folder: Path) -> None:
    with closing(sqlite3.connect(folder / "notes.db")) as db, db:
        db.execute("create table notes (id integer primary key, body text)")
        db.executemany(
            "insert into notes (body) values (?)", [(f"note {n} " * 20,) for n in range(300)]
        )
    (folder / "state.json").write_text('{"clicks": 3}')
    (folder / "media").mkdir()
    (folder / "media" / "picture.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "empty").mkdir()


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), by relative path."""
    found: dict[str, bytes | None] = {}
    for top, folders, names in os.walk(folder):
        for name in folders:
            found[Path(top, name).relative_to(folder).as_posix() + "/"] = None
        for name in names:
            found[Path(top, name).relative_to(folder).as_posix()] = Path(top, name).read_bytes()
    return found


def import_now(folder: Path, data: bytes, **limits: int) -> None:
    run_sync(files.import_zip(folder, data, **limits))


def archive(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in entries:
            made.writestr(name, data)
    return buffer.getvalue()


def symlink_entry() -> bytes:
    link = zipfile.ZipInfo("link")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return archive((link, b"/etc/passwd"))


def lying_size() -> bytes:
    """An entry that declares 10 bytes and decompresses to 5 MB."""
    data = bytearray(archive(("big.bin", bytes(5_000_000))))
    header = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[header + 22 : header + 26] = (10).to_bytes(4, "little")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    return bytes(data)


def duplicate_names() -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile's "Duplicate name": meant here
        return archive(("a", b"1"), ("a", b"2"))


def damaged_database() -> bytes:
    path = Path("/tmp/damaged.db")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("create table t (body text)")
        db.executemany("insert into t values (?)", [("x" * 500,) for _ in range(50)])
    data = bytearray(path.read_bytes())
    path.unlink()
    data[4096 : 4096 + 8] = b"\xff" * 8  # the b-tree page header of page 2
    return archive(("notes.db", bytes(data)))


def test_export_then_import_into_an_emptied_folder_is_byte_for_byte(folder: Path) -> None:
    before = snapshot(folder)
    exported = files.export_zip(folder)
    for name in sorted(before, reverse=True):  # the user cleared the folder
        path = folder / name
        path.rmdir() if name.endswith("/") else path.unlink()
    (folder / "written since.txt").write_text("replaced by the import")

    import_now(folder, exported)

    assert snapshot(folder) == before
    with closing(sqlite3.connect(folder / "notes.db")) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        assert db.execute("select count(*) from notes").fetchone() == (300,)


def test_a_connection_opened_before_an_import_must_be_opened_again(folder: Path) -> None:
    """As docs/files.md says: the old connection's file left the folder, and SQLite knows."""
    exported = files.export_zip(folder)
    with closing(sqlite3.connect(folder / "notes.db")) as kept:
        with kept:
            kept.execute("insert into notes (body) values ('after the export')")
        import_now(folder, exported)
        with pytest.raises(sqlite3.OperationalError, match="readonly database"), kept:
            kept.execute("insert into notes (body) values ('after the import')")
    with closing(sqlite3.connect(folder / "notes.db")) as reopened:
        assert reopened.execute("select count(*) from notes").fetchone() == (300,)


def test_the_export_lists_relative_paths_in_sorted_order(folder: Path) -> None:
    names = zipfile.ZipFile(io.BytesIO(files.export_zip(folder))).namelist()
    assert names == sorted(names)
    assert names == ["empty/", "media/", "media/picture.bin", "notes.db", "state.json"]


def test_an_export_with_a_transaction_open_is_refused_until_it_is_committed(
    folder: Path,
) -> None:
    with closing(sqlite3.connect(folder / "notes.db")) as db:
        db.execute("insert into notes (body) values ('not committed yet')")
        with pytest.raises(files.ExportRefused, match=r"transaction is open on notes\.db.*commit"):
            files.export_zip(folder)
        db.commit()
        exported = files.export_zip(folder)
    assert "notes.db-journal" not in zipfile.ZipFile(io.BytesIO(exported)).namelist()


def test_an_export_refuses_a_symbolic_link(folder: Path) -> None:
    (folder / "shortcut").symlink_to("/etc")
    with pytest.raises(files.ExportRefused, match=r"shortcut .* symbolic link"):
        files.export_zip(folder)


BAD_IMPORTS: list[tuple[str, Callable[[], bytes], dict[str, int], str]] = [
    ("not a zip", lambda: b"notes,title\n1,milk\n", {}, "not a zip archive"),
    ("empty file", lambda: b"", {}, "not a zip archive"),
    ("absolute path", lambda: archive(("/etc/evil", b"x")), {}, "absolute path"),
    ("dot-dot", lambda: archive(("../outside.txt", b"x")), {}, r"path with '\.\.'"),
    ("dot-dot inside", lambda: archive(("a/../../x", b"x")), {}, r"path with '\.\.'"),
    ("backslash", lambda: archive(("..\\x", b"x")), {}, "backslash"),
    ("symlink entry", symlink_entry, {}, "symbolic link"),
    ("file over the limit", lambda: archive(("big", b"x" * (LIMIT + 1))), {"max_file_bytes": LIMIT}, "over the limit .* per file"),
    ("zip bomb", lambda: archive(("bomb", bytes(20_000_000))), {"max_file_bytes": 1_000_000}, "bomb declares 20.0 MB, over the limit of 1.0 MB"),
    ("declared size lies", lying_size, {"max_file_bytes": LIMIT}, "cannot be read from the archive"),
    ("total over the limit", lambda: archive(*[(f"f{n}", b"x" * 4000) for n in range(3)]), {"max_total_bytes": LIMIT}, "in all, over the limit"),
    ("too many entries", lambda: archive(*[(f"f{n}", b"") for n in range(5)]), {"max_entries": 4}, "5 entries, over the limit of 4"),
    ("duplicate name", duplicate_names, {}, "twice"),
    ("file and folder", lambda: archive(("a", b"1"), ("a/b", b"2")), {}, "a is a file and also the folder"),
    ("damaged database", damaged_database, {}, "notes.db is not a sound SQLite database"),
    ("not a database", lambda: archive(("notes.db", b"hello, not sqlite" * 100)), {}, "not a sound SQLite database"),
    ("header says SQLite", lambda: archive(("cache", SQLITE_HEADER + b"\xff" * 2000)), {}, "cache is not a sound SQLite"),
    ("unfinished transaction", lambda: archive(("notes.db-journal", b"\xd9\xd5\x05\xf9" * 10)), {}, "unfinished SQLite transaction"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "limits", "said"),
    [pytest.param(make, limits, said, id=case) for case, make, limits, said in BAD_IMPORTS],
)
def test_a_bad_import_is_refused_and_the_folder_is_untouched(
    folder: Path, data: Callable[[], bytes], limits: dict[str, int], said: str
) -> None:
    before = snapshot(folder)
    with pytest.raises(files.ImportRefused, match=said):
        import_now(folder, data(), **limits)
    assert snapshot(folder) == before  # nothing left behind either: no temporary folder
    assert not Path("/outside.txt").exists() and not Path("/etc/evil").exists()


def test_a_failed_swap_puts_the_old_files_back(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(folder)
    exported = archive(("other.txt", b"new"))
    renames: list[tuple[Any, Any]] = []
    failed: list[Any] = []
    real_rename = os.rename

    def rename_then_fail(source: Any, target: Any) -> None:
        if len(renames) == 4 and not failed:  # the four old entries aside, then the new one in
            failed.append(target)
            raise OSError(28, "No space left on device")
        renames.append((source, target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename_then_fail)
    with pytest.raises(OSError, match="No space left"):
        import_now(folder, exported)
    monkeypatch.undo()
    assert [Path(target).name for target in failed] == ["other.txt"]
    assert snapshot(folder) == before


def test_an_import_is_saved_before_it_returns(folder: Path) -> None:
    saver = MemorySaver()
    files.set_folder_saver(saver)
    exported = archive(("a.txt", b"imported"))

    async def scenario() -> list[bool]:
        importing = asyncio.ensure_future(files.import_zip(folder, exported))
        await asyncio.sleep(0)
        seen = [len(saver.started) == 1, (folder / "a.txt").exists(), importing.done()]
        saver.finish()
        await importing
        return seen

    try:
        assert run_sync(scenario()) == [True, True, False]
    finally:
        files.set_folder_saver(None)


def test_download_and_read_picked_go_through_the_installed_transfers() -> None:
    with pytest.raises(RuntimeError, match="needs a browser"):
        files.download("data.zip", b"PK")
    transfers = FakeTransfers()
    files.set_file_transfers(transfers)
    try:
        files.download("data.zip", b"PK")
        picked = run_sync(files.read_picked(SimpleNamespace(picked=("data.zip", b"PK"))))
    finally:
        files.set_file_transfers(None)
    assert transfers.downloads == [("data.zip", b"PK", "application/zip")]
    assert picked == ("data.zip", b"PK")
