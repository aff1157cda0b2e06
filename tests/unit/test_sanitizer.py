"""dangerous_html() on the memory backend: what a unit test sees is what DOMPurify shows in the
browser (each expectation here was read from DOMPurify 3.4.18, configured by sanitize.js, in
Chromium), and where the memory tree cannot tell what the browser's would be, less.

The same rules are held to the browser's by the conformance table (tests/conformance) and, on
every XSS vector, by tests/e2e/test_raw_html.py.
"""

import re
from pathlib import Path

import pytest

from framework import MemoryDom, dangerous_html, mount
from framework.dom import protocol

SANITIZE_JS = Path(protocol.PATH).parents[1] / "browser" / "sanitize.js"
PNG = "data:image/png;base64,iVBORw0KGgo="


def shown(markup: str) -> str:
    """The slot's HTML once `markup` went through dangerous_html()."""
    dom = MemoryDom()
    mount(t"{dangerous_html(markup)}", "#app", backend=dom)
    return "".join(node.to_html() for node in dom.find("#app").children)


KEPT = [
    '<p class="lead">Some <b>bold</b> and a <a href="https://example.org/a?b=1#c" title="t">'
    "link</a>.</p>",
    '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
    "<details open><summary>s</summary>d</details><marquee>m</marquee>",
    '<svg width="9"><title>t</title><g fill="teal"><circle r="1"></circle></g></svg>',
    "<math><mi>x</mi><mo>=</mo><mtext><b>one</b></mtext></math>",
    '<div data-note="javascript:x()" aria-label="javascript:y()">any value</div>',
    '<label for="f">l</label><output for="f">o</output>',
    f'<img src="{PNG}" alt="a"><video src="{PNG}"></video>',
    "<template><p>later</p></template>",
    '<a href="mailto:a@example.org">1</a><a href="/a/b:c">2</a><a href="#top">3</a>'
    '<a href="?q=javascript:x">4</a><a href>5</a>',
    '<img srcset="a.png 1x, javascript:x 2x">',  # checked as one URL: only its start counts
    '<input value=" as typed ">',  # the one value that is not trimmed
    '<h2 id="user-content-intro">i</h2>',  # already prefixed
]


