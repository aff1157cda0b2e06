"""The js-framework-benchmark app, written as an ordinary app of this framework.

Nothing here is tuned for the benchmark; it is how the guide writes a long list: rows are
immutable values in one Signal, the table is `each()` over them (a row renders again only when
its Row object is replaced), and the selection is a `selector` whose `when()` gives each row's
class, so selecting touches two rows. Every button is rendered from Python, so #run exists
only once its handler is attached (the contract's readiness rule).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

import probe  # noqa: F401 - benchmark instrumentation only: exposes the Pyodide API to the runner

from framework import Component, Signal, batch, each, mount, selector

ADJECTIVES = (
    "pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain", "quaint",
    "clean", "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd", "unsightly",
    "adorable", "important", "inexpensive", "cheap", "expensive", "fancy",
)  # fmt: skip
COLOURS = (
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black",
    "orange",
)  # fmt: skip
NOUNS = (
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger",
    "pizza", "mouse", "keyboard",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    label: str


def row_id(row: Row) -> int:
    return row.id


def pick(words: tuple[str, ...]) -> str:
    # The contract's Math.round(Math.random() * 1000) % length.
    return words[int(random.random() * 1000 + 0.5) % len(words)]  # noqa: S311 - not secrets


class Rows:
    """Makes rows; the id counter is never reset (the contract)."""

    def __init__(self) -> None:
        self.next_id = 1

    def make(self, count: int) -> list[Row]:
        first = self.next_id
        self.next_id += count
        return [
            Row(first + i, f"{pick(ADJECTIVES)} {pick(COLOURS)} {pick(NOUNS)}")
            for i in range(count)
        ]


class Button(Component):
    id: str
    title: str
    on_press: Callable[[], None]

    def press(self) -> None:
        self.emit("press")

    def render(self):
        return t"""<div class="col-sm-6 smallpad"><button type="button" class="btn btn-primary btn-block" id={self.id} onclick={self.press}>{self.title}</button></div>"""  # noqa: E501


class Bench(Component):
    def setup(self) -> None:
        self.factory = Rows()
        self.rows: Signal[list[Row]] = Signal([])
        self.selected: Signal[int] = Signal(0)
        self.is_selected = selector(lambda: self.selected.value)

    def run(self) -> None:
        with batch():
            self.rows.value = self.factory.make(1_000)
            self.selected.value = 0

    def run_lots(self) -> None:
        with batch():
            self.rows.value = self.factory.make(10_000)
            self.selected.value = 0

    def add(self) -> None:
        self.rows.value = [*self.rows.value, *self.factory.make(1_000)]

    def update(self) -> None:
        rows = list(self.rows.value)
        for index in range(0, len(rows), 10):
            rows[index] = Row(rows[index].id, rows[index].label + " !!!")
        self.rows.value = rows

    def clear(self) -> None:
        with batch():
            self.rows.value = []
            self.selected.value = 0

    def swap_rows(self) -> None:
        rows = list(self.rows.value)
        if len(rows) > 998:
            rows[1], rows[998] = rows[998], rows[1]
            self.rows.value = rows

    def select(self, row_id: int) -> None:
        self.selected.value = row_id

    def remove(self, row_id: int) -> None:
        self.rows.value = [row for row in self.rows.value if row.id != row_id]

    def row(self, row: Row):
        css = self.is_selected.when(row.id, "danger")
        return t"""<tr class={css}><td class="col-md-1">{row.id}</td><td class="col-md-4"><a onclick={(self.select, row.id)}>{row.label}</a></td><td class="col-md-1"><a onclick={(self.remove, row.id)}><span class="glyphicon glyphicon-remove" aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>"""  # noqa: E501

    def render(self):
        buttons = [
            Button(id="run", title="Create 1,000 rows", on_press=self.run, key="run"),
            Button(id="runlots", title="Create 10,000 rows", on_press=self.run_lots, key="lots"),
            Button(id="add", title="Append 1,000 rows", on_press=self.add, key="add"),
            Button(id="update", title="Update every 10th row", on_press=self.update, key="up"),
            Button(id="clear", title="Clear", on_press=self.clear, key="clear"),
            Button(id="swaprows", title="Swap Rows", on_press=self.swap_rows, key="swap"),
        ]
        rows = each(self.rows.value, self.row, key=row_id)
        return t"""<div class="container"><div class="jumbotron"><div class="row"><div class="col-md-6"><h1>framework (keyed)</h1></div><div class="col-md-6"><div class="row">{buttons}</div></div></div></div><table class="table table-hover table-striped test-data"><tbody id="tbody">{rows}</tbody></table><span class="preloadicon glyphicon glyphicon-remove" aria-hidden="true"></span></div>"""  # noqa: E501


mount(Bench(), "#main")
