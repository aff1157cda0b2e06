"""Attribute, boolean, class, style and property parts: what reaches the element, and following
a Signal or Computed in a slot without a re-render."""

import pytest

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Computed, Signal
from framework.template.keyed import keyed
from tests.unit.render_support import html, render


def test_text_and_attributes_render():
    name, cls = "Ada", "big"
    dom, _, _ = render(lambda: t'<p class={cls} title="hi {name}">Hello {name}!</p>')
    assert html(dom) == '<div id="app"><p class="big" title="hi Ada">Hello Ada!</p></div>'


def test_an_attribute_with_two_slots_updates_when_only_one_changes():
    dom, _, rerender = render(lambda: t'<p title="{"a"}-{"b"}">x</p>')
    dom.reset_counts()
    rerender(t'<p title="{"a"}-{"c"}">x</p>')
    assert dict(dom.counts) == {"ATTR": 1}
    assert dom.container("#app").find("p")[0].attrs["title"] == "a-c"


@pytest.mark.parametrize(("value", "present"), [(True, True), (False, False), (None, False)])
def test_boolean_attributes(value, present):
    dom, _, _ = render(lambda: t"<button disabled={value}>x</button>")
    assert ("disabled" in dom.container("#app").find("button")[0].attrs) is present


def test_style_dict_diffs_properties():
    dom, _, rerender = render(lambda: t"<p style={ {'color': 'red', 'top': '1px'} }>x</p>")
    dom.reset_counts()
    rerender(t"<p style={ {'color': 'blue'} }>x</p>")
    assert sorted(entry[2:] for entry in dom.log) == [("color", "blue"), ("top", None)]
    assert dom.container("#app").find("p")[0].style == {"color": "blue"}


def test_class_forms():
    dom, _, _ = render(lambda: t"<p class={ {'done': True, 'editing': False} }>x</p>")
    assert dom.container("#app").find("p")[0].attrs["class"] == "done"


def test_url_object_is_stringified_once_per_render_and_checked_each_time():
    """T10: the written value is the validated value, even if str() changes its answer."""
    import warnings

    class Flip:
        calls = 0

        def __str__(self):
            Flip.calls += 1
            return "https://ok.example" if Flip.calls == 1 else "javascript:alert(1)"

    flip = Flip()
    dom, _, rerender = render(lambda: t"<a href={flip}>x</a>")
    assert Flip.calls == 1
    assert dom.container("#app").find("a")[0].attrs["href"] == "https://ok.example"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rerender(t"<a href={flip}>x</a>")
    assert Flip.calls == 2
    assert dom.container("#app").find("a")[0].attrs["href"] == "unsafe:javascript:alert(1)"


@pytest.mark.parametrize(
    ("markup", "attribute", "first", "second"),
    [
        ("class", "class", "on", "off"),
        ("title", "title", "on", "off"),
        ("data-x", "data-x", "on", "off"),
    ],
)
def test_signal_in_an_attribute_slot_updates_only_that_attribute(markup, attribute, first, second):

    state = Signal(first)
    renders = []

    class View(Component):
        def render(self):
            renders.append(1)
            if markup == "class":
                return t"<p class={state}>x</p>"
            if markup == "title":
                return t"<p title={state}>x</p>"
            return t"<p data-x={state}>x</p>"

    dom = MemoryDom()
    mounted = mount(View(), "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    assert paragraph.attrs[attribute] == first
    dom.reset_counts()
    state.value = second
    mounted.flush()
    assert paragraph.attrs[attribute] == second
    assert len(renders) == 1  # no re-render
    assert sum(dom.counts.values()) == 1  # one ATTR op


def test_computed_in_class_and_bool_slots_follows_its_sources():
    from framework.reactive import Computed

    selected = Signal(1)
    rows = []
    for key in (1, 2, 3):
        cls = Computed(lambda key=key: "danger" if selected.value == key else None)
        hidden = Computed(lambda key=key: selected.value == key)
        rows.append(keyed(key, t"<tr class={cls} ?hidden={hidden}><td>{key}</td></tr>"))
    dom = MemoryDom()
    mounted = mount(t"<table>{rows}</table>", "#app", backend=dom)
    trs = dom.container("#app").find("tr")
    assert [tr.attrs.get("class") for tr in trs] == ["danger", None, None]
    dom.reset_counts()
    selected.value = 3
    mounted.flush()
    assert [tr.attrs.get("class") for tr in trs] == [None, None, "danger"]
    assert ["hidden" in tr.attrs for tr in trs] == [False, False, True]
    assert dom.counts["ATTR"] == 2 and dom.counts["UNATTR"] == 2  # rows 1 and 3 only


def test_attribute_stops_following_a_signal_it_no_longer_gets():

    source, use_signal = Signal("a"), Signal(True)

    class View(Component):
        def render(self):
            return t"<p title={source if use_signal.value else 'fixed'}>x</p>"

    dom = MemoryDom()
    mounted = mount(View(), "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    use_signal.value = False
    mounted.flush()
    assert paragraph.attrs["title"] == "fixed"
    source.value = "b"
    mounted.flush()
    assert paragraph.attrs["title"] == "fixed"
    assert not source._observers  # the watcher is gone


def test_removed_row_stops_following_its_signal():
    label = Signal("x")
    items = Signal([1])
    dom = MemoryDom()
    mounted = mount(
        t"<ul>{[keyed(i, t'<li title={label}>{label}</li>') for i in items.peek()]}</ul>",
        "#app",
        backend=dom,
    )
    assert len(label._observers) == 2
    mounted.unmount()
    assert not label._observers


def test_mixed_attribute_with_a_signal_piece():
    size = Signal("small")
    dom = MemoryDom()
    mounted = mount(t'<p class="box {size}" title="is {size}">x</p>', "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    size.value = "large"
    mounted.flush()
    assert paragraph.attrs["class"] == "box large"
    assert paragraph.attrs["title"] == "is large"


@pytest.mark.parametrize("markup", ["class", "title", "style"])
def test_a_slot_given_another_signal_follows_the_new_one_only(markup):
    first, second = Signal("a"), Signal("b")
    use_first = Signal(True)

    class View(Component):
        def render(self):
            shown = first if use_first.value else second
            if markup == "class":
                return t"<p class={shown}>x</p>"
            if markup == "title":
                return t"<p title={shown}>x</p>"
            return t"<p style={Computed(lambda: {'color': shown.value})}>x</p>"

    def seen(paragraph):
        return paragraph.style.get("color") if markup == "style" else paragraph.attrs[markup]

    dom = MemoryDom()
    mounted = mount(View(), "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    use_first.value = False
    mounted.flush()
    first.value = "c"  # no longer followed
    mounted.flush()
    assert seen(paragraph) == "b"
    second.value = "d"
    mounted.flush()
    assert seen(paragraph) == "d"
    assert not first._observers
