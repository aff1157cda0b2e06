"""Template instances: a re-render hands new values only to the parts whose slots changed, and
slots at a template's top level move and leave with it."""

import pytest

from framework import Component, Signal, each, mount, selector
from framework.dom.memory import MemoryDom
from tests.unit.render_support import html, render


def test_rerender_touches_only_changed_slots():
    dom, _, rerender = render(lambda: t"<p class={'a'}>{'x'}</p>")
    dom.reset_counts()
    rerender(t"<p class={'a'}>{'y'}</p>")
    assert dict(dom.counts) == {"TEXT": 1}
    dom.reset_counts()
    rerender(t"<p class={'a'}>{'y'}</p>")
    assert dict(dom.counts) == {}


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


def test_after_a_slot_fails_the_next_render_updates_the_slots_it_did_not_reach():
    title = "new"
    dom, _, rerender = render(lambda: t"<p>{'x'}</p><i title={'old'}></i>")
    with pytest.raises(TypeError, match="cannot render a object"):
        rerender(t"<p>{object()}</p><i title={title}></i>")  # fails before the title is set
    rerender(t"<p>{'ok'}</p><i title={title}></i>")  # the same title object as the failed one
    assert html(dom) == '<div id="app"><p>ok</p><i title="new"></i></div>'


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


# -- a template that fails while it is built leaves nothing behind -----------------------------


def test_a_template_that_fails_while_built_unmounts_the_components_it_had_mounted():
    from framework.component import Component

    seen = []

    class Child(Component):
        def setup(self):
            seen.append("mounted")

        def unmounted(self):
            seen.append("unmounted")

        def render(self):
            return t"<b>child</b>"

    dom, _, rerender = render(lambda: t"<p>{'x'}</p>")
    nodes_before = len(dom.nodes)
    with pytest.raises(TypeError, match="cannot render a object"):
        rerender(t"<div>{Child()}{object()}</div>")  # the child mounts, then the next slot fails
    assert seen == ["mounted", "unmounted"]
    assert html(dom) == '<div id="app"><p>x</p></div>'  # the slot shows what it showed
    assert len(dom.nodes) == nodes_before  # the failed clone's node ids are dropped


# -- rows removed together (a cleared or replaced list) let go of everything at once ---------


class _Table(Component):
    """Rows that route a click and follow the selection (`when()`), of one template or of two
    alternating ones (then released one by one, in order)."""

    count: int = 100
    templates: int = 1

    def setup(self):
        self.rows = Signal(list(range(1, self.count + 1)))
        self.selected = Signal(0)
        self.is_selected = selector(lambda: self.selected.value)
        self.clicked = []

    def row(self, n):
        css = self.is_selected.when(n, "danger")
        if self.templates == 2 and n % 2:
            return t"<tr class={css}><td><a onclick={(lambda: self.clicked.append(n))}>{n}</a></td></tr>"
        return t"<tr class={css}><td>{n}</td><td><a onclick={(lambda: self.clicked.append(n))}>x</a></td></tr>"

    def render(self):
        return t"<table><tbody>{each(self.rows.value, self.row, key=lambda n: n)}</tbody></table>"


def _mounted_table(**props):
    dom = MemoryDom()
    mounted = mount(_Table(**props), "#app", backend=dom)
    return dom, mounted, mounted.part.content.instance


@pytest.mark.parametrize("templates", [1, 2])
@pytest.mark.parametrize("change", ["clear", "replace", "clear-reversed"])
def test_rows_removed_together_let_go_of_their_handlers_signals_and_ids(templates, change):
    dom, mounted, table = _mounted_table(templates=templates)
    if change == "clear-reversed":  # their ids no longer ascend: dropped row by row
        table.rows.value = table.rows.value[::-1]
        mounted.flush()
    links = dom.container("#app").find("a")
    after = [] if change == "clear" else list(range(1001, 1101))
    table.rows.value = after
    mounted.flush()
    for link in links:  # the removed rows' elements: a late click reaches no handler
        dom.dispatch(link, "click")
    assert table.clicked == []
    dom.reset_counts()
    table.selected.value = 7  # a removed row's key: no row follows its signal any more
    mounted.flush()
    assert dict(dom.counts) == {}
    # What is left is what a table mounted with the new rows holds: nothing of the old rows.
    fresh_dom, fresh, _ = _mounted_table(templates=templates, count=len(after))
    assert len(dom.nodes) == len(fresh_dom.nodes)
    assert len(mounted.renderer.events.owners) == len(fresh.renderer.events.owners)
    if after:  # the new rows' own handlers do run
        dom.dispatch(dom.container("#app").find("a")[-1], "click")
        assert table.clicked == [1100]


# -- ... and, where nothing the app can see goes with them, once the frame is painted --------


class _PaintingDom(MemoryDom):
    """A MemoryDom with the browser's after_paint: callbacks wait for paint()."""

    def __init__(self):
        super().__init__()
        self.waiting = []

    def after_paint(self, callback):
        self.waiting.append(callback)

    def paint(self):
        waiting, self.waiting = self.waiting, []
        for callback in waiting:
            callback()


class _Badge(Component):
    seen: list

    def unmounted(self):
        self.seen.append("unmounted")

    def render(self):
        return t"<b>!</b>"


class _BadgedTable(_Table):
    """_Table's rows, each with a component in it: a release the app sees (its unmount)."""

    def setup(self):
        super().setup()
        self.seen = []

    def row(self, n):
        return t"<tr><td>{n}</td><td>{_Badge(seen=self.seen)}</td></tr>"


def _painted_table(cls=_Table):
    dom = _PaintingDom()
    mounted = mount(cls(), "#app", backend=dom)
    return dom, mounted, mounted.part.content.instance


def _holds_what_a_fresh_table_holds(dom, mounted, count):
    fresh_dom, fresh, _ = _mounted_table(count=count)
    return (len(dom.nodes), len(mounted.renderer.events.owners)) == (
        len(fresh_dom.nodes),
        len(fresh.renderer.events.owners),
    )


@pytest.mark.parametrize("after", [[], list(range(1001, 1101))], ids=["clear", "replace"])
def test_rows_removed_together_leave_at_once_and_are_released_once_painted(after):
    dom, mounted, table = _painted_table()
    table.rows.value = after
    mounted.flush()
    assert len(dom.container("#app").find("tr")) == len(after)  # gone from this batch on
    assert not _holds_what_a_fresh_table_holds(dom, mounted, len(after))  # not released yet
    dom.paint()
    mounted.flush()  # the released rows' DROP goes with the next batch
    assert _holds_what_a_fresh_table_holds(dom, mounted, len(after))


def test_a_write_before_the_paint_runs_no_effect_of_a_removed_row():
    dom, mounted, table = _painted_table()
    table.rows.value = []
    mounted.flush()
    dom.reset_counts()
    table.selected.value = 7  # row 7 followed this selection until it was removed
    mounted.flush()
    assert dom.counts["ATTR"] == dom.counts["UNATTR"] == 0
    assert _holds_what_a_fresh_table_holds(dom, mounted, 0)  # released before the write's effects
    dom.paint()  # finds nothing left to release
    assert _holds_what_a_fresh_table_holds(dom, mounted, 0)


def test_rows_whose_components_unmount_are_released_with_the_batch():
    dom, mounted, table = _painted_table(_BadgedTable)
    table.rows.value = []
    mounted.flush()
    assert table.seen == ["unmounted"] * 100  # before the paint: the app's hooks keep their time
    assert dom.waiting == []