@pytest.mark.parametrize("markup", KEPT)
def test_what_the_allowlists_allow_is_kept_as_written(markup):
    assert shown(markup) == markup


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("<b>b</b><script>x()</script><i>i</i>", "<b>b</b><i>i</i>"),
        ("<SCRIPT type=py>print(1)</SCRIPT>", ""),
        ("<svg><script>x()</script><g></g></svg>", "<svg><g></g></svg>"),
        ("<template><script>x()</script>t</template>", "<template>t</template>"),
        ("<py-script>print(1)</py-script>", ""),
        ("<py-config>{}</py-config><mpy-config>{}</mpy-config>", ""),
        ("<py-game-script>1</py-game-script><x-script>1</x-script>", ""),
        ("<pyodide-repl><b>1</b></pyodide-repl><micropython-thing>1</micropython-thing>", ""),
        ("<math><py-script>1</py-script></math>", "<math></math>"),
    ],
)
def test_what_pyscript_would_run_goes_with_its_content(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("<style>p{}</style><p>p</p>", "<p>p</p>"),
        ('<link rel="stylesheet" href="/x.css"><meta http-equiv="refresh" content="0">', ""),
        ('<base href="/"><i>i</i>', "<i>i</i>"),
        (
            '<svg><animate attributeName="x"></animate><set to="1"></set>'
            "<animateMotion></animateMotion><discard></discard></svg>",
            "<svg></svg>",
        ),
        ('<iframe src="/f">f</iframe><noscript><b>n</b></noscript>', ""),
        ("<svg><foreignObject><p>f</p></foreignObject></svg>", "<svg></svg>"),
        (
            '<math><annotation-xml encoding="text/html"><b>x</b></annotation-xml></math>',
            "<math></math>",
        ),
    ],
)
def test_page_level_elements_animations_and_frames_go(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ('<x-widget title="t">custom <b>bold</b></x-widget>', "custom <b>bold</b>"),
        ("<foo><i>i</i></foo>", "<i>i</i>"),
        ('<object data="/o"><b>fallback</b></object>', "<b>fallback</b>"),
        ('<svg><use href="#a"></use><g></g></svg>', "<svg><g></g></svg>"),
    ],
)
def test_an_unknown_element_goes_and_its_content_stays(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ('<p onclick="x()" ONMOUSEOVER="y()" title="t">p</p>', '<p title="t">p</p>'),
        (
            '<button py-click="f" mpy-click="f" pyodide-click="f" micropython-env="x" '
            'py-game-click="f" type="button">b</button>',
            '<button type="button">b</button>',
        ),
        (
            '<p srcdoc="x" innerhtml="x" foo="bar" style="color: red">p</p>',
            '<p style="color: red">p</p>',
        ),
        ('<span for="x">s</span>', "<span>s</span>"),  # `for` only on a label or an output
        ('<svg><g attributeName="href"></g></svg>', "<svg><g></g></svg>"),
        ('<p title="--&gt;">p</p><p title="a&lt;/style&gt;">q</p>', "<p>p</p><p>q</p>"),
        ('<p title=" t " class=" c ">p</p>', '<p title="t" class="c">p</p>'),
        ('<p is="x-p">p</p><i>i</i>', "<i>i</i>"),  # a customised built-in goes whole
    ],
)
def test_attributes_go_unless_allowed(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="javascript:x()">a</a>',
        '<a href=" JaVaScRiPt:x()">a</a>',
        '<a href="java&#x09;script:x()">a</a>',
        '<a href="&#106;avascript:x()">a</a>',
        '<a href="javascript&colon;x()">a</a>',
        '<a href="vbscript:x">a</a>',
        f'<a href="{PNG}">a</a>',
        '<a href="x:y">a</a>',  # a scheme not on DOMPurify's list
        '<a ping="/p">a</a>',  # a URL attribute on no allowlist
    ],
)
def test_a_url_that_fails_the_rule_removes_its_attribute(markup):
    assert shown(markup) == "<a>a</a>"


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ('<form action="javascript:x()"></form>', "<form></form>"),
        ('<button formaction="/x">b</button>', "<button>b</button>"),
        (f'<video poster="{PNG}"></video>', "<video></video>"),  # data: only in src and href
        (f'<span src="{PNG}"></span>', "<span></span>"),  # of a media element
        ('<img srcset="javascript:x 1x, a.png 2x">', "<img>"),
        (
            '<svg><a href="javascript:x()"><text>t</text></a></svg>',
            "<svg><a><text>t</text></a></svg>",
        ),
    ],
)
def test_urls_elsewhere(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ('<h2 id="intro">i</h2>', '<h2 id="user-content-intro">i</h2>'),
        ('<img name="createElement">', '<img name="user-content-createElement">'),
        # set again, so last: in the order DOMPurify reaches them, from the last attribute
        (
            '<p id="" name=" n " title="t">p</p>',
            '<p title="t" name="user-content-n" id="user-content-">p</p>',
        ),
        ('<form action="/f"><input name="attributes"></form><p>p</p>', "<p>p</p>"),
    ],
)
def test_ids_and_names_cannot_shadow_the_pages_properties(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("<!--c--><p>a<!--c-->b</p>", "<p>ab</p>"),
        ("<p>&lt;b&gt;</p>", "<p>&lt;b&gt;</p>"),
        ("<p>&lt;b&gt;<!--c--></p><i>i</i>", "<i>i</i>"),  # markup again once serialised
        ('<circle r="1"></circle><mi>x</mi>', ""),  # SVG and MathML names outside their element
        ("<svg><title><b>t</b></title></svg>", "<svg><title></title></svg>"),
        ("<svg><math><mi>x</mi></math></svg>", "<svg></svg>"),
    ],
)
def test_comments_and_what_a_parser_could_read_otherwise_go(markup, html):
    assert shown(markup) == html


@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("<svg><p>p</p></svg>", "<svg></svg>"),  # the browser moves the p out of the svg
        ('<td title="t">c</td><tr><th>h</th></tr>', "ch"),  # as the browser: tags ignored
        ('<html><body title="b"><i>i</i></body></html>', "<i>i</i>"),  # the same
        ('<form title="a"><form title="b">x</form></form>', '<form title="a">x</form>'),  # same
        ("<frameset></frameset><b>x</b>", ""),  # as the browser: a frameset for a body
        ("x<frameset></frameset><b>y</b>", ""),  # the browser ignores it after text
        ('<img name="attributes"><form></form>', '<img name="user-content-attributes">'),
    ],
)
def test_where_the_memory_tree_cannot_tell_it_removes_more(markup, html):
    """html.parser is not the browser's parser, and DOMPurify looks at the browser's tree: here
    the memory backend shows what the browser shows, or less."""
    assert shown(markup) == html


def test_the_forbidden_elements_are_sanitize_js_ones():
    """protocol.json states what sanitize.js gives DOMPurify as FORBID_TAGS, for the memory
    backend: the two lists are the same."""
    source = SANITIZE_JS.read_text(encoding="utf-8")
    forbidden = re.search(r"const FORBID_TAGS = \[(.*?)\];", source, re.DOTALL)
    assert forbidden is not None
    assert set(re.findall(r'"([^"]+)"', forbidden.group(1))) == protocol.FORBIDDEN_ELEMENTS
