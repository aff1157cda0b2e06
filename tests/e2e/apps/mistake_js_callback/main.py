"""Mistakes with Python callbacks handed to the browser, and an in-place Store edit, next to a
Store that must survive them all (tests/e2e/test_page_errors.py).

* #later: `js.setTimeout(lambda: ..., 100)`, as PyScript and Brython examples do. Pyodide would
  destroy the lambda's proxy when setTimeout returns; the framework keeps it until it has run.
* #listen: `addEventListener("click", lambda event: ...)`: the proxy is destroyed, so a click on
  #target fails in JavaScript; the overlay says why and what to use instead.
* #boom: a timer callback that raises: the overlay shows the Python traceback.
* #edit: `notes.value.append(...)`, an in-place edit of a Store's value: reported at its line.
"""

import js

from framework import Component, Signal, Store, mount

notes = Store("mistake-notes", list[str])
fired = Signal("not yet")


class Mistakes(Component):
    def add(self) -> None:
        notes.update(lambda items: [*items, f"note {len(items) + 1}"])

    def later(self) -> None:
        js.setTimeout(lambda: fired.set("fired"), 100)

    def listen(self) -> None:
        target = js.document.getElementById("target")
        target.addEventListener("click", lambda event: fired.set("clicked"))

    def boom(self) -> None:
        js.setTimeout(lambda: 1 / 0, 10)

    def edit(self) -> None:
        notes.value.append("edited in place")

    def render(self):
        return t"""<section>
  <button id="add" onclick={self.add}>add</button>
  <button id="later" onclick={self.later}>later</button>
  <button id="listen" onclick={self.listen}>listen</button>
  <button id="target">target</button>
  <button id="boom" onclick={self.boom}>boom</button>
  <button id="edit" onclick={self.edit}>edit</button>
  <p id="notes">{", ".join(notes.value)}</p>
  <p id="fired">{fired.value}</p>
</section>"""


mount(Mistakes(), "#app")
