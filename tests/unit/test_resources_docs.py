"""Every python block of docs/resources.md runs as written, in order, in one namespace (as the
guide is read: the testing block tests the components the blocks above define), and the test
functions it shows pass."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "resources.md"
TEXT = GUIDE.read_text(encoding="utf-8")
# Each block padded with the lines above it: a failure names its line in the guide.
BLOCKS = [
    "\n" * TEXT.count("\n", 0, found.start(1)) + found.group(1)
    for found in re.finditer(r"```python\n(.*?)```", TEXT, re.S)
]


def run_blocks(count: int) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for source in BLOCKS[:count]:
        exec(compile(source, str(GUIDE), "exec"), namespace)
    return namespace


def test_the_guide_has_examples_and_tests_them() -> None:
    assert len(BLOCKS) >= 3
    assert "def test_" in BLOCKS[-1]


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(index: int) -> None:
    before = set(run_blocks(index))
    namespace = run_blocks(index + 1)
    tests = [name for name in namespace if name.startswith("test_") and name not in before]
    for name in tests:
        namespace[name]()  # the testing examples are tests: run them
