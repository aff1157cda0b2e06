"""Event names are checked: `on<type>` must name a DOM event (protocol.json's `events`), a typo
names the closest one, and custom events are written `on:<name>`."""

from string.templatelib import Interpolation, Template

import pytest

from framework import Component, MemoryDom, TemplateSyntaxError, mount
from framework.dom import protocol
from framework.errors import set_error_reporter
from tests.unit.render_support import app_html, render


@pytest.mark.parametrize(
    ("attribute", "suggestion"),
    [
        ("onclik", "did you mean onclick?"),
        ("onClik", "did you mean onclick?"),
        ("oninptu", "did you mean oninput?"),
        ("onkeydwn.enter", "did you mean onkeydown?"),
        ("onsubmt", "did you mean onsubmit?"),
        ("onmouseenterr", "did you mean onmouseenter?"),
    ],
)
def test_a_misspelt_event_names_the_closest_known_one(attribute, suggestion):
    def bump():
        pass

    strings = (f"<button {attribute}=", ">+1</button>")
    template = Template(strings[0], Interpolation(bump, "bump"), strings[1])
    with pytest.raises(TemplateSyntaxError, match=suggestion):
        mount(template, "#app", backend=MemoryDom())


def test_a_name_close_to_nothing_only_says_how_to_write_a_custom_event():
    with pytest.raises(TemplateSyntaxError) as raised:
        mount(t"<p onzzzqqq={print}>x</p>", "#app", backend=MemoryDom())
    message = str(raised.value)
    assert "unknown event 'onzzzqqq'" in message
    assert "did you mean" not in message
    assert "on:zzzqqq={...}" in message


def test_the_typo_is_shown_at_the_users_line():
    with pytest.raises(TemplateSyntaxError) as raised:
        mount(t"<button onclik={print}>+1</button>", "#app", backend=MemoryDom())
    notes = "\n".join(raised.value.__notes__)
    line = test_the_typo_is_shown_at_the_users_line.__code__.co_firstlineno + 2
    where, source, caret = notes.split("\n")
    assert where.endswith(f"test_events_names.py:{line}:25")  # the column of `onclik`
    assert (
        source.strip()
        == 'mount(t"<button onclik={print}>+1</button>", "#app", backend=MemoryDom())'
    )
    assert caret.index("^") == source.index("onclik") and caret.count("^") == len("onclik={print}")


def test_every_known_event_is_accepted():
    for event in sorted(protocol.EVENTS):
        template = Template(f"<div on{event}=", Interpolation(print, "print"), "></div>")
        mount(template, "#app", backend=MemoryDom())


def test_non_bubbling_events_are_known_events():
    assert protocol.NON_BUBBLING_EVENTS <= protocol.EVENTS


@pytest.mark.parametrize("name", ["my-event", "itemSelected", "clik"])
def test_a_custom_event_is_written_with_a_colon_and_keeps_its_case(name):
    seen = []
    template = Template(f"<div on:{name}=", Interpolation(seen.append, "seen.append"), "></div>")
    dom, _, _ = render(lambda: template)
    dom.dispatch(dom.container("#app").find("div")[0], name, detail=1)
    assert [event.type for event in seen] == [name]


def test_a_component_with_a_typo_fails_alone_and_is_reported_once():
    errors = []
    previous = set_error_reporter(errors.append)

    class Counter(Component):
        def bump(self):
            pass

        def render(self):
            return t"<button onclik={self.bump}>+1</button>"

    class Page(Component):
        def render(self):
            return t"<main>{[Counter(key=n) for n in range(3)]}<p>fine</p></main>"

    try:
        dom = MemoryDom()
        mount(Page(), "#app", backend=dom)
    finally:
        set_error_reporter(previous)
    assert len(errors) == 1
    assert "did you mean onclick?" in str(errors[0])
    assert "<p>fine</p>" in app_html(dom)
