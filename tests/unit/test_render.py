"""Rendering templates into the recording memory DOM: output, and exactly which ops were sent."""

import pytest

from framework.component import mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal
from framework.template.render import keyed
from framework.template.safety import dangerous_html


def render(value_fn):
    """Mount a component-less template and return (dom, mounted, rerender)."""
    dom = MemoryDom()
    state = {"value": value_fn()}
    mounted = mount(state["value"], "#app", backend=dom)

    def rerender(template):
        mounted.part.set(template)
        mounted.flush()

    return dom, mounted, rerender


def html(dom):
    return dom.container("#app").to_html()


def row(item):
    return keyed(
        item["id"],
        t"<tr class={item.get('cls')}><td>{item['id']}</td><td>{item['label']}</td></tr>",
    )


def table(items):
    return t"<table><tbody>{[row(i) for i in items]}</tbody></table>"


def rows(count, start=1):
    return [{"id": i, "label": f"row {i}"} for i in range(start, start + count)]


def row_ids(dom):
    return [int(tr.children[0].text_content) for tr in dom.container("#app").find("tr")]


def test_text_and_attributes_render():
    name, cls = "Ada", "big"
    dom, _, _ = render(lambda: t'<p class={cls} title="hi {name}">Hello {name}!</p>')
    assert html(dom) == '<div id="app"><p class="big" title="hi Ada">Hello Ada!</p></div>'


def test_rerender_touches_only_changed_slots():
    dom, _, rerender = render(lambda: t"<p class={'a'}>{'x'}</p>")
    dom.reset_counts()
    rerender(t"<p class={'a'}>{'y'}</p>")
    assert dict(dom.counts) == {"TEXT": 1}
    dom.reset_counts()
    rerender(t"<p class={'a'}>{'y'}</p>")
    assert dict(dom.counts) == {}


def test_a_list_changed_in_place_renders_again_in_the_same_slot():
    items = ["a"]
    dom, _, rerender = render(lambda: t"<ul>{items}</ul>")
    items.append("b")
    rerender(t"<ul>{items}</ul>")  # the same list object, with more in it
    assert html(dom) == '<div id="app"><ul>ab</ul></div>'


@pytest.mark.parametrize(
    ("new", "old_clicks", "new_clicks"),
    [
        pytest.param("same", 1, 1, id="same-object-new-bound-method"),
        pytest.param("other", 0, 1, id="other-object"),
    ],
)
def test_a_rerendered_bound_method_handler_sends_no_ops_and_calls_its_object(
    new, old_clicks, new_clicks
):
    class Box:
        def __init__(self):
            self.clicks = 0

        def click(self):
            self.clicks += 1

    first, second = Box(), Box()
    dom, _, rerender = render(lambda: t"<button onclick={first.click}>x</button>")
    dom.reset_counts()
    target = first if new == "same" else second
    rerender(t"<button onclick={target.click}>x</button>")
    assert dict(dom.counts) == {}  # the listener stays: only the Python callable may change
    dom.dispatch(dom.container("#app").find("button")[0], "click")
    assert (first.clicks, second.clicks) == (old_clicks, 1 - old_clicks)
    assert target.clicks == new_clicks


def test_an_attribute_with_two_slots_updates_when_only_one_changes():
    dom, _, rerender = render(lambda: t'<p title="{"a"}-{"b"}">x</p>')
    dom.reset_counts()
    rerender(t'<p title="{"a"}-{"c"}">x</p>')
    assert dict(dom.counts) == {"ATTR": 1}
    assert dom.container("#app").find("p")[0].attrs["title"] == "a-c"


def test_a_new_element_sends_nothing_for_attributes_that_start_absent():
    dom = MemoryDom()
    mounted = mount(t"<p class={None} title={None} ?hidden={False}>x</p>", "#app", backend=dom)
    assert "UNATTR" not in dom.counts
    paragraph = dom.container("#app").find("p")[0]
    assert paragraph.attrs == {}
    mounted.part.set(t"<p class={'a'} title={'t'} ?hidden={True}>x</p>")
    mounted.flush()
    assert paragraph.attrs == {"class": "a", "title": "t", "hidden": ""}
    dom.reset_counts()
    mounted.part.set(t"<p class={None} title={None} ?hidden={False}>x</p>")
    mounted.flush()
    assert dict(dom.counts) == {"UNATTR": 3}
    assert paragraph.attrs == {}


