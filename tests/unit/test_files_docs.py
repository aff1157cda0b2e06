"""docs/files.md's examples run as written: files under /data, sqlite3, and files.save()."""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import framework
from framework import files
from framework.aio.testing import run_sync
from framework.component import set_default_backend
from framework.component.mounting import Mounted
from framework.component.mounting import mount as component_mount
from framework.dom.memory import MemoryDom
from framework.reactive import flush
from tests.unit.files_support import FakeQuota, FakeTransfers, MemorySaver, memory_saver

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "files.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
DATA = Path("/data")  # the examples' persistent folder (mounted by the page in a browser)


@pytest.fixture
def saver() -> Iterator[MemorySaver]:
    DATA.mkdir()
    with memory_saver() as memory:
        yield memory
    shutil.rmtree(DATA)


def run_block(text: str) -> dict[str, Any]:
    (source,) = [block for block in BLOCKS if text in block]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(source, str(GUIDE), "exec"), namespace)
    return namespace


def test_a_click_writes_sqlite_and_json_and_the_handler_ends_with_a_save(
    saver: MemorySaver,
) -> None:
    dom = MemoryDom()
    set_default_backend(lambda: dom)

    async def scenario() -> None:
        run_block("class Notes")
        dom.dispatch(dom.container("#app").find("button")[0], "click")
        saver.finish()
        await asyncio.sleep(0)

    run_sync(scenario())
    with closing(sqlite3.connect(DATA / "notes.db")) as db:
        assert db.execute("select body from notes").fetchall() == [("bought milk",)]
    assert json.loads((DATA / "settings.json").read_text()) == {"theme": "light"}
    assert len(saver.started) == 1


@pytest.mark.parametrize(
    ("failure", "said"),
    [(None, "saved"), (OSError("QuotaExceededError: full"), "not saved: QuotaExceededError: full")],
)
def test_save_reports_what_happened(saver: MemorySaver, failure: OSError | None, said: str) -> None:
    export_done = run_block("async def export_done")["export_done"]
    assert answer_when_the_save_ends(saver, failure, export_done) == said


def answer_when_the_save_ends(
    saver: MemorySaver, failure: Exception | None, example: Callable[[], Awaitable[str]]
) -> str:
    """What a doc example that awaits a save answers once the save ends with `failure`."""

    async def scenario() -> str:
        asked = asyncio.ensure_future(example())
        await asyncio.sleep(0)
        saver.finish(failure)
        return await asked

    return run_sync(scenario())


@pytest.fixture
def transfers() -> Iterator[FakeTransfers]:
    fake = FakeTransfers()
    files.set_file_transfers(fake)
    yield fake
    files.set_file_transfers(None)


def folder_now() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(DATA.rglob("*")) if path.is_file()}


async def until_saved(saver: MemorySaver) -> None:
    """Run the handlers' tasks, ending each save they start (the import awaits its own)."""
    for _ in range(20):
        await asyncio.sleep(0)
        while saver.running:
            saver.finish()


def shown(dom: MemoryDom) -> str:
    """The Backup example's message, its effects flushed and applied."""
    flush()
    assert dom.renderer is not None
    dom.renderer.commit()
    text: str = dom.container("#app").find("output")[0].text_content
    return text


def test_the_backup_buttons_export_then_restore_the_folder(
    saver: MemorySaver, transfers: FakeTransfers
) -> None:
    dom = MemoryDom()
    set_default_backend(lambda: dom)
    with closing(sqlite3.connect(DATA / "notes.db")) as db, db:
        db.execute("create table notes (body text)")
        db.execute("insert into notes values ('bought milk')")
    before = folder_now()
    app = dom.container("#app")

    async def scenario() -> str:
        run_block("class Backup")
        dom.dispatch(app.find("button")[0], "click")
        (DATA / "notes.db").unlink()  # lost after the export
        ((name, data, _),) = transfers.downloads
        dom.dispatch(app.find("input")[0], "change", picked=(name, data))
        await until_saved(saver)
        return shown(dom)

    assert run_sync(scenario()) == "my-data.zip imported"
    assert folder_now() == before
    assert transfers.downloads[0][0] == "my-data.zip"


def test_the_restore_button_refuses_a_bad_file_and_says_the_data_is_unchanged(
    saver: MemorySaver, transfers: FakeTransfers
) -> None:
    dom = MemoryDom()
    set_default_backend(lambda: dom)
    (DATA / "state.json").write_text("{}")
    app = dom.container("#app")

    async def scenario() -> str:
        run_block("class Backup")
        dom.dispatch(app.find("input")[0], "change", picked=("notes.csv", b"title,done"))
        await until_saved(saver)
        return shown(dom)

    said = run_sync(scenario())
    assert said.startswith("notes.csv was not imported, your data is unchanged: ")
    assert "not a zip archive" in said
    assert folder_now() == {"state.json": b"{}"}


def test_the_note_list_reads_the_database_again_after_another_tabs_save(
    saver: MemorySaver, monkeypatch: pytest.MonkeyPatch
) -> None:
    dom = MemoryDom()
    set_default_backend(lambda: dom)
    made: list[Mounted] = []  # unmounted at the end: files.reloaded outlives the test

    def mount(*args: Any) -> Mounted:
        made.append(component_mount(*args))
        return made[-1]

    monkeypatch.setattr(framework, "mount", mount)  # what the example imports

    def titles_shown() -> list[str]:
        flush()
        assert dom.renderer is not None
        dom.renderer.commit()
        return [item.text_content for item in dom.container("#app").find("li")]

    run_block("class NoteList")
    assert titles_shown() == []
    with closing(sqlite3.connect(DATA / "notes.db")) as db, db:  # as the other tab's save left it
        db.execute("insert into notes values ('bought milk')")
    assert titles_shown() == []  # nothing told this tab yet
    files.record_reload(["/data/notes.db"])  # what the page does once the file is in place
    assert titles_shown() == ["bought milk"]
    made[0].unmount()


@pytest.mark.parametrize(("size", "said"), [(100, "imported"), (10_000_001, "not imported: ")])
def test_an_import_with_limits_of_its_own(saver: MemorySaver, size: int, said: str) -> None:
    restore_small = run_block("async def restore_small")["restore_small"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        made.writestr("big.bin", bytes(size))

    async def scenario() -> str:
        restoring = asyncio.ensure_future(restore_small(buffer.getvalue()))
        await until_saved(saver)
        result: str = await restoring
        return result

    assert run_sync(scenario()).startswith(said)


@pytest.mark.parametrize(
    ("granted", "said"),
    [(True, "12.5 MB of 300 MB, kept"), (False, "12.5 MB of 300 MB, may be cleared")],
)
def test_the_storage_line_shows_usage_quota_and_whether_it_is_kept(
    *, granted: bool, said: str
) -> None:
    storage_line = run_block("async def storage_line")["storage_line"]
    files.set_storage_quota(FakeQuota(used=12_500_000, quota=300_000_000, granted=granted))
    try:
        assert run_sync(storage_line()) == said
    finally:
        files.set_storage_quota(None)


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (None, "Saved"),
        (
            RuntimeError("QuotaExceededError: The quota has been exceeded."),
            "The disk is full: your last changes are not saved, earlier ones are kept.",
        ),
        (RuntimeError("UnknownError: gone"), "Not saved: the save failed: UnknownError: gone"),
    ],
)
def test_a_full_disk_is_told_apart_from_other_failures(
    saver: MemorySaver, failure: Exception | None, said: str
) -> None:
    save_or_explain = run_block("async def save_or_explain")["save_or_explain"]
    assert answer_when_the_save_ends(saver, failure, save_or_explain) == said
