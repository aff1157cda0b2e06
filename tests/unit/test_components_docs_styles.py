"""The scoped styles example of docs/components.md prints what the guide shows under it."""

import re
from pathlib import Path

from framework.component import set_default_backend
from framework.dom.memory import MemoryDom

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "components.md"


def test_the_scoped_styles_example_prints_the_scoped_stylesheet(capsys):
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Scoped styles") :]
    source, shown = re.search(r"```python\n(.*?)```\s*```text\n(.*?)```", section, re.S).groups()
    set_default_backend(MemoryDom)
    exec(compile(source, str(GUIDE), "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == shown
