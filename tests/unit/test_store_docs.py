"""Every python block of docs/store.md runs as written: in-memory storage areas, the in-memory
DOM, Brython's `browser.*` names, and flushes that run as soon as they are requested."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.brython import install_import_alias, uninstall_import_alias
from framework.component import set_default_backend
from framework.dom.memory import MemoryDom
from framework.reactive import flush, set_error_handler, set_scheduler
from framework.storage import MemoryStorage, set_storage_backend

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "store.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    local = MemoryStorage(persistent=True)
    set_storage_backend("local", lambda: local)
    set_storage_backend("session", MemoryStorage)
    set_default_backend(MemoryDom)
    previous_scheduler = set_scheduler(lambda run: run())
    previous_handler = set_error_handler(None)
    install_import_alias()
    yield
    uninstall_import_alias()
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)
    set_storage_backend("local", None)
    set_storage_backend("session", None)


def test_the_guide_has_examples():
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_example_runs(source):
    exec(compile(source, str(GUIDE), "exec"), {"__name__": "__main__"})
    flush()
