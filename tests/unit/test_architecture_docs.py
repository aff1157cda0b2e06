"""docs/architecture.md: its python blocks run in order, in one namespace (each continues the one
before), and each prints exactly the `text` block written under it."""

import contextlib
import io
import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)
# A python block, then (after blank lines only) the output it promises.
EXAMPLES = re.findall(r"```python\n(.*?)```\n\s*```text\n(.*?)```", TEXT, re.S)


def test_every_python_block_promises_its_output():
    assert len(BLOCKS) >= 3
    assert [source for source, _ in EXAMPLES] == BLOCKS


def test_the_examples_print_what_the_guide_shows():
    namespace = {"__name__": "__main__"}
    for index, (source, promised) in enumerate(EXAMPLES):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, f"{GUIDE}:block{index}", "exec"), namespace)
        assert printed.getvalue() == promised, f"block {index}"
