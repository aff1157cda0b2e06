"""A modal dialog opened from a button: it renders into <body>, holds the keyboard focus while
open and gives it back on close; and a panel owning an open dialog, which goes with its owner.

tests/e2e/test_portals.py drives it like a user; `window.__portals_reset__()` mounts a fresh
app, so every test starts from the same state without a new page boot.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, dialog, mount


class Confirm(Component):
    """A button that opens a modal; Cancel, Delete and Escape close it."""

    def setup(self):
        self.open = Signal(False)
        self.deleted = Signal(0)

    def show(self):
        self.open.value = True

    def close(self):
        self.open.value = False

    def delete(self):
        self.deleted.value += 1
        self.open.value = False

    def render(self):
        modal = None
        if self.open.value:
            modal = dialog(
                t"""<div class="modal">
  <h2 id="confirm-title">Delete the item?</h2>
  <label>Reason <input id="reason"></label>
  <button id="cancel" onclick={self.close}>Cancel</button>
  <button id="delete" onclick={self.delete}>Delete</button>
</div>""",
                labelledby="confirm-title",
                on_close=self.close,
            )
        return t"""<section id="confirm">
  <button id="open" onclick={self.show}>Remove item</button>
  <output id="deleted">{self.deleted.value}</output>
  {modal}
</section>"""


class Panel(Component):
    """Owns a dialog that is open as long as the panel is there."""

    def render(self):
        return t"""<p id="panel">Panel</p>{dialog(t'<button id="inner">OK</button>', label="Panel dialog")}"""


class App(Component):
    def setup(self):
        self.panel = Signal(False)

    def toggle(self):
        self.panel.value = not self.panel.value

    def render(self):
        panel = Panel() if self.panel.value else None
        return t"""<main>
  {Confirm()}
  <button id="toggle-panel" onclick={self.toggle}>Panel</button>
  {panel}
</main>"""


mounted = [mount(App(), "#app")]


def reset():
    mounted.pop().unmount()
    mounted.append(mount(App(), "#app"))


js.window.__portals_reset__ = create_proxy(reset)