def test_after_a_slot_fails_the_next_render_updates_the_slots_it_did_not_reach():
    title = "new"
    dom, _, rerender = render(lambda: t"<p>{'x'}</p><i title={'old'}></i>")
    with pytest.raises(TypeError, match="cannot render a object"):
        rerender(t"<p>{object()}</p><i title={title}></i>")  # fails before the title is set
    rerender(t"<p>{'ok'}</p><i title={title}></i>")  # the same title object as the failed one
    assert html(dom) == '<div id="app"><p>ok</p><i title="new"></i></div>'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (False, ""),
        ("", ""),
        (0, "0"),
        (3.5, "3.5"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ],
)
def test_child_values(value, expected):
    dom, _, _ = render(lambda: t"<p>{value}</p>")
    assert html(dom) == f'<div id="app"><p>{expected}</p></div>'


@pytest.mark.parametrize(("value", "present"), [(True, True), (False, False), (None, False)])
def test_boolean_attributes(value, present):
    dom, _, _ = render(lambda: t"<button disabled={value}>x</button>")
    assert ("disabled" in dom.container("#app").find("button")[0].attrs) is present


def test_nested_template_is_updated_in_place():
    def view(n):
        return t"<div>{t'<span>{n}</span>'}</div>"

    dom, _, rerender = render(lambda: view(1))
    dom.reset_counts()
    rerender(view(2))
    assert dict(dom.counts) == {"TEXT": 1}
    assert html(dom) == '<div id="app"><div><span>2</span></div></div>'


def test_switching_template_replaces_nodes():
    dom, _, rerender = render(lambda: t"<div>{t'<b>1</b>'}</div>")
    rerender(t"<div>{t'<i>2</i>'}</div>")
    assert html(dom) == '<div id="app"><div><i>2</i></div></div>'


def test_create_1000_rows_is_one_clone_per_row():
    dom, _, rerender = render(lambda: table([]))
    dom.reset_counts()
    rerender(table(rows(1000)))
    assert dom.counts["CLONE"] == 1000
    assert dom.counts["INSERT"] == 1000
    assert row_ids(dom) == list(range(1, 1001))


def test_swap_two_of_1000_keyed_rows_is_two_moves():
    items = rows(1000)
    dom, _, rerender = render(lambda: table(items))
    tr_before = dom.container("#app").find("tr")
    items[1], items[998] = items[998], items[1]
    dom.reset_counts()
    rerender(table(items))
    assert dict(dom.counts) == {"INSERT": 2}
    tr_after = dom.container("#app").find("tr")
    assert tr_after[1] is tr_before[998] and tr_after[998] is tr_before[1]
    assert row_ids(dom)[1] == 999 and row_ids(dom)[998] == 2


def test_update_every_10th_label_is_100_text_writes():
    items = rows(1000)
    dom, _, rerender = render(lambda: table(items))
    for index in range(0, 1000, 10):
        items[index] = {**items[index], "label": items[index]["label"] + " !!!"}
    dom.reset_counts()
    rerender(table(items))
    assert dict(dom.counts) == {"TEXT": 100}


def test_remove_one_row_removes_exactly_that_node():
    items = rows(10)
    dom, _, rerender = render(lambda: table(items))
    doomed = dom.container("#app").find("tr")[3]
    dom.reset_counts()
    rerender(table(items[:3] + items[4:]))
    assert dom.counts["REMOVE"] == 1 and dom.counts["CLONE"] == 0 and dom.counts["INSERT"] == 0
    assert doomed not in dom.container("#app").find("tr")
    assert row_ids(dom) == [1, 2, 3, 5, 6, 7, 8, 9, 10]


def test_replace_all_rows_creates_new_nodes():
    dom, _, rerender = render(lambda: table(rows(100)))
    old = dom.container("#app").find("tr")
    rerender(table(rows(100, start=101)))
    new = dom.container("#app").find("tr")
    assert not set(map(id, old)) & set(map(id, new))
    assert row_ids(dom) == list(range(101, 201))


def test_clear_is_one_range_removal():
    dom, _, rerender = render(lambda: table(rows(1000)))
    dom.reset_counts()
    rerender(table([]))
    assert dom.counts["REMOVE_RANGE"] == 1 and dom.counts["REMOVE"] == 0
    assert row_ids(dom) == []


