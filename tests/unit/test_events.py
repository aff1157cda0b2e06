"""Event handlers: modifiers, several handlers per element, async handlers, and listeners that
stop when their last handler goes."""

import pytest

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.errors import set_error_reporter
from framework.reactive import Signal
from tests.unit.render_support import render


def test_event_handler_runs_with_modifiers():
    seen = []
    dom, _, _ = render(lambda: t"<input onkeydown.enter.prevent={(lambda e: seen.append(e.key))}>")
    field = dom.container("#app").find("input")[0]
    dom.dispatch(field, "keydown", key="a")
    event = dom.dispatch(field, "keydown", key="Enter")
    assert seen == ["Enter"]
    assert event.defaultPrevented


def test_string_event_handler_is_refused():
    from framework.template.safety import UnsafeValueError

    with pytest.raises(UnsafeValueError, match="callable"):
        render(lambda: t"<button onclick={'alert(1)'}>x</button>")


@pytest.mark.parametrize("fails", [False, True])
def test_async_handler_runs_as_a_task_and_its_error_is_reported(fails):
    import asyncio

    from framework.aio.testing import run_sync

    status = Signal("idle")

    async def save():
        status.value = "saving"
        await asyncio.sleep(1)
        if fails:
            raise RuntimeError("server said no")
        status.value = "saved"

    async def scenario():
        dom = MemoryDom()
        mounted = mount(t"<button onclick={save}>{status}</button>", "#app", backend=dom)
        dom.dispatch(dom.container("#app").find("button")[0], "click")
        await asyncio.sleep(0)
        seen = [status.value]
        await asyncio.sleep(2)
        mounted.flush()
        return seen, dom.container("#app").find("button")[0].text_content

    errors = []
    previous = set_error_reporter(errors.append)
    try:
        seen, text = run_sync(scenario())
    finally:
        set_error_reporter(previous)
    assert seen == ["saving"]
    assert text == ("saving" if fails else "saved")
    assert [str(e) for e in errors] == (["server said no"] if fails else [])


def test_handlers_of_one_event_type_on_one_element_all_run():
    draft, seen = Signal(""), []
    template = (
        t"<input bind:value={draft} oninput={(lambda: seen.append(draft.value))} "
        t"onkeydown.enter={(lambda: seen.append('enter'))} "
        t"onkeydown.escape={(lambda: seen.append('escape'))}>"
    )
    dom = MemoryDom()
    mount(template, "#app", backend=dom)
    field = dom.container("#app").find("input")[0]

    class Target:
        value = "milk"

    dom.dispatch(field, "input", target=Target())
    dom.dispatch(field, "keydown", key="Enter")
    dom.dispatch(field, "keydown", key="Escape")
    dom.dispatch(field, "keydown", key="a")
    assert seen == ["milk", "enter", "escape"]
    (define,) = [entry for entry in dom.log if entry[0] == "DEFINE"]
    assert sorted(define[4]) == [(0, "input"), (0, "keydown")]  # routed once per event type


def test_a_handler_that_goes_to_none_stops_running_and_the_event_reaches_the_parent():
    enter_on, escape_on, seen = Signal(True), Signal(True), []

    class EditBox(Component):
        def render(self):
            enter = (lambda: seen.append("enter")) if enter_on.value else None
            escape = (lambda: seen.append("escape")) if escape_on.value else None
            return t"<div onkeydown={(lambda: seen.append('div'))}><input onkeydown.enter={enter} onkeydown.escape={escape}></div>"

    dom = MemoryDom()
    mounted = mount(EditBox(), "#app", backend=dom)
    field = dom.container("#app").find("input")[0]
    escape_on.value = False
    mounted.flush()
    dom.dispatch(field, "keydown", key="Escape")
    dom.dispatch(field, "keydown", key="Enter")
    enter_on.value = False
    mounted.flush()
    dom.dispatch(field, "keydown", key="Enter")
    assert seen == ["div", "enter", "div", "div"]
    assert sum(dom.counts[name] for name in ("TEXT", "ATTR", "UNATTR")) == 0  # no op for it


def test_a_once_handler_runs_once_and_a_later_render_keeps_it_quiet():
    seen = []

    def view(handler):
        return t"<button onclick.once={handler}>x</button>"

    dom, _, rerender = render(lambda: view(lambda: seen.append(1)))
    button = dom.container("#app").find("button")[0]
    dom.dispatch(button, "click")
    dom.dispatch(button, "click")
    rerender(view(lambda: seen.append(2)))
    dom.dispatch(button, "click")
    assert seen == [1]


@pytest.mark.parametrize("removed", [0, 1, 2])
def test_each_element_reaches_its_own_rows_handler_and_a_removed_rows_reaches_none(removed):
    """Handlers are found by the instance that owns the element (one entry per row), so a row's
    nested template, its neighbours and a row that has gone never answer for one another."""
    from framework.template.keyed import each

    seen: list[str] = []

    def inner(name):
        return t"<i><b onclick={(lambda: seen.append(f'inner {name}'))}>{name}</b></i>"

    def row(name):
        return t"<li><a onclick={(lambda: seen.append(name))}>{name}</a>{inner(name)}</li>"

    dom, _, rerender = render(lambda: t"<ul>{each(['x', 'y', 'z'], row)}</ul>")
    links, bolds = dom.container("#app").find("a"), dom.container("#app").find("b")
    for element in (*links, *bolds):
        dom.dispatch(element, "click")
    assert seen == ["x", "y", "z", "inner x", "inner y", "inner z"]
    kept = [name for index, name in enumerate("xyz") if index != removed]
    rerender(t"<ul>{each(kept, row)}</ul>")
    seen.clear()
    dom.dispatch(links[removed], "click")
    dom.dispatch(bolds[removed], "click")
    assert seen == []
    for element in dom.container("#app").find("a"):
        dom.dispatch(element, "click")
    assert seen == kept
