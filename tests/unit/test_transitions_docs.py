"""Every python block of docs/transitions.md runs as written, in order, in one namespace (as the
guide is read), and the test functions it shows pass."""

from __future__ import annotations

import pytest

from tests.unit.guide_blocks import DOCS, block_tests, python_blocks

GUIDE = DOCS / "transitions.md"
BLOCKS = python_blocks(GUIDE)


def test_the_guide_has_examples_and_they_are_tests() -> None:
    assert len(BLOCKS) >= 4
    assert all("def test_" in block for block in BLOCKS)


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(index: int) -> None:
    tests = block_tests(GUIDE, BLOCKS, index)
    assert tests, "each block shows a test"
    for test in tests:
        test()
