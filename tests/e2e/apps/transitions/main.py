"""A list whose rows enter, leave and slide, and a note that fades in and out (transition()).

The test clicks the buttons and watches the elements' classes and their removal in real time.
`window.__transitions_reset__()` unmounts the app (which removes what is still leaving at once)
and mounts a fresh one, so every test starts from the same state without a new page boot.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, keyed, mount, transition

NAMES = ["a", "b", "c", "d"]


class Board(Component):
    def setup(self):
        self.names = Signal(list(NAMES))
        self.shown = Signal(True)

    def remove_b(self):
        self.names.value = [name for name in self.names.value if name != "b"]

    def reverse(self):
        self.names.value = self.names.value[::-1]

    def add_e(self):
        self.names.value = [*self.names.value, "e"]

    def toggle(self):
        self.shown.value = not self.shown.value

    def render(self):
        rows = [keyed(name, t"<li data-key={name}>{name}</li>") for name in self.names.value]
        note = t"<p id=note>Saved</p>" if self.shown.value else None
        return t"""<main>
            <button id=remove onclick={self.remove_b}>Remove b</button>
            <button id=reverse onclick={self.reverse}>Reverse</button>
            <button id=add onclick={self.add_e}>Add e</button>
            <button id=toggle onclick={self.toggle}>Toggle note</button>
            <ul id=list>{transition("row", rows)}</ul>
            {transition("fade", note)}
        </main>"""


mounted = [mount(Board(), "#app")]


def reset():
    mounted.pop().unmount()
    mounted.append(mount(Board(), "#app"))


js.window.__transitions_reset__ = create_proxy(reset)