@pytest.mark.parametrize(
    "order",
    [[3, 1, 2], [2, 3, 1], [1, 2, 3], [3, 2, 1], [5, 4, 1, 2, 3], [1, 5, 2, 4, 3], [4, 5]],
)
def test_reorder_matches_new_order_and_keeps_nodes(order):
    start = rows(5)
    dom, _, rerender = render(lambda: table(start))
    by_id = {int(tr.children[0].text_content): tr for tr in dom.container("#app").find("tr")}
    rerender(table([start[i - 1] for i in order]))
    assert row_ids(dom) == order
    assert all(dom.container("#app").find("tr")[n] is by_id[i] for n, i in enumerate(order))


def test_duplicate_keys_are_an_error():
    with pytest.raises(ValueError, match="duplicate keys"):
        render(lambda: table([{"id": 1, "label": "a"}, {"id": 1, "label": "b"}]))


def test_duplicate_keys_in_an_update_are_an_error_and_leave_the_list_intact():
    dom, _, rerender = render(lambda: table(rows(3)))
    before = dom.container("#app").find("tr")
    dom.reset_counts()
    with pytest.raises(ValueError, match=r"duplicate keys in a list: \[2\]"):
        rerender(table([*rows(3), {"id": 2, "label": "again"}]))
    assert dict(dom.counts) == {}
    rerender(table(rows(3)[::-1]))  # still usable
    assert row_ids(dom) == [3, 2, 1]
    assert set(map(id, dom.container("#app").find("tr"))) == set(map(id, before))


def test_unkeyed_list_of_strings():
    dom, _, rerender = render(lambda: t"<p>{['a', 'b']}</p>")
    rerender(t"<p>{['a', 'c', 'd']}</p>")
    assert html(dom) == '<div id="app"><p>acd</p></div>'


def test_signal_in_text_slot_updates_without_rerender():
    count = Signal(1)
    dom, mounted, _ = render(lambda: t"<p>{count}</p>")
    dom.reset_counts()
    count.value = 2
    mounted.flush()
    assert dict(dom.counts) == {"TEXT": 1}
    assert html(dom) == '<div id="app"><p>2</p></div>'


def test_style_dict_diffs_properties():
    dom, _, rerender = render(lambda: t"<p style={ {'color': 'red', 'top': '1px'} }>x</p>")
    dom.reset_counts()
    rerender(t"<p style={ {'color': 'blue'} }>x</p>")
    assert sorted(entry[2:] for entry in dom.log) == [("color", "blue"), ("top", None)]
    assert dom.container("#app").find("p")[0].style == {"color": "blue"}


def test_class_forms():
    dom, _, _ = render(lambda: t"<p class={ {'done': True, 'editing': False} }>x</p>")
    assert dom.container("#app").find("p")[0].attrs["class"] == "done"


def test_dangerous_html_is_sanitised():
    markup = '<b onclick="x()">ok</b><script>x()</script><py-script>1</py-script><a href="javascript:x">l</a>'
    dom, _, _ = render(lambda: t"<div>{dangerous_html(markup)}</div>")
    out = html(dom)
    assert "<b>ok</b>" in out
    assert "<script" not in out and "py-script" not in out and "onclick" not in out
    assert 'href="unsafe:javascript:x"' in out


def test_a_template_expected_but_a_string_given_stays_text():
    stored = "<img src=x onerror=alert(1)>"
    dom, _, _ = render(lambda: t"<div>{stored}</div>")
    assert dom.container("#app").find("img") == []
    assert dom.container("#app").text_content == stored


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
    from framework.errors import set_error_reporter

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
    assert dom.counts["LISTEN"] == 2  # one per event type reaches the document


def test_element_stops_listening_when_its_last_handler_goes():
    from framework.component import Component

    enter_on, escape_on = Signal(True), Signal(True)

    class EditBox(Component):
        def render(self):
            enter = (lambda: None) if enter_on.value else None
            escape = (lambda: None) if escape_on.value else None
            return t"<input onkeydown.enter={enter} onkeydown.escape={escape}>"

    dom = MemoryDom()
    mounted = mount(EditBox(), "#app", backend=dom)
    escape_on.value = False
    mounted.flush()
    assert dom.counts.get("UNLISTEN", 0) == 0  # enter still listens to keydown
    enter_on.value = False
    mounted.flush()
    assert dom.counts["UNLISTEN"] == 1
    assert mounted.renderer.handlers == {}


# -- reliability matrix rows at the renderer level (the browser twins are in tests/e2e/test_xss.py)

T2_TEXT = '& < > " \' / ` こんにちは \U0001f363 ""'


