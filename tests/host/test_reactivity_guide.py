"""docs/reactivity.md: every example runs as a plain script and prints what its comments say.

framework.reactive is stdlib only, so its guide runs here on the host's CPython. Each example
runs in a fresh interpreter, as the script the guide says it is: with no event loop, effects
run at the end of each write (this process may have a loop running, Playwright's).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "reactivity.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
# `# prints: a, then b   (a remark)` promises the line "a" and, after it, the line "b".
PRINTS = re.compile(r"#\s*prints(?: once)?:\s*(.*?)(?:\s{2,}\(.*\))?\s*$", re.M)


def promised_lines(source: str) -> list[str]:
    return [line for match in PRINTS.finditer(source) for line in match.group(1).split(", then ")]


def printed_lines(source: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", source],
        cwd=GUIDE.parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_guide_has_examples_that_promise_output() -> None:
    assert len(BLOCKS) >= 10
    assert sum(1 for block in BLOCKS if promised_lines(block)) >= 7


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_example_prints_what_its_comments_promise(source: str) -> None:
    printed = printed_lines(source)
    promised = promised_lines(source)
    remaining = iter(printed)
    missing = [line for line in promised if not any(line == seen for seen in remaining)]
    assert missing == [], f"printed {printed}, promised {promised}"
