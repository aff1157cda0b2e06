"""docs/errors.md: every mistake block produces the error the guide shows under it, and every fix
block runs clean.

A block starting `# Mistake` is followed by a `text` block: what the user sees (the end of the
traceback, a reported error, a warning or what the block prints), which must appear in what the
block produced. A block starting `# Fix` must run without raising, reporting, warning or
logging a warning. Each runs as the module `main` of a file `main.py`, as an app's entry does,
so the locations in the messages are the block's own lines, on an event loop with a virtual
clock and a mock server (any request to /api/notes answers 200), as a page's code runs.
"""

import asyncio
import contextlib
import io
import linecache
import logging
import re
import sys
import traceback
import types
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework import aio
from framework.aio import HTTPRequest, HTTPResponse
from framework.aio.mock import json_response
from framework.aio.testing import run_sync
from framework.component import set_default_backend
from framework.dom.memory import MemoryDom
from framework.errors import set_error_reporter
from framework.reactive import flush, set_error_handler, set_scheduler
from framework.storage import MemoryStorage, set_storage_backend
from tests.unit.aio_support import mock_server

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)
MISTAKES = re.findall(r"```python\n(# Mistake.*?)```\n\s*```text\n(.*?)```", TEXT, re.S)
FIXES = [block for block in BLOCKS if block.startswith("# Fix")]
# Shown by other tests: the page's errors in Chromium, framework check's on the host.
ELSEWHERE = [block for block in BLOCKS if block.startswith(("# In the browser", "# myapp/"))]
FILE = "main.py"


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    set_storage_backend("local", lambda: MemoryStorage(persistent=True))
    set_storage_backend("session", MemoryStorage)
    set_default_backend(MemoryDom)
    previous_scheduler = set_scheduler(lambda run: None)  # flushed at the end, as a page is
    previous_handler = set_error_handler(None)
    yield
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)
    set_storage_backend("local", None)
    set_storage_backend("session", None)
    sys.modules.pop("main", None)
    linecache.cache.pop(FILE, None)


def answer(request: HTTPRequest) -> HTTPResponse:
    return json_response(200, ["milk"])


def shown(error: BaseException) -> str:
    """What a traceback ends with: the qualified type, the message and the notes."""
    return "".join(traceback.format_exception_only(error))


def outcome(source: str) -> tuple[list[str], str]:
    """Run source as main.py: what it raised, reported, warned or logged, and what it printed."""
    linecache.cache[FILE] = (len(source), None, source.splitlines(True), FILE)
    module = types.ModuleType("main")
    module.__file__ = FILE
    sys.modules["main"] = module
    reported: list[BaseException] = []
    previous_reporter = set_error_reporter(reported.append)
    log = Collected()
    logging.getLogger("framework").addHandler(log)
    printed = io.StringIO()
    found: list[str] = []

    async def run() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _, context: reported.append(context["exception"]))
        try:
            exec(compile(source, FILE, "exec"), module.__dict__)
            flush()
            await aio.sleep(60)  # virtual time: what the block started finishes
            flush()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            found.append(shown(error))

    try:
        with (
            warnings.catch_warnings(record=True) as warned,
            contextlib.redirect_stdout(printed),
            mock_server() as server,
        ):
            warnings.simplefilter("always")
            server.route("/api/notes", answer)
            run_sync(run())
    finally:
        set_error_reporter(previous_reporter)
        logging.getLogger("framework").removeHandler(log)
    found += [shown(error) for error in reported]
    found += [f"{w.category.__name__}: {w.message}" for w in warned]
    found += log.lines
    return found, printed.getvalue()


def test_the_guide_pairs_each_mistake_with_its_message_and_fix():
    assert len(MISTAKES) >= 25
    assert sorted(BLOCKS) == sorted([m for m, _ in MISTAKES] + FIXES + ELSEWHERE)


@pytest.mark.parametrize(
    ("source", "message"), MISTAKES, ids=[f"mistake{i}" for i in range(len(MISTAKES))]
)
def test_a_mistake_shows_the_documented_message(source, message):
    problems, printed = outcome(source)
    found = [*problems, printed]
    assert any(message.strip() in text for text in found), "\n----\n".join(found)


@pytest.mark.parametrize("source", FIXES, ids=[f"fix{i}" for i in range(len(FIXES))])
def test_a_fix_runs_clean(source):
    problems, _ = outcome(source)
    assert problems == []
