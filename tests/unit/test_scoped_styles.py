"""Scoped styles: a component's `styles` apply to its own elements only.

The selector rewriting, case by case; the scope attribute on a component's elements (not on
its children's); the stylesheet given to the document once per class.
"""

import pytest

from framework import Component, MemoryDom, Signal, each, mount
from framework.template.scoped_css import CSSScopeError, scope_css, scope_selector_list
from framework.template.scoping import scoped_html

S = "data-s-x"


@pytest.mark.parametrize(
    ("selector", "scoped"),
    [
        (".title", ".title[data-s-x]"),
        ("h1, h2", "h1[data-s-x], h2[data-s-x]"),
        ("h1,\n  .b", "h1[data-s-x], .b[data-s-x]"),
        (".a .b", ".a .b[data-s-x]"),
        (".a > .b", ".a > .b[data-s-x]"),
        (".a>.b", ".a > .b[data-s-x]"),
        (".a + .b ~ .c", ".a + .b ~ .c[data-s-x]"),
        ("a:hover", "a:hover[data-s-x]"),
        ("a::before", "a[data-s-x]::before"),
        ("li:first-child::marker", "li:first-child[data-s-x]::marker"),
        ("p:before", "p[data-s-x]:before"),
        ("li:nth-child(2n+1)", "li:nth-child(2n+1)[data-s-x]"),
        (":is(.a, .b) > p:not(.c, .d)", ":is(.a, .b) > p:not(.c, .d)[data-s-x]"),
        ("input[type='a, b']", "input[type='a, b'][data-s-x]"),
        ("[class~=x]", "[class~=x][data-s-x]"),
        ("*", "*[data-s-x]"),
        (r".sm\:p-4", r".sm\:p-4[data-s-x]"),
        (":global(body.dark) .title", "body.dark .title[data-s-x]"),
        (".card :global(.x)", ".card[data-s-x] .x"),
        (":global(.x)", ".x"),
    ],
)
def test_a_selectors_subject_is_scoped(selector, scoped):
    assert scope_selector_list(selector, S) == scoped


def test_media_blocks_are_scoped_inside_and_keyframes_kept():
    css = """
        /* a comment { .not-a-rule } */
        .a { color: red }
        @media (max-width: 600px) { .a, .b:hover { color: blue } }
        @keyframes spin { from { rotate: 0deg } to { rotate: 360deg } }
        @import url("x.css");
        .c::after { content: "} ," }
    """
    assert scope_css(css, S).splitlines() == [
        ".a[data-s-x] { color: red }",
        "@media (max-width: 600px) {.a[data-s-x], .b:hover[data-s-x] { color: blue }}",
        "@keyframes spin { from { rotate: 0deg } to { rotate: 360deg } }",
        '@import url("x.css");',
        '.c[data-s-x]::after { content: "} ," }',
    ]


@pytest.mark.parametrize(
    "css", [".a { color: red", ".a { content: 'x }", ".a[x { }", "/* x", ", .b {}"]
)
def test_broken_styles_are_refused(css):
    with pytest.raises(CSSScopeError):
        scope_css(css, S)


def test_the_attribute_goes_on_every_element_of_a_template():
    html = '<ul f-$ class="a<b"><li>x</li><!--$--><style>p<i {}</style><br></ul>'
    assert scoped_html(html, S) == (
        '<ul data-s-x f-$ class="a<b"><li data-s-x>x</li><!--$-->'
        "<style data-s-x>p<i {}</style><br data-s-x></ul>"
    )


class Child(Component):
    def render(self):
        return t'<p class="title">child</p>'


class Card(Component):
    styles = ".title { color: teal; }"
    label: str = "card"

    def render(self):
        items = each(["a", "b"], lambda item: t"<li>{item}</li>")
        return t'<h2 class="title">{self.label}</h2><ul>{items}</ul>{Child()}'


def scope_of(element):
    return [name for name in element.attrs if name.startswith("data-s-")]


def test_a_components_elements_carry_its_scope_and_its_childrens_do_not():
    dom = MemoryDom()
    mount(Card(), "#app", backend=dom)
    app = dom.container("#app")
    scope = Card._scope
    assert scope is not None
    for tag in ("h2", "ul", "li"):
        assert all(scope_of(element) == [scope] for element in app.find(tag)), tag
    assert scope_of(app.find("p")[0]) == []
    assert dom.stylesheets == {scope: f".title[{scope}] {{ color: teal; }}"}


def test_the_stylesheet_is_given_once_and_kept_when_no_instance_remains():
    dom = MemoryDom()
    shown = Signal(2)

    class Cards(Component):
        def render(self):
            return t"{[Card(label=str(i)) for i in range(shown.value)]}"

    app = mount(Cards(), "#app", backend=dom)
    shown.value = 0
    app.flush()
    shown.value = 1
    app.flush()
    assert [entry[0] for entry in dom.log].count("STYLESHEET") == 1
    assert list(dom.stylesheets) == [Card._scope]


def test_a_template_shared_by_a_styled_and_a_plain_component_is_scoped_in_the_styled_one():
    def badge(text):
        return t'<b class="title">{text}</b>'

    class Plain(Component):
        def render(self):
            return badge("plain")

    class Styled(Component):
        styles = "b { font-weight: 900 }"

        def render(self):
            return badge("styled")

    dom = MemoryDom()
    mount(t"{Plain()}{Styled()}", "#app", backend=dom)
    plain, styled = dom.container("#app").find("b")
    assert scope_of(plain) == [] and scope_of(styled) == [Styled._scope]


def test_the_scope_is_stable_and_differs_by_class_and_css():
    def make(css):
        class Same(Component):
            styles = css

            def render(self):
                return t""

        return Same._scope

    assert make(".a {}") == make(".a {}") != make(".b {}")
    assert Card._scope != make(Card.styles)


def test_styles_are_not_a_prop():
    dom = MemoryDom()
    mount(Card(label="x"), "#app", backend=dom)
    with pytest.raises(TypeError, match="styles"):
        Card(styles=".a {}")


def test_styles_that_are_not_a_str_are_refused_when_the_class_is_defined():
    with pytest.raises(TypeError, match="must be a str of CSS"):

        class Wrong(Component):
            styles = (".a {}",)


def test_templates_passed_as_children_take_the_scope_of_the_component_rendering_them():
    class Frame(Component):
        styles = "p { margin: 0 }"

        def render(self):
            return t"<div>{self.children}</div>"

    class Page(Component):
        styles = "p { margin: 1em }"

        def render(self):
            return t"<p>own</p>{Frame(t'<p>passed</p>')}"

    dom = MemoryDom()
    mount(Page(), "#app", backend=dom)
    own, passed = dom.container("#app").find("p")
    assert scope_of(own) == [Page._scope] and scope_of(passed) == [Frame._scope]
