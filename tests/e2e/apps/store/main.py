"""A persistent TO-DO list for the Store's end-to-end tests: one plain-layout Store in
localStorage, and everything the tests need to see as text (count, titles, error kind and
message, persistent, dirty, how many times the list rendered, whether the `storage` listener is
installed). Buttons add a todo, add a 6-million-character todo (more than any quota), save,
reset, and close the store. It also runs Brython's local_storage doc example as written.
"""

from contextlib import suppress

from browser.local_storage import storage
from pydantic import BaseModel

from framework import Component, Signal, Store, StoreError, mount
from framework.browser.storage import storage_events_listening

storage["foo"] = "bar"
brython_example = storage["foo"]


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


todos = Store("todos-e2e", list[Todo], default=list, area="local", layout="plain")

HUGE = 6_000_000


def short(title: str) -> str:
    return title if len(title) <= 20 else f"{title[:4]}…({len(title)} chars)"


class App(Component):
    def setup(self):
        self.renders = 0
        self.closed = Signal(False)

    def add(self):
        number = len(todos.peek()) + 1
        todos.update(lambda items: [*items, Todo(id=str(number), title=f"item {number}")])

    def add_huge(self):
        todos.update(lambda items: [*items, Todo(id="huge", title="x" * HUGE)])

    def save(self):
        with suppress(StoreError):  # shown through todos.error
            todos.save()

    def close(self):
        todos.close()
        self.closed.value = True

    def render(self):
        self.renders += 1
        error = todos.error
        titles = ", ".join(short(todo.title) for todo in todos.value)
        kind = error.kind if error else "none"
        reason = error.reason.kind if error is not None and error.kind == "other_tab" else ""
        message = error.message if error else ""
        closed = self.closed.value
        listening = storage_events_listening()
        return t"""<section>
  <button id="add" onclick={self.add}>add</button>
  <button id="add-huge" onclick={self.add_huge}>add huge</button>
  <button id="save" onclick={self.save}>save</button>
  <button id="reset" onclick={todos.reset}>reset</button>
  <button id="close" onclick={self.close}>close</button>
  <p id="count">{len(todos.value)}</p>
  <p id="titles">{titles}</p>
  <p id="error-kind">{kind}</p>
  <p id="error-reason">{reason}</p>
  <p id="error-message">{message}</p>
  <p id="persistent">{str(todos.persistent)}</p>
  <p id="dirty">{str(todos.dirty)}</p>
  <p id="renders">{self.renders}</p>
  <p id="closed">{str(closed)}</p>
  <p id="listening">{str(listening)}</p>
  <p id="brython">{brython_example}</p>
</section>"""


mount(App(), "#app")
