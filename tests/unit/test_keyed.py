"""Keyed lists: which operations a list change costs (the js-framework-benchmark cases), keys,
and each() rendering a row only when its item changed."""

import random

import pytest

from framework import Component, Computed, selector
from framework.component import mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal
from framework.template.keyed import each, keyed
from tests.unit.render_support import html, render


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


def test_create_1000_rows_is_one_clone_per_row_and_nothing_else():
    dom, _, rerender = render(lambda: table([]))
    dom.reset_counts()
    rerender(table(rows(1000)))
    # Each CLONE carries the row's texts and its place: no TEXT or INSERT op besides.
    assert dict(dom.counts) == {"DEFINE": 1, "CLONE": 1000}
    assert row_ids(dom) == list(range(1, 1001))
    assert dom.container("#app").find("tr")[999].children[1].text_content == "row 1000"


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


def test_appending_creates_only_the_new_rows():
    items = Signal(list(range(1000)))
    dom = MemoryDom()
    mounted = mount(
        t"<ul>{[keyed(i, t'<li>{i}</li>') for i in items.peek()]}</ul>", "#app", backend=dom
    )
    dom.reset_counts()
    mounted.part.set(t"<ul>{[keyed(i, t'<li>{i}</li>') for i in range(1100)]}</ul>")
    mounted.flush()
    assert dict(dom.counts) == {"CLONE": 100}  # each placed by its CLONE
    assert [li.text_content for li in dom.container("#app").find("li")] == [
        str(i) for i in range(1100)
    ]


def notice(text):
    return t"<div class='notice'>{text}</div>"


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


class _Row:
    def __init__(self, id, label):
        self.id, self.label = id, label


def _each_table(rows, calls):

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
        ("append", [1000], {"CLONE": 1}),
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

    dom = MemoryDom()
    mounted = mount(t"<ul>{each(['a', 'b'], lambda s: t'<li>{s}</li>')}</ul>", "#app", backend=dom)
    mounted.part.set(t"<ul>{each(['b', 'a'], lambda s: t'<li>{s}</li>')}</ul>")
    mounted.flush()
    assert [li.text_content for li in dom.container("#app").find("li")] == ["b", "a"]


class _Bench(Component):
    """The js-framework-benchmark app's table as docs/components.md writes long lists: rows
    in one Signal, each() over them, the selection through a selector's when(), two handlers a
    row."""

    def setup(self):
        self.rows = Signal([_Row(i, f"row {i}") for i in range(1, 1001)])
        self.selected = Signal(0)
        self.is_selected = selector(lambda: self.selected.value)

    def css(self, row):
        return self.is_selected.when(row.id, "danger")

    def row(self, row):
        css = self.css(row)
        return t"<tr class={css}><td>{row.id}</td><td><a onclick={(self.select, row.id)}>{row.label}</a></td><td><a onclick={(self.remove, row.id)}>x</a></td></tr>"

    def select(self, row_id):
        self.selected.value = row_id

    def remove(self, row_id):
        self.rows.value = [row for row in self.rows.value if row.id != row_id]

    def render(self):
        return t"<table><tbody>{each(self.rows.value, self.row, key=lambda row: row.id)}</tbody></table>"


class _BenchWithComputed(_Bench):
    """The same table with each row's class a Computed that asks the selector."""

    def css(self, row):
        return Computed(lambda: "danger" if self.is_selected(row.id) else None)


def _swap(rows):
    rows = list(rows)
    rows[1], rows[998] = rows[998], rows[1]
    return rows


def _update_every_10th(rows):
    return [_Row(r.id, r.label + " !!!") if i % 10 == 0 else r for i, r in enumerate(rows)]


