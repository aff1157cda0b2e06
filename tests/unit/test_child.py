"""Child slots: text, nested templates, Signals, raw HTML and lists between tags; strings are
always text, never markup."""

import pytest

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.errors import set_error_reporter
from framework.reactive import Signal
from framework.template.safety import dangerous_html
from tests.unit.render_support import html, render


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (False, ""),
        ("", ""),
        (0, "0"),
        (3.5, "3.5"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ],
)
def test_child_values(value, expected):
    dom, _, _ = render(lambda: t"<p>{value}</p>")
    assert html(dom) == f'<div id="app"><p>{expected}</p></div>'


def test_a_list_changed_in_place_renders_again_in_the_same_slot():
    items = ["a"]
    dom, _, rerender = render(lambda: t"<ul>{items}</ul>")
    items.append("b")
    rerender(t"<ul>{items}</ul>")  # the same list object, with more in it
    assert html(dom) == '<div id="app"><ul>ab</ul></div>'


def test_nested_template_is_updated_in_place():
    def view(n):
        return t"<div>{t'<span>{n}</span>'}</div>"

    dom, _, rerender = render(lambda: view(1))
    dom.reset_counts()
    rerender(view(2))
    assert dict(dom.counts) == {"TEXT": 1}
    assert html(dom) == '<div id="app"><div><span>2</span></div></div>'


def wide(n):
    """A t-string of 32 slots: CPython builds its strings tuple anew each time it runs."""
    return t"""<p>{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}
{n}{n}{n}{n}{n}</p>"""


@pytest.mark.parametrize(
    "view", [lambda n: t"<div>{wide(n)}</div>", lambda n: t"<div>{[wide(n)]}</div>"]
)
def test_a_template_of_30_slots_or_more_is_updated_in_place(view):
    assert wide(1).strings is not wide(1).strings  # what makes this case different
    dom, _, rerender = render(lambda: view(1))
    dom.reset_counts()
    rerender(view(2))
    assert dict(dom.counts) == {"TEXT": 32}  # no node replaced: an input there keeps its state
    assert html(dom) == '<div id="app"><div><p>' + "2" * 27 + "\n" + "2" * 5 + "</p></div></div>"


def test_switching_template_replaces_nodes():
    dom, _, rerender = render(lambda: t"<div>{t'<b>1</b>'}</div>")
    rerender(t"<div>{t'<i>2</i>'}</div>")
    assert html(dom) == '<div id="app"><div><i>2</i></div></div>'


def test_signal_in_text_slot_updates_without_rerender():
    count = Signal(1)
    dom, mounted, _ = render(lambda: t"<p>{count}</p>")
    dom.reset_counts()
    count.value = 2
    mounted.flush()
    assert dict(dom.counts) == {"TEXT": 1}
    assert html(dom) == '<div id="app"><p>2</p></div>'


def test_dangerous_html_is_sanitised():
    markup = '<b onclick="x()">ok</b><script>x()</script><py-script>1</py-script><a href="javascript:x">l</a>'
    dom, _, _ = render(lambda: t"<div>{dangerous_html(markup)}</div>")
    out = html(dom)
    assert "<b>ok</b>" in out
    assert "<script" not in out and "py-script" not in out and "onclick" not in out
    assert "<a>l</a>" in out  # a script URL loses its attribute, as DOMPurify does


def test_dangerous_html_drops_srcdoc():
    markup = '<p srcdoc="<script>parent.pwned=1</script>" title="t"></p>'
    dom, _, _ = render(lambda: t"<div>{dangerous_html(markup)}</div>")
    assert html(dom) == '<div id="app"><div><p title="t"></p></div></div>'


def test_a_template_expected_but_a_string_given_stays_text():
    stored = "<img src=x onerror=alert(1)>"
    dom, _, _ = render(lambda: t"<div>{stored}</div>")
    assert dom.container("#app").find("img") == []
    assert dom.container("#app").text_content == stored


# -- reliability matrix rows at the renderer level (the browser twins are in tests/e2e/test_xss.py)


T2_TEXT = '& < > " \' / ` こんにちは \U0001f363 ""'


def test_text_round_trips_exactly():
    """T2: the exact string reaches the text node; nothing is escaped or decoded on the way."""
    dom, _, _ = render(lambda: t"<p>{T2_TEXT}</p>")
    (clone,) = [entry for entry in dom.log if entry[0] == "CLONE"]
    assert clone[3] == [T2_TEXT]  # the CLONE writes the text node's data
    assert dom.container("#app").find("p")[0].text_content == T2_TEXT


def test_stored_string_where_a_template_is_expected_stays_text():
    """T16: strings are never compiled as templates, not even a component's render() result."""

    stored = '<script type="py">import js</script><b onclick="x">b</b>'

    class Note(Component):
        def render(self):
            return stored

    dom = MemoryDom()
    mount(stored, "#app", backend=dom)
    assert dom.container("#app").text_content == stored
    assert dom.container("#app").select(lambda element: True) == []
    # A render() returning a str is a mistake (an f-string for a t-string): refused, and its
    # markup is neither parsed nor shown (test_component_failures.py has the message).
    errors = []
    previous = set_error_reporter(errors.append)
    try:
        dom = MemoryDom()
        mount(Note(), "#app", backend=dom)
    finally:
        set_error_reporter(previous)
    assert dom.container("#app").text_content == "Note failed to render: RenderResultError"
    assert dom.container("#app").select(lambda element: element.tag in ("script", "b")) == []


def test_markup_like_strings_are_not_trusted():
    """T17: only dangerous_html() inserts HTML; a str with __html__ (MarkupSafe's protocol) is
    still a str, rendered as text."""

    class Markup(str):
        def __html__(self):
            return self

    dom, _, _ = render(lambda: t"<div>{Markup('<img src=x onerror=alert(1)>')}</div>")
    assert dom.container("#app").find("img") == []
    assert dom.container("#app").text_content == "<img src=x onerror=alert(1)>"
