"""The "Lazy routes" example of docs/router.md, run as written: its first block is the lazy
module's file (written into a folder on sys.path as `pages/settings.py`), its second the app,
whose test function must pass."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.guide_blocks import DOCS

GUIDE = DOCS / "router.md"
SECTION = GUIDE.read_text(encoding="utf-8").split("## Lazy routes\n", 1)[1].split("\n## ", 1)[0]
MODULE, APP = re.findall(r"```python\n(.*?)```", SECTION, re.S)[:2]


@pytest.fixture
def pages_on_path(tmp_path: Path) -> Iterator[None]:
    first_line = MODULE.splitlines()[0]
    assert first_line.startswith("# pages/settings.py"), first_line
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "__init__.py").write_text("")
    (tmp_path / "pages" / "settings.py").write_text(MODULE)
    sys.path.insert(0, str(tmp_path))
    yield
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name == "pages" or name.startswith("pages.")]:
        del sys.modules[name]


def test_the_lazy_route_example_and_its_test_run(pages_on_path: None) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(APP, str(GUIDE), "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test()


def test_the_page_module_is_not_imported_until_its_route_is_visited(pages_on_path: None) -> None:
    exec(compile(APP, str(GUIDE), "exec"), {"__name__": "__main__"})
    assert "pages.settings" not in sys.modules
