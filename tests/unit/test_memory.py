"""The memory backend's own behaviour, where a test depends on it being the browser's. How it
applies the op protocol is held to the browser's by tests/unit/test_backend_conformance.py."""

import pytest

from framework import MemoryDom, mount
from framework.dom.memory import HTML, SVG, Element, parse_fragment


def test_the_document_has_the_pages_app_element():
    dom = MemoryDom()
    mount(t"<p>hi</p>", "#app", backend=dom)
    assert dom.container("#app").to_html() == '<div id="app"><p>hi</p></div>'


def test_mounting_where_no_element_matches_fails_as_in_the_browser():
    with pytest.raises(LookupError, match="no element matches #main"):
        mount(t"<p>hi</p>", "#main", backend=MemoryDom())


def test_container_makes_the_element_a_page_would_have():
    dom = MemoryDom()
    dom.container("#main")
    mount(t"<p>hi</p>", "#main", backend=dom)
    assert dom.find("#main").to_html() == '<div id="main"><p>hi</p></div>'


def test_elements_are_found_by_id_only():
    with pytest.raises(ValueError, match="#id"):
        MemoryDom().find(".app")


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("<div><br/><p>x</p></div><i></i>", "<div><br><p>x</p></div><i></i>"),
        ("<p>a</b>b</p><i></i>", "<p>ab</p><i></i>"),  # a stray end tag closes nothing
        ("<div/><i></i>", "<div><i></i></div>"),  # in HTML `/>` does not close
        ('<svg><circle r="1"/><g></g></svg>', '<svg><circle r="1"></circle><g></g></svg>'),
        ('<p title="a" TITLE="b">x</p>', '<p title="a">x</p>'),  # a repeated attribute: the first
        ("<svg><![CDATA[a<b]]></svg>", "<svg>a&lt;b</svg>"),  # CDATA is text in foreign content
        ("<p><![CDATA[a]]></p>", "<p><!--[CDATA[a]]--></p>"),  # and a comment in HTML
        ("<title><b>t</b></title>", "<title>&lt;b&gt;t&lt;/b&gt;</title>"),  # text in HTML
        ("<svg><title><b>t</b></title></svg>", "<svg><title><b>t</b></title></svg>"),  # not in SVG
    ],
)
def test_markup_nests_as_the_html_parser_nests_it(markup, html):
    assert "".join(node.to_html() for node in parse_fragment(markup).children) == html


def test_svg_content_is_foreign_until_an_integration_point():
    svg = parse_fragment("<svg><g></g><foreignObject><p></p></foreignObject></svg>").children[0]
    assert isinstance(svg, Element)
    g, foreign = svg.children
    assert (svg.namespace, g.namespace, foreign.namespace) == (SVG, SVG, SVG)
    assert foreign.children[0].namespace == HTML


def test_style_is_read_from_the_style_attribute():
    element = Element("p", {"style": "color: red; --gap: 1px;"})
    element.set_style("margin-top", "2px")
    element.set_style("color", None)
    assert element.style == {"--gap": "1px", "margin-top": "2px"}
    assert element.attrs["style"] == "--gap: 1px; margin-top: 2px;"


@pytest.mark.parametrize(
    ("markup", "value"),
    [
        ('<input type="checkbox">', "on"),
        ('<input type="RADIO">', "on"),
        ('<input type="checkbox" value="tea">', "tea"),
        ("<input>", ""),
        ('<input value="typed">', "typed"),
    ],
)
def test_an_inputs_value_is_what_the_browser_reads(markup, value):
    """A checkbox or radio with no value attribute reads "on", as in a browser (what a form
    posts for it), so a handler reading event.target.value gets the same in a unit test."""
    (element,) = parse_fragment(markup).children
    assert element.value == value
