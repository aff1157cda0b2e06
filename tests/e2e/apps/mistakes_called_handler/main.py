"""Mistake 1 of issue 17: a handler called instead of passed, in a list row.

`onclick={self.remove()}` runs remove() while each row renders; remove() emits to the parent,
whose handler writes the Store. Render is read-only, so the write is refused: the rows show
their fallback, the overlay names this file's line and the fix, and the five stored items stay.
"""

from framework import Component, Store, mount

items = Store("mistakes-items", list[str], default=list, area="local", layout="plain")
if not items.peek():  # the first visit stores five items
    items.value = ["milk", "eggs", "bread", "tea", "jam"]


class Row(Component):
    title: str

    def remove(self):
        self.emit("removed", self.title)

    def render(self):
        return t"<li>{self.title} <button onclick={self.remove()}>remove</button></li>"


class App(Component):
    def remove(self, title):
        items.value = [item for item in items.value if item != title]

    def render(self):
        rows = [Row(title=title, on_removed=self.remove, key=title) for title in items.value]
        return t'<section><p id="count">{len(items.value)} items</p><ul>{rows}</ul></section>'


mount(App(), "#app")
