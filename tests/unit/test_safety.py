"""URL, class and style rules for bound values (reliability matrix T5-T10, T14, T17)."""

import warnings

import pytest

from framework.dom import protocol
from framework.template.safety import (
    BLOCKED_PREFIX,
    UnsafeValueError,
    attribute_string,
    check_attribute_name,
    check_property_name,
    class_string,
    dangerous_html,
    sanitize_srcset,
    sanitize_url,
    style_dict,
)

BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:abc",
    "  \t \u0000\u001f\u0003javascript\n: x",
    "\t\r\n Jav\rasCr\r\niP\t\n\rt\n:x",
    "jav\u0000ascript:alert(1)",
    " \n Java\n Script:abc",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/javascript;base64,YWxlcnQoMSk=",
]
GOOD_URLS = [
    "http://javascript:0/thisisfine",
    "http://JavaScript/my.js",
    "#anchor",
    "/page1.md",
    "mailto:a@example.org",
    "tel:+123",
    "",
    "https://example.org/?q=javascript:",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_script_urls_are_neutralised(url):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert sanitize_url(url) == BLOCKED_PREFIX + url
    assert caught, "a blocked URL warns the developer"


@pytest.mark.parametrize("url", GOOD_URLS)
def test_ordinary_urls_are_unchanged(url):
    assert sanitize_url(url) == url


@pytest.mark.parametrize("attribute", sorted(protocol.URL_ATTRIBUTES))
def test_every_url_attribute_uses_the_policy(attribute):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert attribute_string("a", attribute, "javascript:x").startswith(BLOCKED_PREFIX)


def test_image_data_url_allowed_only_for_images():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert attribute_string("img", "src", png) == png
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert attribute_string("iframe", "src", png).startswith(BLOCKED_PREFIX)


def test_srcset_candidates_are_each_checked():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sanitize_srcset("a.png 1x, javascript:alert(1) 2x")
    assert result == f"a.png 1x, {BLOCKED_PREFIX}javascript:alert(1) 2x"


def test_srcset_keeps_an_image_data_url_whole():
    """A data: URL holds a comma; it must not be cut there into a second, blocked candidate."""
    srcset = "data:image/png;base64,iVBORw0KGgo= 1x, b.png 2x"
    assert sanitize_srcset(srcset) == srcset


def test_value_is_stringified_once():
    class Flip:
        calls = 0

        def __str__(self):
            Flip.calls += 1
            return "https://ok.example" if Flip.calls == 1 else "javascript:alert(1)"

    assert attribute_string("a", "href", Flip()) == "https://ok.example"
    assert Flip.calls == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a b", "a b"),
        (["a", "", None, "b"], "a b"),
        ({"done": True, "editing": False, "x": 1}, "done x"),
        (None, None),
        (False, None),
    ],
)
def test_class_values(value, expected):
    assert class_string(value) == expected


def test_class_rejects_other_types():
    with pytest.raises(TypeError, match="class takes"):
        class_string(3)


def test_style_is_a_dict_of_properties():
    assert style_dict({"color": "red", "background_color": "#fff", "--gap": "1px", "x": None}) == {
        "color": "red",
        "background-color": "#fff",
        "--gap": "1px",
    }


@pytest.mark.parametrize(
    "value", ["position:fixed;top:0", "color: red; background: url(javascript:alert(1))"]
)
def test_raw_style_string_is_refused(value):
    with pytest.raises(TypeError, match="style takes a dict"):
        style_dict(value)


@pytest.mark.parametrize(
    "value",
    [
        "url(javascript:alert(1))",
        "url('vbscript:x')",
        "expression(alert(1))",
        "url(data:text/html,x)",
    ],
)
def test_style_values_that_run_script_are_refused(value):
    with pytest.raises(UnsafeValueError):
        style_dict({"background": value})


def test_style_allows_http_urls():
    assert style_dict({"background": "url(https://example.org/a.png)"})


def test_dangerous_html_takes_only_str():
    assert dangerous_html("<b>x</b>").html == "<b>x</b>"
    with pytest.raises(TypeError):
        dangerous_html(b"<b>x</b>")


@pytest.mark.parametrize(
    "name", ["srcdoc", "SrcDoc", "py-click", "mpy-click", "pyodide-click", "micropython-click"]
)
def test_attributes_that_run_code_cannot_be_bound(name):
    with pytest.raises(UnsafeValueError, match=name):
        check_attribute_name("iframe", name)


@pytest.mark.parametrize("name", ["innerHTML", "outerHTML", "srcdoc", "INNERHTML"])
def test_properties_that_parse_html_cannot_be_bound(name):
    with pytest.raises(UnsafeValueError, match="parsed as HTML"):
        check_property_name(name)


@pytest.mark.parametrize("name", ["value", "textContent", "checked", "title"])
def test_ordinary_properties_can_be_bound(name):
    check_property_name(name)