@pytest.mark.parametrize(
    ("change", "ops"),
    [
        ("create", {"CLONE": 1000}),  # texts, place and handlers in each row's one op
        ("replace", {"REMOVE_RANGE": 1, "DROP": 1, "CLONE": 1000}),
        ("append", {"CLONE": 1000}),
        ("update", {"TEXT": 100}),
        ("swap", {"INSERT": 2}),
        ("select", {"UNATTR": 1, "ATTR": 1}),  # the old row loses its class, the new gets it
        ("remove", {"REMOVE": 1, "DROP": 1}),
        ("clear", {"REMOVE_RANGE": 1, "DROP": 1}),
    ],
)
@pytest.mark.parametrize("table", [_Bench, _BenchWithComputed])
def test_the_benchmark_operations_cost_these_ops_and_nothing_else(change, ops, table):
    dom = MemoryDom()
    mounted = mount(table(), "#app", backend=dom)
    bench = mounted.part.content.instance
    rows = bench.rows.peek()
    start = {"create": [], "select": rows, "clear": rows}.get(change, rows)
    bench.rows.value = start
    bench.selected.value = 5 if change == "select" else 0
    mounted.flush()
    dom.reset_counts()
    if change == "select":
        bench.select(6)
    elif change == "remove":
        bench.remove(4)
    else:
        bench.rows.value = {
            "create": lambda r: rows,
            "replace": lambda r: [_Row(i, f"new {i}") for i in range(2001, 3001)],
            "append": lambda r: r + [_Row(i, f"row {i}") for i in range(1001, 2001)],
            "update": _update_every_10th,
            "swap": _swap,
            "clear": lambda r: [],
        }[change](start)
    mounted.flush()
    assert dict(dom.counts) == ops
    table = dom.container("#app").find("tr")
    expected = {"remove": [r for r in rows if r.id != 4], "select": rows}.get(
        change, bench.rows.peek()
    )
    assert [tr.children[1].text_content for tr in table] == [r.label for r in expected]
    assert [tr.attrs.get("class") for tr in table].count("danger") == (change == "select")


def test_a_click_on_a_row_reaches_the_handler_its_row_holds_now():
    dom = MemoryDom()
    mounted = mount(_Bench(), "#app", backend=dom)
    bench = mounted.part.content.instance
    bench.rows.value = _swap(bench.rows.peek())
    mounted.flush()
    second = dom.container("#app").find("tr")[1]
    dom.dispatch(second.find("a")[0], "click")  # the row that moved there: id 999
    assert bench.selected.peek() == 999
    assert second.attrs["class"] == "danger"
    dom.dispatch(second.find("a")[1], "click")
    assert [tr.children[0].text_content for tr in dom.container("#app").find("tr")][:3] == [
        "1", "3", "4",
    ]  # fmt: skip


def test_each_combines_with_other_items_as_a_list_does():
    dom = MemoryDom()
    rows = each(["b", "c"], lambda s: t"<li>{s}</li>")
    joined = [t"<li>a</li>"] + rows + [t"<li>d</li>"]  # noqa: RUF005 - the + is the point
    mounted = mount(t"<ul>{joined}</ul>", "#app", backend=dom)
    mounted.part.set(t"<ul>{[*each(['c', 'b'], lambda s: t'<li>{s}</li>'), t'<li>z</li>']}</ul>")
    mounted.flush()
    assert [li.text_content for li in dom.container("#app").find("li")] == ["c", "b", "z"]


def _changed(rng, rows, next_id):
    """One random change a user makes to a list of rows: new rows, removals, a replaced row
    (same key, new object), a swap, a move, a reversal or a shuffle."""
    rows = list(rows)
    kind = rng.choice(["insert", "remove", "replace", "swap", "move", "reverse", "shuffle"])
    if kind == "insert" or not rows:
        at = rng.randint(0, len(rows))
        fresh = [_Row(next_id + n, f"row {next_id + n}") for n in range(rng.randint(1, 3))]
        rows[at:at] = fresh
    elif kind == "remove":
        del rows[rng.randrange(len(rows))]
    elif kind == "replace":
        at = rng.randrange(len(rows))
        rows[at] = _Row(rows[at].id, rows[at].label + "!")
    elif kind == "swap":
        a, b = rng.randrange(len(rows)), rng.randrange(len(rows))
        rows[a], rows[b] = rows[b], rows[a]
    elif kind == "move":
        rows.insert(rng.randint(0, len(rows) - 1), rows.pop(rng.randrange(len(rows))))
    elif kind == "reverse":
        rows.reverse()
    else:
        rng.shuffle(rows)
    return rows


