"""Components fail alone: a child whose props, setup() or render() fail shows its fallback in its
own slot, is reported once, and its parent and siblings keep rendering and responding. And
render() must return a template: an f-string is refused with the t"..." fix."""

import pytest

from framework import Component, MemoryDom, PropError, Signal, dangerous_html, mount
from framework.component.checks import RenderResultError
from tests.unit.render_support import Counter, app_html


class BrokenSetup(Component):
    def setup(self):
        raise ValueError("no config")

    def render(self):
        return t"<p>never</p>"


class Score(Component):
    points: int

    def render(self):
        return t"<b>{self.points}</b>"


class Parent(Component):
    def setup(self):
        self.clicks = Signal(0)
        self.bad = Signal(True)

    def click(self):
        self.clicks.value += 1

    def render(self):
        score = Score(points="many") if self.bad.value else Score(points=3)
        return t"""<main>
            <button id="parent" onclick={self.click}>parent {self.clicks.value}</button>
            {BrokenSetup()}
            {Counter(label="first")}
            {score}
            {Counter(label="second")}
        </main>"""


def buttons(dom):
    return {b.attrs.get("id", b.text_content): b for b in dom.container("#app").find("button")}


def test_a_child_whose_setup_raises_leaves_parent_and_siblings_working(errors):
    dom = MemoryDom()
    mounted = mount(Parent(), "#app", backend=dom)
    page = app_html(dom)
    assert "BrokenSetup failed to render: ValueError" in page
    assert "Score failed to render: PropError" in page
    assert "first: 0" in page and "second: 0" in page
    dom.dispatch(buttons(dom)["parent"], "click")
    dom.dispatch(buttons(dom)["first: 0"], "click")
    dom.dispatch(buttons(dom)["second: 0"], "click")
    dom.dispatch(buttons(dom)["second: 1"], "click")
    mounted.flush()
    page = app_html(dom)
    assert "parent 1" in page and "first: 1" in page and "second: 2" in page
    assert "BrokenSetup failed to render: ValueError" in page, "the fallback stays"
    assert sorted(type(e).__name__ for e in errors) == ["PropError", "ValueError"], "each once"


def test_a_child_refused_for_its_props_renders_once_they_are_valid(errors):
    dom = MemoryDom()
    mounted = mount(Parent(), "#app", backend=dom)
    prop_error = next(e for e in errors if isinstance(e, PropError))
    assert "Score: prop 'points' expects int, got 'many' (str)" in str(prop_error)
    assert "test_component_failures.py:" in "".join(prop_error.__notes__)  # the call's line
    mounted.part.content.instance.bad.value = False
    mounted.flush()
    assert "<b>3</b>" in app_html(dom)


def test_a_wrong_prop_outside_any_render_still_raises_at_the_call():
    with pytest.raises(PropError, match="expects int"):
        Score(points="many")


def test_the_same_failure_in_many_rows_is_reported_once_with_a_count(errors):
    class Row(Component):
        n: int

        def setup(self):
            raise KeyError("missing")

        def render(self):
            return t"<li>{self.n}</li>"

    class List(Component):
        def render(self):
            return t"<ul>{[Row(n=n, key=n) for n in range(200)]}</ul>"

    dom = MemoryDom()
    mount(List(), "#app", backend=dom)
    assert len(errors) == 1
    assert "happened 200 times" in "".join(errors[0].__notes__)
    assert app_html(dom).count("Row failed to render: KeyError") == 200


def test_a_fallback_that_raises_gives_way_to_the_default_one(errors):
    class Fragile(Component):
        def render(self):
            raise ValueError("render broke")

        def fallback(self, error):
            raise RuntimeError("fallback broke too")

    dom = MemoryDom()
    mount(t"<div>{Fragile()}</div>", "#app", backend=dom)
    assert "Fragile failed to render: ValueError" in app_html(dom)
    assert [str(e) for e in errors] == ["render broke", "fallback broke too"]


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ("fstring", 'returned a str, not a template: write t"..." (a t-string), not f"..."'),
        ("none", "returned None: a render returns a template"),
        ("list", "returned a list: return a template"),
    ],
)
def test_render_must_return_a_template(errors, returned, message):
    class Greeting(Component):
        def render(self):
            name = "<b>Ada</b>"
            if returned == "none":
                return None
            if returned == "list":
                return [name]
            return f"<p>Hello {name}</p>"

    dom = MemoryDom()
    mount(t"<main>{Greeting()}</main>", "#app", backend=dom)
    page = app_html(dom)
    assert "Greeting failed to render: RenderResultError" in page
    assert "Hello" not in page and "&lt;p&gt;" not in page
    assert isinstance(errors[0], RenderResultError)
    assert message in str(errors[0])
    where = "".join(errors[0].__notes__)
    assert "test_component_failures.py:" in where
    if returned == "fstring":
        assert 'return f"<p>Hello {name}</p>"' in where


@pytest.mark.parametrize(
    ("returned", "shown"),
    [
        (lambda: Counter(label="inner"), "<button>inner: 0</button>"),
        (lambda: dangerous_html("<em>trusted</em>"), "<em>trusted</em>"),
    ],
)
def test_render_may_return_a_component_call_or_trusted_markup(errors, returned, shown):
    class Wrapper(Component):
        def render(self):
            return returned()

    dom = MemoryDom()
    mount(Wrapper(), "#app", backend=dom)
    assert shown in app_html(dom)
    assert errors == []
