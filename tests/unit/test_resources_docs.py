"""Every python block of docs/resources.md runs as written, in order, in one namespace (as the
guide is read: the testing block tests the components the blocks above define), and the test
functions it shows pass."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.guide_blocks import DOCS, python_blocks
from tests.unit.guide_blocks import run_blocks as run_guide_blocks

GUIDE = DOCS / "resources.md"
BLOCKS = python_blocks(GUIDE)


def run_blocks(count: int) -> dict[str, Any]:
    return run_guide_blocks(GUIDE, BLOCKS, count)


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