@pytest.mark.parametrize("seed", range(12))
def test_each_matches_any_sequence_of_changes_and_keeps_each_keys_node(seed):
    rng = random.Random(seed)
    rows = [_Row(i, f"row {i}") for i in range(rng.randint(0, 12))]
    dom = MemoryDom()
    mounted = mount(_each_table(rows, []), "#app", backend=dom)
    next_id = 100
    for _ in range(40):
        before = {tr.text_content.rstrip("!"): tr for tr in dom.container("#app").find("tr")}
        rows = _changed(rng, rows, next_id)
        next_id += 3
        mounted.part.set(_each_table(rows, []))
        mounted.flush()
        shown = dom.container("#app").find("tr")
        assert [tr.text_content for tr in shown] == [row.label for row in rows]
        kept = [tr for tr in shown if tr.text_content.rstrip("!") in before]
        assert all(tr is before[tr.text_content.rstrip("!")] for tr in kept)


@pytest.mark.parametrize(("first", "second"), [(0, 9), (0, 1), (4, 5), (1, 8), (8, 9)])
def test_each_swapping_two_rows_is_at_most_two_moves(first, second):
    rows = [_Row(i, f"row {i}") for i in range(10)]
    calls = []
    dom = MemoryDom()
    mounted = mount(_each_table(rows, calls), "#app", backend=dom)
    calls.clear()
    dom.reset_counts()
    rows[first], rows[second] = rows[second], rows[first]
    mounted.part.set(_each_table(rows, calls))
    mounted.flush()
    assert calls == []
    assert dom.counts["INSERT"] <= 2 and set(dom.counts) == {"INSERT"}
    assert [tr.text_content for tr in dom.container("#app").find("tr")] == [r.label for r in rows]


def test_each_swap_of_rows_that_also_changed_renders_them_again():
    rows = [_Row(i, f"row {i}") for i in range(10)]
    calls = []
    dom = MemoryDom()
    mounted = mount(_each_table(rows, calls), "#app", backend=dom)
    calls.clear()
    rows[2], rows[7] = _Row(7, "row 7 new"), _Row(2, "row 2 new")
    mounted.part.set(_each_table(rows, calls))
    mounted.flush()
    assert sorted(calls) == [2, 7]
    assert [tr.text_content for tr in dom.container("#app").find("tr")] == [r.label for r in rows]


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_each_a_new_row_with_a_kept_rows_key_is_a_duplicate(where):
    rows = [_Row(i, f"row {i}") for i in range(6)]
    dom = MemoryDom()
    mounted = mount(_each_table(rows, []), "#app", backend=dom)
    at = {"start": 0, "middle": 3, "end": 6}[where]
    again = [*rows[:at], _Row(5 if where == "start" else 0, "twin"), *rows[at:]]
    with pytest.raises(ValueError, match=r"duplicate keys in a list: \[(0|5)\]"):
        mounted.part.set(_each_table(again, []))
    mounted.part.set(_each_table(rows[::-1], []))  # the list still works
    mounted.flush()
    assert [tr.text_content for tr in dom.container("#app").find("tr")] == [
        r.label for r in rows[::-1]
    ]


def test_each_after_a_plain_list_of_the_same_keys_keeps_the_nodes():
    dom = MemoryDom()
    plain = t"<ul>{[keyed(s, t'<li>{s}</li>') for s in 'abc']}</ul>"
    mounted = mount(plain, "#app", backend=dom)
    before = dom.container("#app").find("li")
    mounted.part.set(t"<ul>{each(['c', 'b', 'a'], lambda s: t'<li>{s}</li>')}</ul>")
    mounted.flush()
    after = dom.container("#app").find("li")
    assert [li.text_content for li in after] == ["c", "b", "a"]
    assert all(x is y for x, y in zip(after, before[::-1], strict=True))
