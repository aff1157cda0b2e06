"""A failed component's default fallback is an element valid where the component stands: an <li>
in a list, a row in a table, a <span> in a paragraph, nothing in a <select>."""

import pytest

from framework import Component, MemoryDom, mount
from framework.errors import set_error_reporter


@pytest.fixture(autouse=True)
def quiet():
    previous = set_error_reporter(lambda error: None)
    yield
    set_error_reporter(previous)


class Broken(Component):
    def render(self):
        raise ValueError("no")


MESSAGE = 'class="framework-error-boundary" role="alert">Broken failed to render: ValueError'


def rendered(template_fn):
    dom = MemoryDom()
    mount(template_fn(), "#app", backend=dom)
    return dom.container("#app").to_html()


ROW = f"<tr {MESSAGE.replace('>B', '><td>B')}</td></tr>"


@pytest.mark.parametrize(
    ("template_fn", "shown"),
    [
        (lambda: t"<ul>{Broken()}</ul>", f"<ul><li {MESSAGE}</li></ul>"),
        (lambda: t"<ol>{[Broken()]}</ol>", f"<ol><li {MESSAGE}</li></ol>"),
        (lambda: t"<table><tbody>{[Broken()]}</tbody></table>", f"<tbody>{ROW}</tbody>"),
        (lambda: t"<table>{Broken()}</table>", f"<table>{ROW}</table>"),
        (lambda: t"<table><tr>{Broken()}</tr></table>", f"<tr><td {MESSAGE}</td></tr>"),
        (lambda: t"<dl>{Broken()}</dl>", f"<dl><dd {MESSAGE}</dd></dl>"),
        (lambda: t"<p>{Broken()}</p>", f"<p><span {MESSAGE}</span></p>"),
        (lambda: t"<button>{Broken()}</button>", f"<button><span {MESSAGE}</span></button>"),
        (lambda: t"<a>{Broken()}</a>", f"<a><span {MESSAGE}</span></a>"),
        (lambda: t"<select>{Broken()}</select>", "<select></select>"),
        (lambda: t"<section>{Broken()}</section>", f"<section><div {MESSAGE}</div></section>"),
        (lambda: t"{Broken()}", f"<div {MESSAGE}</div>"),
    ],
    ids=["ul", "ol", "tbody", "table", "tr", "dl", "p", "button", "a", "select", "section", "top"],
)
def test_the_default_fallback_fits_the_parent_element(template_fn, shown):
    assert shown in rendered(template_fn)


def test_a_component_between_passes_on_where_it_stands():
    class Row(Component):
        def render(self):
            return t"{Broken()}"  # its top level is the <ul> its own caller put it in

    assert f"<ul><li {MESSAGE}</li></ul>" in rendered(lambda: t"<ul>{[Row()]}</ul>")


def test_a_component_placed_in_a_list_item_gets_a_div_again():
    class Row(Component):
        def render(self):
            return t"<li>{Broken()}</li>"

    assert f"<ul><li><div {MESSAGE}</div></li></ul>" in rendered(lambda: t"<ul>{Row()}</ul>")


def test_a_failing_prop_check_fits_too():
    class Typed(Component):
        n: int

    class List(Component):
        def render(self):  # inside a render, a refused call fails alone at its boundary
            return t"<ul>{Typed(n='x')}</ul>"

    html = rendered(List)
    assert '<ul><li class="framework-error-boundary" role="alert">Typed failed' in html


def test_a_users_own_fallback_is_used_as_written():
    class Own(Broken):
        def fallback(self, error):
            return t"<div class=own>mine</div>"

    assert '<ul><div class="own">mine</div></ul>' in rendered(lambda: t"<ul>{Own()}</ul>")