def test_text_round_trips_exactly():
    """T2: the exact string reaches the text node; nothing is escaped or decoded on the way."""
    dom, _, _ = render(lambda: t"<p>{T2_TEXT}</p>")
    assert [entry[2] for entry in dom.log if entry[0] == "TEXT"] == [T2_TEXT]
    assert dom.container("#app").find("p")[0].text_content == T2_TEXT


def test_url_object_is_stringified_once_per_render_and_checked_each_time():
    """T10: the written value is the validated value, even if str() changes its answer."""
    import warnings

    class Flip:
        calls = 0

        def __str__(self):
            Flip.calls += 1
            return "https://ok.example" if Flip.calls == 1 else "javascript:alert(1)"

    flip = Flip()
    dom, _, rerender = render(lambda: t"<a href={flip}>x</a>")
    assert Flip.calls == 1
    assert dom.container("#app").find("a")[0].attrs["href"] == "https://ok.example"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rerender(t"<a href={flip}>x</a>")
    assert Flip.calls == 2
    assert dom.container("#app").find("a")[0].attrs["href"] == "unsafe:javascript:alert(1)"


@pytest.mark.parametrize(
    "name", ["onmouseover", "py-click", "mpy-click", "x onload=y", "a/b", "a>b", "a=b", ""]
)
def test_attribute_name_from_data_is_refused_and_never_set(name):
    """T12: a slot cannot be an attribute name, whatever it holds."""
    from string.templatelib import Interpolation, Template

    from framework.template.parser import TemplateSyntaxError

    dom = MemoryDom()
    template = Template("<div ", Interpolation(name, "name"), '="1">x</div>')
    with pytest.raises(TemplateSyntaxError, match="not a whole attribute"):
        mount(template, "#app", backend=dom)
    assert not [entry for entry in dom.log if entry[0] in ("ATTR", "DEFINE")]


@pytest.mark.parametrize(
    "markup", ["<div x onload=y>x</div>", "<img src=x onerror=alert(1)>", '<p ONCLICK="x">p</p>']
)
def test_static_inline_handlers_are_refused(markup):
    from string.templatelib import Template

    from framework.template.parser import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="inline JavaScript"):
        mount(Template(markup), "#app", backend=MemoryDom())


def test_stored_string_where_a_template_is_expected_stays_text():
    """T16: strings are never compiled as templates, not even a component's render() result."""
    from framework.component import Component

    stored = '<script type="py">import js</script><b onclick="x">b</b>'

    class Note(Component):
        def render(self):
            return stored

    for root in (stored, Note()):
        dom = MemoryDom()
        mount(root, "#app", backend=dom)
        assert dom.container("#app").text_content == stored
        assert dom.container("#app").select(lambda element: True) == []


def test_markup_like_strings_are_not_trusted():
    """T17: only dangerous_html() inserts HTML; a str with __html__ (MarkupSafe's protocol) is
    still a str, rendered as text."""

    class Markup(str):
        def __html__(self):
            return self

    dom, _, _ = render(lambda: t"<div>{Markup('<img src=x onerror=alert(1)>')}</div>")
    assert dom.container("#app").find("img") == []
    assert dom.container("#app").text_content == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    "template",
    [
        lambda v: t"<iframe srcdoc={v}></iframe>",
        lambda v: t"<iframe SRCDOC={v}></iframe>",
        lambda v: t"<div .innerHTML={v}></div>",
        lambda v: t"<div .outerHTML={v}></div>",
    ],
)
def test_bindings_that_parse_html_are_refused(template):
    from framework.template.safety import UnsafeValueError

    with pytest.raises(UnsafeValueError, match="parsed as HTML"):
        render(lambda: template("<script>parent.pwned=1</script>"))


def test_dangerous_html_drops_srcdoc():
    markup = '<iframe srcdoc="<script>parent.pwned=1</script>" title="t"></iframe>'
    dom, _, _ = render(lambda: t"<div>{dangerous_html(markup)}</div>")
    assert html(dom) == '<div id="app"><div><iframe title="t"></iframe></div></div>'


