"""Template parsing: markers, part specs, and errors that point at the slot."""

import pytest

from framework.component import mount
from framework.dom.memory import MemoryDom
from framework.template.parser import CHILD_MARKER, ELEMENT_MARKER, TemplateSyntaxError, parse
from framework.template.specs import AttrSpec, ChildSpec, ElementSpec


def parse_t(template):
    return parse(template.strings, tuple(i.expression for i in template.interpolations))


def test_text_slot_becomes_a_child_marker():
    name = "x"
    parsed = parse_t(t"<p>Hello {name}!</p>")
    assert parsed.html == f"<p>Hello {CHILD_MARKER}!</p>"
    assert parsed.parts == [ChildSpec(0, parent="p")]  # inside a <p>


def test_attribute_slots_mark_the_element_once():
    a, b = "x", "y"
    parsed = parse_t(t'<a href={a} title="t {b}" id="k">x</a>')
    assert parsed.html == f'<a {ELEMENT_MARKER} id="k">x</a>'
    [element] = parsed.parts
    assert isinstance(element, ElementSpec)
    assert element.attrs == (
        AttrSpec("href", "attr", ("", ""), (0,)),
        AttrSpec("title", "attr", ("t ", ""), (1,)),
    )


@pytest.mark.parametrize(
    ("source", "kind", "name", "modifiers"),
    [
        ("onclick", "event", "click", ()),
        ("onkeydown.enter.prevent", "event", "keydown", ("enter", "prevent")),
        (".value", "prop", "value", ()),
        ("value", "prop", "value", ()),
        ("checked", "prop", "checked", ()),
        ("?disabled", "bool", "disabled", ()),
        ("class", "class", "class", ()),
        ("style", "style", "style", ()),
        ("ref", "ref", "ref", ()),
        ("bind:value", "bind", "value", ()),
        ("data-id", "attr", "data-id", ()),
    ],
)
def test_attribute_kinds(source, kind, name, modifiers):
    strings = (f"<input {source}=", ">")
    [element] = parse(strings, ("v",)).parts
    assert isinstance(element, ElementSpec)
    assert element.attrs[0].kind == kind
    assert element.attrs[0].name == name
    assert element.attrs[0].modifiers == modifiers


def test_parts_are_in_document_order():
    a = b = c = 1
    parsed = parse_t(t"<ul class={a}><li>{b}</li><li id={c}></li></ul>")
    assert [type(p).__name__ for p in parsed.parts] == ["ElementSpec", "ChildSpec", "ElementSpec"]


def test_multiline_indentation_is_not_content():
    x = 1
    parsed = parse_t(t"""
        <li>{x}</li>
    """)
    assert parsed.html == f"<li>{CHILD_MARKER}</li>"


def test_self_closing_non_void_is_expanded():
    assert parse(("<div/><br/>",), ()).html == "<div></div><br>"


@pytest.mark.parametrize(
    ("strings", "message"),
    [
        (("<", ">x</div>"), "tag name"),
        (("<div ", "=1></div>"), "whole attribute"),
        (("<div data-", "=1></div>"), "attribute name"),
        (("<script>var a = ", ";</script>"), "inside <script>"),
        (("<style>a { color: ", " }</style>"), "inside <style>"),
        (("<!-- ", " -->"), "comment"),
        (("<div ", "></div>"), "whole attribute"),
        (("<textarea>", "</textarea>"), ".value"),
    ],
)
def test_slot_in_forbidden_place_is_an_error_pointing_at_it(strings, message):
    with pytest.raises(TemplateSyntaxError) as error:
        parse(strings, ("bad",))
    text = str(error.value)
    assert message in text
    assert "{bad}" in text
    source_line, caret_line = text.splitlines()[-2:]
    column = source_line.index("{bad}")
    assert caret_line.index("^") == column
    assert caret_line.strip() == "^" * len("{bad}")


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("<div><span></div>", "</div> does not match: <span> is still open"),
        ("<ul><li>a</ul>", "</ul> does not match"),
        ("<div>", "<div> is never closed"),
        ("</p>", "nothing is open"),
        ('<a onclick="alert(1)">x</a>', "inline JavaScript"),
        ('<div py-click="f">x</div>', "py-*/mpy-*"),
        ('<div mpy-click="f">x</div>', "py-*/mpy-*"),
    ],
)
def test_malformed_templates_are_errors(markup, message):
    with pytest.raises(TemplateSyntaxError, match=message.replace("*", r"\*")):
        parse((markup,), ())


def test_multi_slot_event_is_an_error():
    with pytest.raises(TemplateSyntaxError, match="single slot"):
        parse(('<a onclick="x ', '">y</a>'), ("f",))


def test_error_line_is_the_line_of_the_slot():
    strings = ("<div>\n  <p>ok</p>\n  <", ">\n</div>")
    with pytest.raises(TemplateSyntaxError) as error:
        parse(strings, ("tag",))
    assert "  <{tag}>" in str(error.value)


# -- reliability matrix rows at the parser level (the browser twins are in tests/e2e/test_xss.py)


@pytest.mark.parametrize(
    "name", ["onmouseover", "py-click", "mpy-click", "x onload=y", "a/b", "a>b", "a=b", ""]
)
def test_attribute_name_from_data_is_refused_and_never_set(name):
    """T12: a slot cannot be an attribute name, whatever it holds."""
    from string.templatelib import Interpolation, Template

    dom = MemoryDom()
    template = Template("<div ", Interpolation(name, "name"), '="1">x</div>')
    with pytest.raises(TemplateSyntaxError, match="not a whole attribute"):
        mount(template, "#app", backend=dom)
    assert not [entry for entry in dom.log if entry[0] in ("ATTR", "DEFINE")]


@pytest.mark.parametrize(
    "markup", ["<div x onload=y>x</div>", "<img src=x onerror=alert(1)>", '<p ONCLICK="x">p</p>']
)
def test_static_inline_handlers_are_refused(markup):
    from string.templatelib import Template

    with pytest.raises(TemplateSyntaxError, match="inline JavaScript"):
        mount(Template(markup), "#app", backend=MemoryDom())


def test_a_child_slot_knows_the_element_around_it():
    name = "x"
    parsed = parse_t(t"{name}<ul><li>{name}</li>{name}</ul>")
    assert [(spec.top, spec.parent) for spec in parsed.parts] == [
        (True, ""),
        (False, "li"),
        (False, "ul"),
    ]
