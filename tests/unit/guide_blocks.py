"""The python blocks of a guide in docs/, run as the guide is read: in order, in one namespace
(a later block uses what the earlier ones define)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"


def python_blocks(guide: Path) -> list[str]:
    """Each ```python block, padded with the lines above it: a failure names its guide line."""
    text = guide.read_text(encoding="utf-8")
    return [
        "\n" * text.count("\n", 0, found.start(1)) + found.group(1)
        for found in re.finditer(r"```python\n(.*?)```", text, re.S)
    ]


def run_blocks(guide: Path, blocks: list[str], count: int) -> dict[str, Any]:
    """The namespace after running the first `count` blocks."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for source in blocks[:count]:
        exec(compile(source, str(guide), "exec"), namespace)
    return namespace


def block_tests(guide: Path, blocks: list[str], index: int) -> list[Callable[[], None]]:
    """Run the blocks up to and including `index`; the test functions that block defines (a
    guide's testing examples are tests: the caller runs them)."""
    before = set(run_blocks(guide, blocks, index))
    namespace = run_blocks(guide, blocks, index + 1)
    return [
        value
        for name, value in namespace.items()
        if name.startswith("test_") and name not in before
    ]
