"""While the first view is prerendered: `prerendering()`, client-only components, and the
browser's modules as stand-ins that import but refuse any use, saying what and what to do."""

import sys

import pytest

from framework import BrowserOnlyError, Component, Signal, prerendering
from framework.component import mount
from framework.dom.memory import MemoryDom
from framework.environment import install_stand_ins, remove_stand_ins, set_prerendering


@pytest.fixture
def ahead_of_time():
    set_prerendering(True)
    replaced = install_stand_ins()
    yield
    remove_stand_ins(replaced)
    set_prerendering(False)


class Clock(Component):
    client_only = True

    def setup(self):
        self.started = True
        from pyscript import window

        self.zone = window.Intl  # fine in the browser: never run ahead of time

    def render(self):
        return t"<time>now</time>"

    def unmounted(self):
        unmounted.append(self)


unmounted = []


class Page(Component):
    def setup(self):
        self.shown = Signal(True)

    def render(self):
        clock = Clock() if self.shown.value else None
        return t"<main><h1>Hi</h1>{clock}<p>end</p></main>"


def app_html(dom):
    return dom.container("#app").to_html()


def test_prerendering_is_false_unless_the_prerender_says_so(ahead_of_time):
    assert prerendering() is True
    set_prerendering(False)
    assert prerendering() is False


def test_a_client_only_component_renders_nothing_ahead_of_time(ahead_of_time):
    dom = MemoryDom()
    page = mount(Page(), "#app", backend=dom)
    assert app_html(dom) == '<div id="app"><main><h1>Hi</h1><p>end</p></main></div>'
    page.unmount()
    assert unmounted == []  # it never started, so it is not told it ended


def test_a_client_only_component_renders_in_the_browser():
    dom = MemoryDom()
    sys.modules["pyscript"] = type(sys)("pyscript")
    sys.modules["pyscript"].window = type("Window", (), {"Intl": "intl"})
    try:
        mount(Page(), "#app", backend=dom)
    finally:
        del sys.modules["pyscript"]
    assert "<time>now</time>" in app_html(dom)


@pytest.mark.parametrize(
    ("use", "named"),
    [
        ("from pyscript import document; document.querySelector('.x')", "pyscript.document"),
        ("import js; js.window.localStorage.getItem('k')", "js.window.localStorage.getItem"),
        ("from pyscript.web import page; page['#app']", "pyscript.web.page['#app']"),
        ("from js import document; document.title = 'x'", "js.document.title = ..."),
        ("from pyscript import window; bool(window)", "pyscript.window"),
    ],
)
def test_a_browser_object_imports_but_its_use_names_it_and_the_fix(ahead_of_time, use, named):
    with pytest.raises(BrowserOnlyError) as raised:
        exec(use, {})
    message = str(raised.value)
    assert named in message
    assert "while prerendering" in message
    assert "prerendering()" in message and "client_only = True" in message


def test_the_real_modules_come_back_after_the_prerender():
    import js

    replaced = install_stand_ins()
    import js as stand_in

    assert stand_in is not js
    remove_stand_ins(replaced)
    import js as again

    assert again is js
