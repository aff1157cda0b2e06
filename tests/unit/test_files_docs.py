"""docs/files.md's examples run as written: files under /data, sqlite3, and files.save()."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from framework import files
from framework.aio.testing import run_sync
from framework.component import set_default_backend
from framework.dom.memory import MemoryDom
from tests.unit.files_support import MemorySaver

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "files.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
DATA = Path("/data")  # the examples' persistent folder (mounted by the page in a browser)


@pytest.fixture
def saver() -> Iterator[MemorySaver]:
    DATA.mkdir()
    memory = MemorySaver()
    files.set_folder_saver(memory)
    yield memory
    files.set_folder_saver(None)
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

    async def scenario() -> str:
        asked = asyncio.ensure_future(export_done())
        await asyncio.sleep(0)
        saver.finish(failure)
        result: str = await asked
        return result

    assert run_sync(scenario()) == said
