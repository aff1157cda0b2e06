"""Every python block of docs/components.md runs as written, against the in-memory DOM."""

import re
from pathlib import Path

import pytest

from framework.component import set_default_backend
from framework.dom.memory import MemoryDom

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "components.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


@pytest.fixture
def dom():
    backend = MemoryDom()
    set_default_backend(lambda: backend)
    return backend


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_example_runs(source, dom):
    exec(compile(source, str(GUIDE), "exec"), {"__name__": "__main__"})
    assert dom.container("#app").children, "the example rendered something"


def test_keyed_list_example_result(dom):
    exec(compile(BLOCKS[1], str(GUIDE), "exec"), {"__name__": "__main__"})
    assert [li.text_content for li in dom.container("#app").find("li")] == ["eggs", "bread", "milk"]


def test_parent_child_example_events(dom):
    exec(compile(BLOCKS[2], str(GUIDE), "exec"), {"__name__": "__main__"})
    coffee = dom.container("#app").find("button")[1]
    dom.dispatch(coffee, "click")
    assert dom.container("#app").find("p")[0].text_content == "Picked: coffee"
