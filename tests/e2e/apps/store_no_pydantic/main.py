"""A Store of plain strings in an app that never imports pydantic itself: the page must load
pydantic anyway, because framework.store needs it (issue 17, item 10)."""

from framework import Component, Store, mount

notes = Store("notes", list[str])


class Notes(Component):
    def add(self) -> None:
        notes.update(lambda items: [*items, f"note {len(items) + 1}"])

    def render(self):
        return t"""<section>
  <button id="add" onclick={self.add}>add</button>
  <p id="notes">{", ".join(notes.value)}</p>
</section>"""


mount(Notes(), "#app")
