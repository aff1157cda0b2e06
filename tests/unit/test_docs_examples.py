"""Every python block of the guides runs as written, against the in-memory DOM."""

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


def block_with(text):
    (found,) = [block for block in BLOCKS if text in block]
    return found


def test_each_example_renames_one_row_and_selects_another(dom):
    exec(compile(block_with("each("), str(GUIDE), "exec"), {"__name__": "__main__"})
    rows = dom.container("#app").find("tr")
    assert len(rows) == 1000
    assert rows[9].text_content == "row 10 !!!"
    assert [i for i, row in enumerate(rows) if row.attrs.get("class") == "danger"] == [2]


def test_parent_child_example_events(dom):
    exec(compile(block_with("class Child"), str(GUIDE), "exec"), {"__name__": "__main__"})
    coffee = dom.container("#app").find("button")[1]
    dom.dispatch(coffee, "click")
    assert dom.container("#app").find("p")[0].text_content == "Picked: coffee"


ROUTER_GUIDE = GUIDE.with_name("router.md")
ROUTER_BLOCKS = re.findall(r"```python\n(.*?)```", ROUTER_GUIDE.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize(
    "source", ROUTER_BLOCKS, ids=[f"router{i}" for i in range(len(ROUTER_BLOCKS))]
)
def test_router_guide_example_runs(source, dom):
    exec(compile(source, str(ROUTER_GUIDE), "exec"), {"__name__": "__main__"})


def test_router_guide_shell_follows_links(dom):
    namespace = {"__name__": "__main__"}
    exec(compile(ROUTER_BLOCKS[0], str(ROUTER_GUIDE), "exec"), namespace)
    assert dom.container("#app").find("h1")[0].text_content == "Todo 3"
    namespace["router"].navigate("/old-home")
    namespace["app"].flush()
    assert dom.container("#app").find("h1")[0].text_content == "Home"
    assert [a.attrs["href"] for a in dom.container("#app").find("a")] == ["#/", "#/todos/1"]


REACTIVITY_GUIDE = GUIDE.with_name("reactivity.md")


def test_the_selector_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", REACTIVITY_GUIDE.read_text(encoding="utf-8"), re.S)
    examples = [block for block in blocks if "selector(" in block]
    assert len(examples) == 2  # a Computed per row, and when()
    for example in examples:
        exec(compile(example, str(REACTIVITY_GUIDE), "exec"), {"__name__": "__main__"})
