"""The renderer of a document: one op batch per commit, merged DROPs, one renderer per backend."""

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal
from framework.template.keyed import keyed
from tests.unit.render_support import html, render


def test_clearing_rows_with_handlers_is_one_removal_and_one_drop():

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
    assert mounted.renderer.events.owners == {}
    assert dom.container("#app").find("tr") == []


def paragraph(text):
    return t"<p>{text}</p>"


def test_mounts_into_one_document_share_its_renderer():
    dom = MemoryDom()
    for selector in ("#a", "#b"):
        dom.container(selector)  # a page with both elements
    first = mount(paragraph("a"), "#a", backend=dom)
    second = mount(paragraph("b"), "#b", backend=dom)
    assert first.renderer is second.renderer
    assert dom.counts["DEFINE"] == 1  # the template is defined once for the document
    assert dom.container("#b").to_html() == '<div id="b"><p>b</p></div>'


def test_operations_wait_for_a_commit():
    dom, mounted, _ = render(lambda: paragraph("a"))
    mounted.part.set(paragraph("b"))
    assert html(dom) == '<div id="app"><p>a</p></div>'  # MemoryDom leaves commits to the test
    mounted.flush()
    assert html(dom) == '<div id="app"><p>b</p></div>'


def test_the_backend_is_asked_once_per_batch_to_commit():
    requests = []

    class LaterDom(MemoryDom):
        def schedule(self, commit):
            requests.append(commit)

    dom = LaterDom()
    mounted = mount(paragraph("a"), "#app", backend=dom)
    requests.clear()
    mounted.part.set(t"<p>{'b'}</p><p>{'c'}</p>")  # several operations, one request
    assert len(requests) == 1
    requests.pop()()
    assert html(dom) == '<div id="app"><p>b</p><p>c</p></div>'
    mounted.part.set(t"<p>{'b'}</p><p>{'d'}</p>")  # after a commit, the next batch asks again
    assert len(requests) == 1


def test_an_event_commits_what_its_handler_changed():
    count = Signal(0)

    def increment():
        count.value += 1

    dom, _, _ = render(lambda: t"<button onclick={increment}>{count}</button>")
    dom.dispatch(dom.container("#app").find("button")[0], "click")
    assert html(dom) == '<div id="app"><button>1</button></div>'  # no flush by the test


def test_a_drop_in_a_later_batch_is_not_merged_into_an_op_already_sent():
    def view(text, extra):
        return t"<i>{text}</i>{extra}"

    dom, _, rerender = render(lambda: view("x", t""))
    rerender(view("x", None))  # the empty template goes: its DROP is the first op of a batch
    rerender(view("x", t""))
    rerender(view("y", None))  # a TEXT op, then a DROP that must not look back at that batch
    assert html(dom) == '<div id="app"><i>y</i></div>'
    assert [entry[0] for entry in dom.log[-2:]] == ["TEXT", "DROP"]


class PaintLaterDom(MemoryDom):
    """A page whose frame is painted when the test says (paint()), not at the end of apply."""

    def __init__(self):
        super().__init__()
        self.unpainted = []

    def after_paint(self, callback):
        self.unpainted.append(callback)

    def paint(self):
        painted, self.unpainted = self.unpainted, []
        for callback in painted:
            callback()


def selectable_rows():
    """Rows whose class follows a selection through a Computed each, as the benchmark's do;
    `runs` counts the rows' Computed evaluations."""
    from framework import Computed, each, selector

    rows = Signal(list(range(100)))
    selected = Signal(3)
    is_selected = selector(lambda: selected.value)
    runs = []

    def css(i):
        runs.append(i)
        return "danger" if is_selected(i) else None

    class Table(Component):
        def row(self, i):
            return t"<tr class={Computed(lambda: css(i))}><td>{i}</td></tr>"

        def render(self):
            return t"<tbody>{each(rows.value, self.row)}</tbody>"

    return rows, selected, runs, Table


def test_cleared_rows_are_freed_after_the_paint_and_never_run_in_between():
    rows, selected, runs, table = selectable_rows()
    dom = PaintLaterDom()
    mounted = mount(table(), "#app", backend=dom)
    dom.paint()
    dom.reset_counts()
    runs.clear()
    rows.value = []
    mounted.flush()
    assert dict(dom.counts) == {"REMOVE_RANGE": 1}  # the frame waits for nothing else
    selected.value = 7  # before the paint: the removed rows' classes must not run or write
    mounted.flush()
    assert runs == []
    assert dict(dom.counts) == {"REMOVE_RANGE": 1}
    assert mounted.renderer._leaving  # held until the paint
    dom.paint()
    mounted.flush()
    assert dict(dom.counts) == {"REMOVE_RANGE": 1, "DROP": 1}  # their ids, freed after it
    assert mounted.renderer._leaving == []
    assert dom.container("#app").find("tr") == []


def test_rows_created_after_a_clear_and_before_its_paint_follow_the_selection():
    rows, selected, _, table = selectable_rows()
    dom = PaintLaterDom()
    mounted = mount(table(), "#app", backend=dom)
    rows.value = []
    mounted.flush()
    rows.value = [3, 4]  # the same keys again, before the old rows are freed
    mounted.flush()
    dom.paint()  # freeing the old rows must not unsubscribe the new ones
    mounted.flush()
    selected.value = 4
    mounted.flush()
    assert [tr.attrs.get("class") for tr in dom.container("#app").find("tr")] == [None, "danger"]
