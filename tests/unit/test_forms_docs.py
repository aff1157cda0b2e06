"""Every python block of docs/forms.md runs as written, in order, in one namespace (as the
guide is read: the testing block tests the components the blocks above define), and the test
functions it shows pass."""

from __future__ import annotations

import pytest

from tests.unit.guide_blocks import DOCS, block_tests, python_blocks

GUIDE = DOCS / "forms.md"
BLOCKS = python_blocks(GUIDE)


def test_the_guide_has_examples_and_tests_them() -> None:
    assert len(BLOCKS) >= 3
    assert "def test_" in BLOCKS[-1]


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(index: int) -> None:
    tests = block_tests(GUIDE, BLOCKS, index)
    for test in tests:
        test()
