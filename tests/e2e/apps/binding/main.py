"""Bound controls whose value the browser could get wrong: a select whose options come from a
slot (the issue's repro), selects in a list of components whose options come later, a select
multiple, and number and range inputs.

tests/e2e/test_binding.py drives it like a user; `window.__binding_reset__()` mounts a fresh
app, so every test starts from the same state without a new page boot.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, keyed, mount


def shown(value):
    """A bound value as the page prints it: its repr and its type."""
    return f"{value!r} {type(value).__name__}"


class Rating(Component):
    """The issue's repro: the options come from a slot, after the select's value."""

    def setup(self):
        self.v = Signal("3")

    def render(self):
        opts = [t"<option value={r}>{r}</option>" for r in ("5", "4", "3")]
        return t"""<section id="rating">
            <select bind:value={self.v}>{opts}</select>
            <output>{self.v}</output>
        </section>"""


class Picker(Component):
    ident: str
    values: tuple[str, ...]

    def setup(self):
        self.choice = Signal("c")

    def render(self):
        options = [keyed(v, t"<option>{v}</option>") for v in self.values]
        return t"""<li id={self.ident}>
            <select bind:value={self.choice}>{options}</select>
            <output>{self.choice}</output>
        </li>"""


class Pickers(Component):
    def setup(self):
        self.values = Signal[tuple[str, ...]](())
        self.idents = Signal(["p1", "p2"])

    def add_options(self):
        self.values.value = ("a", "b", "c", "d")

    def change_options(self):
        self.values.value = ("z", "d", "c", "a")

    def add_row(self):
        self.idents.value = ["p3", *self.idents.value]

    def render(self):
        rows = [Picker(ident=i, values=self.values.value, key=i) for i in self.idents.value]
        return t"""<section id="pickers">
            <button type="button" class="add-options" onclick={self.add_options}>Add options</button>
            <button type="button" class="change-options" onclick={self.change_options}>Change options</button>
            <button type="button" class="add-row" onclick={self.add_row}>Add a row</button>
            <ul>{rows}</ul>
        </section>"""


class Multiple(Component):
    def setup(self):
        self.chosen = Signal(["b"])

    def render(self):
        opts = [t"<option value={v}>{v.upper()}</option>" for v in ("a", "b", "c", "d")]
        return t"""<section id="multiple">
            <select multiple bind:value={self.chosen}>{opts}</select>
            <button type="button" onclick={(lambda: self.chosen.set(["d", "a"]))}>Set from code</button>
            <output>{shown(self.chosen.value)}</output>
        </section>"""


class Numbers(Component):
    def setup(self):
        self.count = Signal[int | float | None](3)
        self.level = Signal[int | float | None](5)

    def render(self):
        return t"""<section id="numbers">
            <input class="count" type="number" bind:value={self.count}>
            <output class="count">{shown(self.count.value)}</output>
            <input class="level" type="range" min="0" max="10" step="0.5" bind:value={self.level}>
            <output class="level">{shown(self.level.value)}</output>
            <button type="button" onclick={(lambda: self.count.set(12))}>Set from code</button>
        </section>"""


class App(Component):
    def render(self):
        return t"<main>{Rating()}{Pickers()}{Multiple()}{Numbers()}</main>"


mounted = [mount(App(), "#app")]


def reset():
    mounted.pop().unmount()
    mounted.append(mount(App(), "#app"))


js.window.__binding_reset__ = create_proxy(reset)
