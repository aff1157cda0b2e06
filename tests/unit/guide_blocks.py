"""The python blocks of a guide in docs/, run as the guide is read: in order, in one namespace
(a later block uses what the earlier ones define)."""

from __future__ import annotations

import re
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
