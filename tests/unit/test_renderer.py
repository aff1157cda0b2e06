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


def test_an_event_schedules_nothing_and_commits_its_handlers_work_itself():
    """The browser schedules a flush or a commit as a microtask: a call into Python for nothing
    when the event's own flush and commit have done the work."""
    from framework.reactive import set_scheduler

    count = Signal(0)
    commits, flushes = [], []

    class LaterDom(MemoryDom):
        def schedule(self, commit):
            commits.append(commit)

    def increment():
        count.value += 1

    dom = LaterDom()
    mount(t"<button onclick={increment}>{count}</button>", "#app", backend=dom)
    commits.clear()
    previous = set_scheduler(flushes.append)
    try:
        dom.dispatch(dom.container("#app").find("button")[0], "click")
    finally:
        set_scheduler(previous)
    assert html(dom) == '<div id="app"><button>1</button></div>'
    assert (commits, flushes) == ([], [])
