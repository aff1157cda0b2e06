"""Components on the memory DOM: state, events, children, lifecycle, context, boundaries."""

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.errors import set_error_reporter
from framework.reactive import Signal
from tests.unit.render_support import Counter, app_html, click


def test_counter_increments_on_click():
    dom = MemoryDom()
    mount(Counter(start=5), "#app", backend=dom)
    click(dom)
    click(dom)
    assert app_html(dom) == '<div id="app"><button>Count: 7</button></div>'


class Parent(Component):
    def setup(self):
        self.total = Signal(0)
        self.label = Signal("Clicks")

    def on_change(self, value):
        self.total.value = value

    def render(self):
        return t"<div><p>{self.total.value}</p>{Counter(label=self.label.value, on_change=self.on_change)}</div>"


def test_child_emits_event_to_parent():
    dom = MemoryDom()
    mount(Parent(), "#app", backend=dom)
    click(dom)
    assert dom.container("#app").find("p")[0].text_content == "1"
    assert dom.container("#app").find("button")[0].text_content == "Clicks: 1"


def test_parent_rerender_keeps_child_state_and_updates_props():
    dom = MemoryDom()
    mounted = mount(Parent(), "#app", backend=dom)
    click(dom)
    host = mounted.part.content
    host.instance.label.value = "Taps"
    mounted.flush()
    assert dom.container("#app").find("button")[0].text_content == "Taps: 1"


def test_child_rerenders_alone():
    dom = MemoryDom()
    mounted = mount(Parent(), "#app", backend=dom)
    child = mounted.part.content.part.content.parts[1].content.instance
    parent_renders = []
    mounted.part.content.instance.render = _counting(
        mounted.part.content.instance.render, parent_renders
    )
    before = child.renders
    child.count.value = 10
    mounted.flush()
    assert child.renders == before + 1
    assert parent_renders == []


def test_an_event_prop_the_parent_stops_passing_is_no_longer_called():
    class Listener(Component):
        def setup(self):
            self.listening = Signal(True)
            self.seen = []

        def on_change(self, value):
            self.seen.append(value)

        def render(self):
            handlers = {"on_change": self.on_change} if self.listening.value else {}
            return t"<div>{Counter(**handlers)}</div>"

    dom = MemoryDom()
    mounted = mount(Listener(), "#app", backend=dom)
    listener = mounted.part.content.instance
    click(dom)
    listener.listening.value = False
    mounted.flush()
    click(dom)
    assert listener.seen == [1]
    assert dom.container("#app").find("button")[0].text_content == "Count: 2"


def _counting(fn, calls):
    def wrapper():
        calls.append(1)
        return fn()

    return wrapper


def test_children_are_rendered_where_the_component_puts_them():
    class Card(Component):
        title: str

        def render(self):
            return t"<section><h2>{self.title}</h2>{self.children}</section>"

    dom = MemoryDom()
    mount(Card(t"<p>body</p>", "text", title="T"), "#app", backend=dom)
    assert app_html(dom) == '<div id="app"><section><h2>T</h2><p>body</p>text</section></div>'


def test_lifecycle_hooks_and_release_on_unmount():
    events = []

    class Probe(Component):
        def setup(self):
            self.n = Signal(0)

        def mounted(self):
            events.append("mounted")

        def updated(self):
            events.append("updated")

        def unmounted(self):
            events.append("unmounted")

        def render(self):
            return t"<button onclick={(lambda: None)}>{self.n.value}</button>"

    dom = MemoryDom()
    mounted = mount(Probe(), "#app", backend=dom)
    probe = mounted.part.content.instance
    probe.n.value = 1
    mounted.flush()
    handlers_before = len(mounted.renderer.events.owners)
    mounted.unmount()
    assert events == ["mounted", "updated", "unmounted"]
    assert handlers_before == 1 and mounted.renderer.events.owners == {}
    probe.n.value = 2
    mounted.flush()
    assert events == ["mounted", "updated", "unmounted"], "no render after unmount"
    assert dom.container("#app").to_html() == '<div id="app"></div>'


def test_context_provide_inject():
    class Leaf(Component):
        def render(self):
            return t"<i>{self.inject('theme')}</i>"

    class Root(Component):
        def setup(self):
            self.provide("theme", "dark")

        def render(self):
            return t"<div>{Leaf()}</div>"

    dom = MemoryDom()
    mount(Root(), "#app", backend=dom)
    assert dom.container("#app").find("i")[0].text_content == "dark"


def test_error_boundary_shows_fallback_and_app_keeps_working():
    errors = []
    previous = set_error_reporter(errors.append)

    class Broken(Component):
        def render(self):
            raise ValueError("boom")

    class Page(Component):
        def render(self):
            return t"<main>{Broken()}{Counter()}</main>"

    try:
        dom = MemoryDom()
        mount(Page(), "#app", backend=dom)
        click(dom)
    finally:
        set_error_reporter(previous)
    assert [str(e) for e in errors] == ["boom"]
    assert "Broken failed to render: ValueError" in app_html(dom)
    assert dom.container("#app").find("button")[0].text_content == "Count: 1"


def test_keyed_component_list_moves_components():
    class Item(Component):
        name: str

        def render(self):
            return t"<li>{self.name}</li>"

    class List(Component):
        def setup(self):
            self.names = Signal(["a", "b", "c"])

        def render(self):
            return t"<ul>{[Item(name=n, key=n) for n in self.names.value]}</ul>"

    dom = MemoryDom()
    mounted = mount(List(), "#app", backend=dom)
    before = {li.text_content: li for li in dom.container("#app").find("li")}
    mounted.part.content.instance.names.value = ["c", "a", "b"]
    mounted.flush()
    after = dom.container("#app").find("li")
    assert [li.text_content for li in after] == ["c", "a", "b"]
    assert all(li is before[li.text_content] for li in after)


def test_async_parent_handler_of_an_emitted_event_runs():
    import asyncio

    from framework.aio.testing import run_sync

    class Saver(Component):
        def setup(self):
            self.saved = Signal("no")

        async def on_save(self, value):
            await asyncio.sleep(1)
            self.saved.value = value

        def render(self):
            return t"<div><p>{self.saved}</p>{Child(name='tea', on_picked=self.on_save)}</div>"

    class Child(Component):
        name: str

        def render(self):
            return (
                t"<button onclick={(lambda: self.emit('picked', self.name))}>{self.name}</button>"
            )

    async def scenario():
        dom = MemoryDom()
        mounted = mount(Saver(), "#app", backend=dom)
        click(dom)
        await asyncio.sleep(2)
        mounted.flush()
        return dom.container("#app").find("p")[0].text_content

    assert run_sync(scenario()) == "tea"
