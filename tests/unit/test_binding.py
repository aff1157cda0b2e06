"""Two-way binding: bind:value, bind:checked and bind:group."""

import pytest

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal


@pytest.mark.parametrize(
    ("markup_input", "event", "field", "typed", "expected"),
    [("text", "input", "value", "hello", "hello"), ("checkbox", "change", "checked", True, True)],
)
def test_two_way_binding(markup_input, event, field, typed, expected):
    state = Signal("" if field == "value" else False)

    class Form(Component):
        def render(self):
            if field == "value":
                return t"<input type={markup_input} bind:value={state}>"
            return t"<input type={markup_input} bind:checked={state}>"

    dom = MemoryDom()
    mounted = mount(Form(), "#app", backend=dom)
    element = dom.container("#app").find("input")[0]
    dom.dispatch(element, event, target=_Target(**{field: typed}))
    assert state.value == expected
    state.value = "set from code" if field == "value" else False
    mounted.flush()
    assert element.props[field] == state.value


def test_radio_group_binding():
    choice = Signal("b")

    class Radios(Component):
        def render(self):
            return t'<input type="radio" value="a" bind:group={choice}><input type="radio" value="b" bind:group={choice}>'

    dom = MemoryDom()
    mounted = mount(Radios(), "#app", backend=dom)
    first, second = dom.container("#app").find("input")
    assert (first.props["checked"], second.props["checked"]) == (False, True)
    dom.dispatch(first, "change", target=_Target(value="a", checked=True))
    mounted.flush()
    assert choice.value == "a"
    assert (first.props["checked"], second.props["checked"]) == (True, False)


class _Target:
    def __init__(self, **fields):
        self.__dict__.update(fields)
