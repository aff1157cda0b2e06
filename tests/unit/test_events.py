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


class _Picker:
    """Handlers of several shapes, recording what each was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def pick(self, row_id):
        self.calls.append(("pick", row_id))

    def pick_with_event(self, row_id, event):
        self.calls.append(("pick_with_event", row_id, event.type))

    def pick_many(self, *values):
        self.calls.append(("pick_many", *[getattr(v, "type", v) for v in values]))

    async def pick_later(self, row_id):
        self.calls.append(("pick_later", row_id))


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        ("pick", ("pick", 7)),
        ("pick_with_event", ("pick_with_event", 7, "click")),
        ("pick_many", ("pick_many", 7, "click")),
        ("pick_later", ("pick_later", 7)),
        ("unbound_pick", ("pick", 7)),
    ],
)
def test_a_tuple_binds_a_handler_to_its_arguments(handler, expected):
    """`onclick={(fn, *arguments)}` calls fn(*arguments), with the event after them when fn
    takes one more parameter; a long list's rows bind this way without a closure each."""
    import asyncio

    from framework.aio.testing import run_sync
    from framework.template.keyed import each

    picker = _Picker()
    bound = {"unbound_pick": (_Picker.pick, picker)}

    def row(row_id):
        fn = bound.get(handler) or (getattr(picker, handler),)
        return t"<li><a onclick={(*fn, row_id)}>{row_id}</a></li>"

    async def scenario():
        dom, _, _ = render(lambda: t"<ul>{each([3, 7, 9], row)}</ul>")
        dom.dispatch(dom.container("#app").find("a")[1], "click")
        await asyncio.sleep(0)  # an async handler runs as a task

    run_sync(scenario())
    assert picker.calls == [expected]


def test_the_same_function_bound_and_unbound_gets_the_event_only_when_it_takes_it():
    """The parameter count is cached per function: a bound method's `self` is not counted."""
    from framework.template.keyed import each

    picker = _Picker()

    def row(row_id):
        return t"<li><a onclick={(_Picker.pick_with_event, picker, row_id)}>x</a><b onclick={(picker.pick_with_event, row_id)}>y</b></li>"

    dom, _, _ = render(lambda: t"<ul>{each([5], row)}</ul>")
    dom.dispatch(dom.container("#app").find("a")[0], "click")
    dom.dispatch(dom.container("#app").find("b")[0], "click")
    assert picker.calls == [("pick_with_event", 5, "click")] * 2


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ((), "EventSlotError", "first item is nothing"),
        ((None, 1), "EventSlotError", "first item is NoneType None"),
        ((3, 1), "EventSlotError", "first item is int 3"),
        (("alert(1)", 1), "UnsafeValueError", "strings are never run as code"),
    ],
)
def test_a_tuple_whose_first_item_is_not_callable_is_refused(value, error, message):
    with pytest.raises(Exception, match=message) as raised:
        render(lambda: t"<button onclick={value}>x</button>")
    assert type(raised.value).__name__ == error


def test_a_tuple_with_a_builtin_passes_the_event_only_if_it_fits():
    """`(seen.append, row_id)` appends the id; `(record, row_id)`, a partial that takes one more
    parameter, gets the event too."""
    import functools

    from framework.template.keyed import each

    seen: list[object] = []
    record = functools.partial(
        lambda tag, row_id, event: seen.append((tag, row_id, event.type)), "p"
    )

    def row(row_id):
        return (
            t"<li><a onclick={(seen.append, row_id)}>x</a><b onclick={(record, row_id)}>y</b></li>"
        )

    dom, _, _ = render(lambda: t"<ul>{each([4], row)}</ul>")
    dom.dispatch(dom.container("#app").find("a")[0], "click")
    dom.dispatch(dom.container("#app").find("b")[0], "click")
    assert seen == [4, ("p", 4, "click")]
