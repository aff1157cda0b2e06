"""Props: checked on every call, compared by identity (plain values by value)."""

from dataclasses import dataclass

import pytest

from framework.component import Component, PropError, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal
from tests.unit.render_support import Counter


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"start": "x"}, "Counter: prop 'start' expects int, got 'x' (str)"),
        ({"strat": 1}, "Counter: unknown prop 'strat'"),
        ({"on_change": 3}, "Counter: event prop 'on_change' must be callable"),
    ],
)
def test_bad_props_name_component_and_prop(props, message):
    with pytest.raises(PropError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Counter(**props)


def test_missing_required_prop():
    class Title(Component):
        text: str

        def render(self):
            return t"<h1>{self.text}</h1>"

    with pytest.raises(PropError, match="missing required prop 'text'"):
        Title()


@dataclass(frozen=True)
class Point:
    x: int


class Shows(Component):
    value: object

    def setup(self):
        self.renders = 0

    def render(self):
        self.renders += 1
        return t"<p>{str(self.value)}</p>"


@pytest.mark.parametrize(
    ("make", "rerenders"),
    [
        pytest.param(lambda tick: f"label {tick // 10}", 0, id="equal-string-built-anew"),
        pytest.param(lambda tick: 1000 + tick // 10, 0, id="equal-number"),
        pytest.param(lambda tick: SHARED, 0, id="same-object"),
        pytest.param(lambda tick: Point(tick // 10), 1, id="equal-new-object"),
        pytest.param(lambda tick: [tick // 10], 1, id="equal-new-list"),
        pytest.param(lambda tick: 1 if tick == 1 else True, 1, id="equal-other-type"),
    ],
)
def test_a_prop_changes_when_it_is_a_new_object_or_a_different_plain_value(make, rerenders):
    class Holder(Component):
        def setup(self):
            self.tick = Signal(1)

        def render(self):
            return t"<div>{self.tick.value}{Shows(value=make(self.tick.value))}</div>"

    dom = MemoryDom()
    mounted = mount(Holder(), "#app", backend=dom)
    holder = mounted.part.content.instance
    child = mounted.part.content.part.content.parts[1].content.instance
    holder.tick.value = 2  # the parent renders again and passes the prop again
    mounted.flush()
    assert child.renders == 1 + rerenders
    assert dom.container("#app").find("p")[0].text_content == str(make(2))


SHARED = Point(0)
