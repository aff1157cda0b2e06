"""framework.files: when the persistent folders are saved, against an in-memory saver.

The saver (tests/unit/files_support.py) stands in for the browser's (framework/browser/files.py):
it copies the "files" it is given when a save starts, and the test decides when that save ends
and whether it fails. The browser end to end: tests/e2e/test_files.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterator

import pytest

from framework import files
from framework.aio.testing import run_sync
from framework.component import mount
from framework.dom.memory import MemoryDom
from tests.unit.files_support import MemorySaver, memory_saver


@pytest.fixture
def saver() -> Iterator[MemorySaver]:
    with memory_saver() as memory:
        yield memory


async def turns(count: int = 3) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


def test_without_persistent_folders_there_is_nothing_to_save() -> None:
    files.set_folder_saver(None)
    files.changed()
    run_sync(files.save())
    assert files.persistent_folders() == ()


def test_the_folders_are_listed(saver: MemorySaver) -> None:
    assert files.persistent_folders() == ("/data",)


def test_a_change_starts_a_save_at_once_without_waiting_for_the_loop(saver: MemorySaver) -> None:
    async def scenario() -> int:
        saver.files["notes.db"] = "v1"
        files.changed()
        started_now = len(saver.started)  # before any await: the reload-right-after case
        saver.finish()
        await turns()
        return started_now

    assert run_sync(scenario()) == 1
    assert saver.saved == {"notes.db": "v1"}


def test_changes_during_a_save_make_one_more_save_that_sees_them_all(saver: MemorySaver) -> None:
    async def scenario() -> None:
        saver.files["a"] = "1"
        files.changed()
        for number in range(2, 7):  # five handlers while the first save runs
            saver.files["a"] = str(number)
            files.changed()
        assert saver.running == 1  # one in flight, the rest coalesced into one waiting save
        saver.finish()
        await turns()
        assert saver.running == 1
        saver.finish()
        await turns()

    run_sync(scenario())
    assert saver.started == [{"a": "1"}, {"a": "6"}]
    assert saver.saved == {"a": "6"}


def test_save_waits_for_a_save_that_starts_after_the_running_one(saver: MemorySaver) -> None:
    """The running save copied the files before the last write: save() must not settle for it."""

    async def scenario() -> list[str]:
        saver.files["a"] = "old"
        files.changed()
        saver.files["a"] = "new"
        forced = asyncio.ensure_future(files.save())
        await turns()
        log = [f"after first start: done={forced.done()}"]
        saver.finish()
        await turns()
        log.append(f"after first end: done={forced.done()}")
        saver.finish()
        await forced
        return log

    assert run_sync(scenario()) == ["after first start: done=False", "after first end: done=False"]
    assert saver.saved == {"a": "new"}


def test_save_raises_the_reason_and_what_was_saved_stays(saver: MemorySaver) -> None:
    async def scenario() -> None:
        saver.files["a"] = "kept"
        files.changed()
        saver.finish()
        await turns()
        saver.files["a"] = "too big"
        forced = asyncio.ensure_future(files.save())
        await turns()
        saver.finish(OSError("QuotaExceededError: the quota has been exceeded"))
        await forced

    with pytest.raises(OSError, match="QuotaExceededError"):
        run_sync(scenario())
    assert saver.saved == {"a": "kept"}


def test_a_failed_save_nobody_awaits_is_logged_and_the_next_change_saves_again(
    saver: MemorySaver, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        saver.files["a"] = "1"
        files.changed()
        saver.finish(OSError("UnknownError: the disk is gone"))
        await turns()
        saver.files["a"] = "2"
        files.changed()
        saver.finish()
        await turns()

    with caplog.at_level(logging.WARNING, logger="framework.files"):
        run_sync(scenario())
    assert "UnknownError: the disk is gone" in caplog.text
    assert saver.saved == {"a": "2"}


def test_a_saver_that_fails_to_start_is_an_oserror_too(saver: MemorySaver) -> None:
    def refuse() -> Awaitable[None]:
        raise OSError("IndexedDB is blocked")

    saver.start_save = refuse  # type: ignore[method-assign]
    with pytest.raises(OSError, match="IndexedDB is blocked"):
        run_sync(files.save())


def test_a_click_handler_and_an_async_handler_each_end_with_a_save(saver: MemorySaver) -> None:
    async def write_later() -> None:
        await asyncio.sleep(1)
        saver.files["b"] = "async"

    def write() -> None:
        saver.files["a"] = "click"

    async def scenario() -> None:
        dom = MemoryDom()
        mount(
            t"<button onclick={write}>w</button><i onclick={write_later}>l</i>", "#app", backend=dom
        )
        dom.dispatch(dom.container("#app").find("button")[0], "click")
        assert saver.started == [{"a": "click"}]  # at the end of the handler, in its own task
        saver.finish()
        await turns()
        dom.dispatch(dom.container("#app").find("i")[0], "click")
        saver.finish()  # the save the click itself asked for, before the task wrote anything
        await asyncio.sleep(2)
        assert len(saver.started) == 3  # and one when the task ended
        saver.finish()
        await turns()

    run_sync(scenario())
    assert saver.saved == {"a": "click", "b": "async"}


def test_a_task_the_app_started_with_aio_run_ends_with_a_save(saver: MemorySaver) -> None:
    from framework import aio

    async def fetch_and_write() -> None:
        await asyncio.sleep(1)
        saver.files["c"] = "task"

    async def scenario() -> None:
        aio.run(fetch_and_write())
        await asyncio.sleep(2)
        saver.finish()
        await turns()

    run_sync(scenario())
    assert saver.saved == {"c": "task"}
