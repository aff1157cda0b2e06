"""Hydration of hand-made prerendered markup (index.html): a greeting whose text is three slots
(one text node in HTML, three after hydration), a bound input and select, and keyed rows whose
markup has one row changed and one extra."""

from string.templatelib import Template
from typing import Any

from framework import Component, Signal, keyed, mount


class Page(Component):
    def setup(self) -> None:
        self.name = Signal("Ada")
        self.clicks = Signal(0)
        self.choice = Signal("b")
        self.rows = Signal(["one", "two", "three"])
        self.picked = Signal("")

    def count(self) -> None:
        self.clicks.value += 1

    def pick(self, event: Any) -> None:
        self.picked.value = str(event.currentTarget.textContent)

    def render(self) -> Template:
        rows = [
            keyed(row, t'<li><button class="row" onclick={self.pick}>{row}</button></li>')
            for row in self.rows.value
        ]
        return t"""<h1>Hello {self.name.value}, {self.clicks.value} clicks</h1>
<input class="typed" bind:value={self.name}>
<select class="choice" bind:value={self.choice}><option value="a">A</option><option value="b">B</option></select>
<ul class="rows">{rows}</ul>
<button class="count" onclick={self.count}>count</button>
<p class="picked">{self.picked.value}</p>"""


mount(Page(), "#app")
