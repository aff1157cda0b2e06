"""Every python block of docs/testing.md runs as written, in order, in one namespace (as the
guide is read), and the test functions it shows pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.guide_blocks import DOCS, python_blocks
from tests.unit.guide_blocks import run_blocks as run_guide_blocks

GUIDE = DOCS / "testing.md"
BLOCKS = python_blocks(GUIDE)


def run_blocks(count: int) -> dict[str, Any]:
    return run_guide_blocks(GUIDE, BLOCKS, count)


def test_the_guide_has_examples_and_they_are_tests() -> None:
    assert len(BLOCKS) >= 4
    assert all("def test_" in block for block in BLOCKS)


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(index: int) -> None:
    before = set(run_blocks(index))
    namespace = run_blocks(index + 1)
    tests = [name for name in namespace if name.startswith("test_") and name not in before]
    assert tests, "each block shows a test"
    for name in tests:
        namespace[name]()  # the examples are tests: run them