@pytest.mark.parametrize(
    ("markup", "attribute", "first", "second"),
    [
        ("class", "class", "on", "off"),
        ("title", "title", "on", "off"),
        ("data-x", "data-x", "on", "off"),
    ],
)
def test_signal_in_an_attribute_slot_updates_only_that_attribute(markup, attribute, first, second):
    from framework.component import Component

    state = Signal(first)
    renders = []

    class View(Component):
        def render(self):
            renders.append(1)
            if markup == "class":
                return t"<p class={state}>x</p>"
            if markup == "title":
                return t"<p title={state}>x</p>"
            return t"<p data-x={state}>x</p>"

    dom = MemoryDom()
    mounted = mount(View(), "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    assert paragraph.attrs[attribute] == first
    dom.reset_counts()
    state.value = second
    mounted.flush()
    assert paragraph.attrs[attribute] == second
    assert len(renders) == 1  # no re-render
    assert sum(dom.counts.values()) == 1  # one ATTR op


def test_computed_in_class_and_bool_slots_follows_its_sources():
    from framework.reactive import Computed

    selected = Signal(1)
    rows = []
    for key in (1, 2, 3):
        cls = Computed(lambda key=key: "danger" if selected.value == key else None)
        hidden = Computed(lambda key=key: selected.value == key)
        rows.append(keyed(key, t"<tr class={cls} ?hidden={hidden}><td>{key}</td></tr>"))
    dom = MemoryDom()
    mounted = mount(t"<table>{rows}</table>", "#app", backend=dom)
    trs = dom.container("#app").find("tr")
    assert [tr.attrs.get("class") for tr in trs] == ["danger", None, None]
    dom.reset_counts()
    selected.value = 3
    mounted.flush()
    assert [tr.attrs.get("class") for tr in trs] == [None, None, "danger"]
    assert ["hidden" in tr.attrs for tr in trs] == [False, False, True]
    assert dom.counts["ATTR"] == 2 and dom.counts["UNATTR"] == 2  # rows 1 and 3 only


def test_attribute_stops_following_a_signal_it_no_longer_gets():
    from framework.component import Component

    source, use_signal = Signal("a"), Signal(True)

    class View(Component):
        def render(self):
            return t"<p title={source if use_signal.value else 'fixed'}>x</p>"

    dom = MemoryDom()
    mounted = mount(View(), "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    use_signal.value = False
    mounted.flush()
    assert paragraph.attrs["title"] == "fixed"
    source.value = "b"
    mounted.flush()
    assert paragraph.attrs["title"] == "fixed"
    assert not source._observers  # the watcher is gone


def test_removed_row_stops_following_its_signal():
    label = Signal("x")
    items = Signal([1])
    dom = MemoryDom()
    mounted = mount(
        t"<ul>{[keyed(i, t'<li title={label}>{label}</li>') for i in items.peek()]}</ul>",
        "#app",
        backend=dom,
    )
    assert len(label._observers) == 2
    mounted.unmount()
    assert not label._observers


def test_mixed_attribute_with_a_signal_piece():
    size = Signal("small")
    dom = MemoryDom()
    mounted = mount(t'<p class="box {size}" title="is {size}">x</p>', "#app", backend=dom)
    paragraph = dom.container("#app").find("p")[0]
    size.value = "large"
    mounted.flush()
    assert paragraph.attrs["class"] == "box large"
    assert paragraph.attrs["title"] == "is large"


# -- slots at a template's top level: their content moves and goes with the template ----------


def notice(text):
    return t"<div class='notice'>{text}</div>"


def page(note, body="body"):
    return t"{note}<section>{body}</section>"


def test_content_of_a_leading_top_level_slot_is_rendered_first():
    dom, _, rerender = render(lambda: page(notice("careful")))
    assert html(dom) == (
        '<div id="app"><div class="notice">careful</div><section>body</section></div>'
    )
    rerender(page(None))
    assert html(dom) == '<div id="app"><section>body</section></div>'
    rerender(page(notice("again")))
    assert html(dom) == (
        '<div id="app"><div class="notice">again</div><section>body</section></div>'
    )


def test_top_level_slots_between_and_after_nodes_keep_their_place():
    dom, _, _ = render(lambda: t"<p>a</p>{notice('b')}<p>c</p>{[t'<i>d</i>', t'<i>e</i>']}")
    assert html(dom) == (
        '<div id="app"><p>a</p><div class="notice">b</div><p>c</p><i>d</i><i>e</i></div>'
    )


def entry(item):
    return keyed(item, t"{notice(item)}<p>{item}</p>")


def test_keyed_items_with_top_level_slots_move_and_leave_whole():
    def listing(items):
        return t"<main>{[entry(i) for i in items]}</main>"

    def shown(dom):
        main = dom.container("#app").find("main")[0]
        return [(e.tag, e.text_content) for e in main.children if hasattr(e, "tag")]

    dom, _, rerender = render(lambda: listing(["x", "y", "z"]))
    assert [text for _, text in shown(dom)] == ["x", "x", "y", "y", "z", "z"]
    rerender(listing(["z", "x", "y"]))
    assert shown(dom) == [
        ("div", "z"), ("p", "z"), ("div", "x"), ("p", "x"), ("div", "y"), ("p", "y"),
    ]  # fmt: skip
    rerender(listing(["x"]))
    assert shown(dom) == [("div", "x"), ("p", "x")]  # no notice left behind


def test_appending_creates_only_the_new_rows():
    items = Signal(list(range(1000)))
    dom = MemoryDom()
    mounted = mount(
        t"<ul>{[keyed(i, t'<li>{i}</li>') for i in items.peek()]}</ul>", "#app", backend=dom
    )
    dom.reset_counts()
    mounted.part.set(t"<ul>{[keyed(i, t'<li>{i}</li>') for i in range(1100)]}</ul>")
    mounted.flush()
    assert dom.counts["CLONE"] == 100
    assert dom.counts["INSERT"] == 100
    assert dom.counts.get("REMOVE", 0) == 0
    assert [li.text_content for li in dom.container("#app").find("li")] == [
        str(i) for i in range(1100)
    ]


def test_clearing_rows_with_handlers_is_one_removal_and_one_drop():
    from framework.component import Component

    rows = Signal(list(range(1000)))

    class Table(Component):
        def render(self):
            return t"<tbody>{[keyed(i, t'<tr><td><a onclick={print}>{i}</a></td></tr>') for i in rows.value]}</tbody>"

    dom = MemoryDom()
    mounted = mount(Table(), "#app", backend=dom)
    dom.reset_counts()
    rows.value = []
    mounted.flush()
    assert dict(dom.counts) == {"REMOVE_RANGE": 1, "DROP": 1}
    assert mounted.renderer.handlers == {}
    assert dom.container("#app").find("tr") == []


class _Row:
    def __init__(self, id, label):
        self.id, self.label = id, label


def _each_table(rows, calls):
    from framework.template.render import each

    def row(item):
        calls.append(item.id)
        return t"<tr><td>{item.label}</td></tr>"

    return t"<tbody>{each(rows, row, key=lambda item: item.id)}</tbody>"


def test_each_renders_a_row_once_and_skips_unchanged_rows():
    rows = [_Row(i, f"row {i}") for i in range(1000)]
    calls = []
    dom = MemoryDom()
    mounted = mount(_each_table(rows, calls), "#app", backend=dom)
    assert len(calls) == 1000
    calls.clear()
    dom.reset_counts()
    mounted.part.set(_each_table(list(rows), calls))  # the parent re-renders, nothing changed
    mounted.flush()
    assert calls == []
    assert sum(dom.counts.values()) == 0


@pytest.mark.parametrize(
    ("change", "rendered", "ops"),
    [
        ("replace", [10], {"TEXT": 1}),
        ("swap", [], {"INSERT": 2}),
        ("append", [1000], {"CLONE": 1, "TEXT": 1, "INSERT": 1}),
        ("remove", [], {"REMOVE": 1, "DROP": 1}),
    ],
)
def test_each_touches_only_what_changed(change, rendered, ops):
    rows = [_Row(i, f"row {i}") for i in range(1000)]
    calls = []
    dom = MemoryDom()
    mounted = mount(_each_table(rows, calls), "#app", backend=dom)
    calls.clear()
    dom.reset_counts()
    new = list(rows)
    if change == "replace":
        new[10] = _Row(10, "row 10 !!!")
    elif change == "swap":
        new[1], new[998] = new[998], new[1]
    elif change == "append":
        new.append(_Row(1000, "row 1000"))
    else:
        del new[500]
    mounted.part.set(_each_table(new, calls))
    mounted.flush()
    assert calls == rendered
    assert dict(dom.counts) == ops
    labels = [tr.text_content for tr in dom.container("#app").find("tr")]
    assert labels == [row.label for row in new]


def test_each_without_key_keys_by_item():
    from framework.template.render import each

    dom = MemoryDom()
    mounted = mount(t"<ul>{each(['a', 'b'], lambda s: t'<li>{s}</li>')}</ul>", "#app", backend=dom)
    mounted.part.set(t"<ul>{each(['b', 'a'], lambda s: t'<li>{s}</li>')}</ul>")
    mounted.flush()
    assert [li.text_content for li in dom.container("#app").find("li")] == ["b", "a"]
