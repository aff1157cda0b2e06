"""Components on the memory DOM: props, state, events, children, lifecycle, context, boundaries."""

from dataclasses import dataclass

import pytest

from framework.component import Component, PropError, mount
from framework.dom.memory import MemoryDom
from framework.errors import set_error_reporter
from framework.reactive import Signal
from framework.template.render import Ref


class Counter(Component):
    start: int = 0
    label: str = "Count"

    def setup(self):
        self.count = Signal(self.start)
        self.renders = 0

    def increment(self):
        self.count.value += 1
        self.emit("change", self.count.value)

    def render(self):
        self.renders += 1
        return t"<button onclick={self.increment}>{self.label}: {self.count.value}</button>"


def app_html(dom):
    return dom.container("#app").to_html()


def click(dom, tag="button", index=0):
    dom.dispatch(dom.container("#app").find(tag)[index], "click")


def test_counter_increments_on_click():
    dom = MemoryDom()
    mount(Counter(start=5), "#app", backend=dom)
    click(dom)
    click(dom)
    assert app_html(dom) == '<div id="app"><button>Count: 7</button></div>'


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"start": "x"}, "Counter: prop 'start' expects int, got 'x' (str)"),
        ({"strat": 1}, "Counter: unknown prop 'strat'"),
        ({"on_change": 3}, "Counter: event prop 'on_change' must be callable"),
    ],
)
def test_bad_props_name_component_and_prop(props, message):
    with pytest.raises(PropError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Counter(**props)


def test_missing_required_prop():
    class Title(Component):
        text: str

        def render(self):
            return t"<h1>{self.text}</h1>"

    with pytest.raises(PropError, match="missing required prop 'text'"):
        Title()


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


@dataclass(frozen=True)
class Point:
    x: int


class Shows(Component):
    value: object

    def setup(self):
        self.renders = 0

    def render(self):
        self.renders += 1
        return t"<p>{str(self.value)}</p>"


@pytest.mark.parametrize(
    ("make", "rerenders"),
    [
        pytest.param(lambda tick: f"label {tick // 10}", 0, id="equal-string-built-anew"),
        pytest.param(lambda tick: 1000 + tick // 10, 0, id="equal-number"),
        pytest.param(lambda tick: SHARED, 0, id="same-object"),
        pytest.param(lambda tick: Point(tick // 10), 1, id="equal-new-object"),
        pytest.param(lambda tick: [tick // 10], 1, id="equal-new-list"),
        pytest.param(lambda tick: 1 if tick == 1 else True, 1, id="equal-other-type"),
    ],
)
def test_a_prop_changes_when_it_is_a_new_object_or_a_different_plain_value(make, rerenders):
    class Holder(Component):
        def setup(self):
            self.tick = Signal(1)

        def render(self):
            return t"<div>{self.tick.value}{Shows(value=make(self.tick.value))}</div>"

    dom = MemoryDom()
    mounted = mount(Holder(), "#app", backend=dom)
    holder = mounted.part.content.instance
    child = mounted.part.content.part.content.parts[1].content.instance
    holder.tick.value = 2  # the parent renders again and passes the prop again
    mounted.flush()
    assert child.renders == 1 + rerenders
    assert dom.container("#app").find("p")[0].text_content == str(make(2))


SHARED = Point(0)


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
    handlers_before = len(mounted.renderer.handlers)
    mounted.unmount()
    assert events == ["mounted", "updated", "unmounted"]
    assert handlers_before == 1 and mounted.renderer.handlers == {}
    probe.n.value = 2
    mounted.flush()
    assert events == ["mounted", "updated", "unmounted"], "no render after unmount"
    assert dom.container("#app").to_html() == '<div id="app"></div>'


def test_mount_unmount_1000_times_leaves_nothing_registered():
    dom = MemoryDom()
    for _ in range(1000):
        mounted = mount(Counter(), "#app", backend=dom)
        mounted.unmount()
    assert mounted.renderer.handlers == {}
    assert len(dom.nodes) == 0


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


@pytest.mark.parametrize(
    ("markup_input", "event", "field", "typed", "expected"),
    [("text", "input", "value", "hello", "hello"), ("checkbox", "change", "checked", True, True)],
)
def test_two_way_binding(markup_input, event, field, typed, expected):
    state = Signal("" if field == "value" else False)

    class Form(Component):
        def render(self):
            if field == "value":
                return t"<input type={markup_input} bind:value={state}>"
            return t"<input type={markup_input} bind:checked={state}>"

    dom = MemoryDom()
    mounted = mount(Form(), "#app", backend=dom)
    element = dom.container("#app").find("input")[0]
    dom.dispatch(element, event, target=_Target(**{field: typed}))
    assert state.value == expected
    state.value = "set from code" if field == "value" else False
    mounted.flush()
    assert element.props[field] == state.value


def test_radio_group_binding():
    choice = Signal("b")

    class Radios(Component):
        def render(self):
            return t'<input type="radio" value="a" bind:group={choice}><input type="radio" value="b" bind:group={choice}>'

    dom = MemoryDom()
    mounted = mount(Radios(), "#app", backend=dom)
    first, second = dom.container("#app").find("input")
    assert (first.props["checked"], second.props["checked"]) == (False, True)
    dom.dispatch(first, "change", target=_Target(value="a", checked=True))
    mounted.flush()
    assert choice.value == "a"
    assert (first.props["checked"], second.props["checked"]) == (True, False)


def test_ref_gives_the_node():
    ref = Ref()

    class Focus(Component):
        def render(self):
            return t"<input ref={ref}>"

    dom = MemoryDom()
    mount(Focus(), "#app", backend=dom)
    assert ref.current is dom.container("#app").find("input")[0]


class _Target:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def test_an_unmounted_memory_dom_is_freed_with_what_it_rendered():
    import gc
    import weakref

    dom = MemoryDom()
    mounted = mount(Counter(start=1), "#app", backend=dom)
    mounted.unmount()
    gone = weakref.ref(dom)
    del dom, mounted
    gc.collect()
    assert gone() is None


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
