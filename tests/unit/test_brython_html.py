"""`browser.html` builders follow the templates' URL and attribute-name rules (unlike Brython's),
so `html.A(href=...)` is no way around them; `node.href = ...` neither."""

import warnings

import pytest

from framework.brython.html import attribute_items, property_value
from framework.template.safety import BLOCKED_PREFIX, UnsafeValueError

BAD_URLS = ["javascript:alert(1)", " \tJava\nScript:x", "vbscript:x", "data:text/html,<b>"]
URL_ATTRIBUTES = [
    ("a", "href"),
    ("iframe", "src"),
    ("form", "action"),
    ("button", "formaction"),
    ("object", "data"),
    ("video", "poster"),
    ("blockquote", "cite"),
]


@pytest.mark.parametrize(("tag", "name"), URL_ATTRIBUTES)
@pytest.mark.parametrize("url", BAD_URLS)
def test_script_urls_are_neutralised_in_every_url_attribute(tag, name, url):
    with pytest.warns(UserWarning, match="blocked an unsafe URL"):
        assert attribute_items(tag, {name: url}) == [(name, BLOCKED_PREFIX + url)]


@pytest.mark.parametrize("url", ["https://example.org/", "#top", "/a/b", "mailto:a@example.org"])
def test_ordinary_urls_are_kept(url):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert attribute_items("a", {"href": url}) == [("href", url)]


def test_srcset_candidates_are_each_checked():
    with pytest.warns(UserWarning, match="blocked an unsafe URL"):
        items = attribute_items("img", {"srcset": "a.png 1x, javascript:x 2x"})
    assert items == [("srcset", "a.png 1x, unsafe:javascript:x 2x")]


def test_an_image_may_keep_a_data_image_url():
    url = "data:image/png;base64,iVBORw0KGgo="
    assert attribute_items("img", {"src": url}) == [("src", url)]


def test_brython_keyword_names_and_values_become_attribute_strings():
    items = attribute_items("div", {"Class": "box", "data_id": 7, "aria_label": "x"})
    assert items == [("class", "box"), ("data-id", "7"), ("aria-label", "x")]


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ("onclick", r"no inline handlers; bind a function: node.bind\('click', handler\)"),
        ("ONMOUSEOVER", r"bind\('mouseover'"),
        ("py_click", "PyScript attributes would run Python"),
        ("mpy_click", "PyScript attributes would run Python"),
        ("srcdoc", "parsed as HTML"),
    ],
)
def test_names_that_run_code_are_refused(keyword, message):
    with pytest.raises(UnsafeValueError, match=message):
        attribute_items("button", {keyword: "x"})


def test_nothing_is_returned_when_one_attribute_is_refused():
    """The element is never created half-way: the check comes before any attribute is set."""
    with pytest.raises(UnsafeValueError):
        attribute_items("a", {"href": "/ok", "onclick": "x"})


def test_a_url_property_is_checked_like_the_attribute():
    with pytest.warns(UserWarning, match="blocked an unsafe URL"):
        assert property_value("a", "href", "javascript:x") == "unsafe:javascript:x"
    with pytest.warns(UserWarning, match="blocked an unsafe URL"):
        assert property_value("button", "formAction", "javascript:x") == "unsafe:javascript:x"


def test_other_properties_are_written_as_given():
    marker = object()
    assert property_value("input", "value", marker) is marker
    assert property_value("a", "textContent", "javascript:x") == "javascript:x"


@pytest.mark.parametrize("name", ["innerHTML", "outerHTML"])
def test_html_properties_are_refused(name):
    with pytest.raises(UnsafeValueError, match="parsed as HTML"):
        property_value("div", name, "<img src=x onerror=alert(1)>")
