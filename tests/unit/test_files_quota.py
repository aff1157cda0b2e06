"""Quota: files.usage(), files.persist(), and a save refused for space (framework.files).

The browser's side (framework/browser/files.py, `BrowserQuota`) is navigator.storage; here a
fake gives the numbers, and the in-memory saver fails a save as the browser would.
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Iterator

import pytest

from framework import files
from framework.aio.testing import run_sync
from tests.unit.files_support import FakeQuota, MemorySaver, memory_saver


@pytest.fixture
def saver() -> Iterator[MemorySaver]:
    with memory_saver() as memory:
        yield memory


@pytest.fixture
def quota() -> Iterator[FakeQuota]:
    fake = FakeQuota(used=1_234_567, quota=10_000_000_000, granted=True)
    files.set_storage_quota(fake)
    yield fake
    files.set_storage_quota(None)


def test_usage_is_bytes_used_and_the_quota(quota: FakeQuota) -> None:
    assert run_sync(files.usage()) == (1_234_567, 10_000_000_000)
    quota.used = 2_000_000
    assert run_sync(files.usage()) == (2_000_000, 10_000_000_000)  # asked again, not cached


@pytest.mark.parametrize("granted", [True, False])
def test_persist_says_whether_the_browser_keeps_the_storage(
    quota: FakeQuota, *, granted: bool
) -> None:
    quota.granted = granted
    assert run_sync(files.persist()) is granted
    assert quota.asked == 1


def test_without_a_browser_usage_and_persist_say_so() -> None:
    files.set_storage_quota(None)
    with pytest.raises(RuntimeError, match=r"files\.usage needs a browser"):
        run_sync(files.usage())
    with pytest.raises(RuntimeError, match=r"files\.persist needs a browser"):
        run_sync(files.persist())


def test_a_save_refused_for_space_is_enospc_with_the_reason_and_loses_nothing_saved(
    saver: MemorySaver,
) -> None:
    async def scenario() -> None:
        saver.files["notes.db"] = "saved before"
        files.changed()
        saver.finish()
        await asyncio.sleep(0)
        saver.files["notes.db"] = "too big"
        saver.files["photo.png"] = "too big"
        forced = asyncio.ensure_future(files.save())
        await asyncio.sleep(0)
        # the browser's own error, as IndexedDB aborts the transaction
        saver.finish(RuntimeError("QuotaExceededError: The quota has been exceeded."))
        await forced

    with pytest.raises(OSError, match="QuotaExceededError") as raised:
        run_sync(scenario())
    assert raised.value.errno == errno.ENOSPC
    assert saver.saved == {"notes.db": "saved before"}  # the aborted save wrote nothing


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("the persistent folders could not be saved: QuotaExceededError: full", errno.ENOSPC),
        ("the persistent folders could not be saved: UnknownError: disk gone", errno.EIO),
    ],
)
def test_a_refused_save_says_why_with_an_errno(reason: str, code: int) -> None:
    error = files.save_error(reason)
    assert (error.errno, error.strerror) == (code, reason)
