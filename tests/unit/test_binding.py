"""Two-way binding: bind:value, bind:checked and bind:group; numbers from number and range
inputs; selects that show their bound value whatever renders their options."""

import pytest

from framework.component import Component, mount
from framework.dom.memory import Element, MemoryDom, parse_fragment
from framework.reactive import Signal
from tests.conformance import cases, runner


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


# -- numbers ---------------------------------------------------------------------------------------


def _field(kind, state):
    """A mounted `<input type=kind bind:value={state}>`: (dom, mounted, the input)."""
    dom = MemoryDom()
    mounted = mount(t"<input type={kind} bind:value={state}>", "#app", backend=dom)
    return dom, mounted, dom.container("#app").find("input")[0]


def _type(dom, field, text):
    """What a user's typing leaves: the field's text, then its input event."""
    field.value = text
    dom.dispatch(field, "input")


@pytest.mark.parametrize(
    ("kind", "typed", "expected"),
    [
        ("number", "42", 42),
        ("number", "-3", -3),
        ("number", "0", 0),
        ("number", "2.5", 2.5),
        ("number", "1.0", 1.0),
        ("number", "1e3", 1000.0),
        ("number", "", None),
        ("NUMBER", "7", 7),
        ("range", "30", 30),
        ("range", "0.25", 0.25),
        ("text", "42", "42"),
        ("text", "", ""),
    ],
)
def test_number_inputs_bind_numbers(kind, typed, expected):
    state = Signal("unset")
    dom, _, field = _field(kind, state)
    _type(dom, field, typed)
    assert state.value == expected
    assert type(state.value) is type(expected)


@pytest.mark.parametrize(("value", "shown"), [(5, "5"), (2.5, "2.5"), (3.0, "3"), (None, "")])
def test_a_number_signal_fills_the_field(value, shown):
    state = Signal(value)
    _, _, field = _field("number", state)
    assert field.value == shown


def test_what_the_user_typed_is_not_pushed_back():
    # "1.0" reads 1.0, which the field would show as "1": under the user's caret, mid-number.
    state = Signal(0)
    dom, mounted, field = _field("number", state)
    dom.reset_counts()
    for text in ("1", "1.", "1.0", "1.05"):
        _type(dom, field, text)
        mounted.flush()
        assert field.value == text
    assert state.value == 1.05
    assert "PROP" not in dom.counts
    state.value = 7
    mounted.flush()
    assert (field.value, dom.counts["PROP"]) == ("7", 1)


def test_a_bad_number_reads_none():
    # The browser gives "" for text that is not a number; a test's stand-in may not.
    state = Signal(1)
    dom, _, field = _field("number", state)
    dom.dispatch(field, "input", target=_Target(value="abc", type="number"))
    assert state.value is None


# -- selects -----------------------------------------------------------------------------------


def _options(values):
    return [t"<option value={v}>{v}</option>" for v in values]


def test_the_issue_repro_shows_the_bound_value():
    class Rating(Component):
        def setup(self):
            self.v = Signal("3")

        def render(self):
            return t"<select bind:value={self.v}>{_options(('5', '4', '3'))}</select>"

    dom = MemoryDom()
    mount(Rating(), "#app", backend=dom)
    assert dom.container("#app").find("select")[0].value == "3"


class KeepsNoValue(MemoryDom):
    """Sets a select's value once, as the DOM does on its own, and never again."""

    def _prop(self, node_id, name, value):
        self.nodes[node_id].set_property(name, value)


SELECT_CASES = sorted(name for name in cases.CASES if "select" in name)


@pytest.mark.parametrize("name", SELECT_CASES)
def test_without_the_kept_value_the_memory_dom_fails_as_the_browser_would(name):
    # The memory DOM selects the first option when options come after the value, as Chromium
    # does: a renderer or backend that loses the bound value fails here, not only in a browser.
    result = runner.run_case(name, cases.CASES[name], runner.MemoryHarness(KeepsNoValue))
    assert result.failures


def test_the_table_holds_the_select_cases():
    # test_backend_conformance.py runs them against the memory DOM, e2e against Chromium too.
    assert len(SELECT_CASES) >= 6


def test_a_select_multiple_binds_a_list():
    chosen = Signal(("b",))  # any collection is shown; the user's choice comes back a list
    dom = MemoryDom()
    mounted = mount(
        t"<select multiple bind:value={chosen}>{_options('abc')}</select>", "#app", backend=dom
    )
    select = dom.container("#app").find("select")[0]
    assert [o.value for o in select.selectedOptions] == ["b"]
    select.options[2].selected = True
    dom.dispatch(select, "change")
    assert chosen.value == ["b", "c"]
    chosen.value = []
    mounted.flush()
    assert select.selectedOptions == []


# -- the memory DOM's selects, as the browser's --------------------------------------------------


def _select(markup):
    (select,) = parse_fragment(markup).find("select")
    select.options_changed()  # parsed: its options were inserted
    return select


def _option(value, selected=False):
    return Element("option", {"value": value, **({"selected": ""} if selected else {})})


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("<select><option>a</option><option>b</option></select>", "a"),
        ("<select><option>a</option><option selected>b</option></select>", "b"),
        ("<select><option disabled>a</option><option> b  c </option></select>", "b c"),
        ('<select><optgroup><option value="x">a</option></optgroup></select>', "x"),
        ('<select size="3"><option>a</option></select>', ""),
        ("<select multiple><option>a</option></select>", ""),
        ("<select></select>", ""),
    ],
)
def test_a_parsed_select_shows_what_the_browser_shows(markup, shown):
    assert _select(markup).value == shown


def test_options_after_the_value_select_the_first():
    select = _select("<select></select>")
    select.value = "b"
    assert select.value == ""  # no option has it: none is selected
    for value in "ab":
        select.append(_option(value))
        select.options_changed([select.children[-1]])
    assert select.value == "a"


def test_an_option_inserted_selected_is_the_one_selected():
    select = _select("<select><option>a</option><option>b</option></select>")
    select.append(_option("c", selected=True))
    select.options_changed([select.children[-1]])
    assert [o.selected for o in select.options] == [False, False, True]


def test_deselecting_the_only_selected_option_selects_the_first():
    select = _select("<select><option>a</option><option>b</option></select>")
    select.value = "b"
    select.options[1].selected = False
    assert select.value == "a"


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ("<input>", "text"),
        ('<input type="Number">', "number"),
        ("<select></select>", "select-one"),
        ("<select multiple></select>", "select-multiple"),
        ("<textarea></textarea>", "textarea"),
        ("<button></button>", "submit"),
    ],
)
def test_form_controls_have_the_doms_type(markup, kind):
    (element,) = parse_fragment(markup).children
    assert element.type == kind


class _Target:
    def __init__(self, **fields):
        self.__dict__.update(fields)
