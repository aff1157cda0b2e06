"""The header: the title and the new-todo input (Enter adds, blank input adds nothing)."""

from string.templatelib import Template
from typing import Any

from framework import Component, Ref, Signal


class Header(Component):
    """Emits `add(title)`; the parent decides what a todo is."""

    def setup(self) -> None:
        self.draft = Signal("")
        self.input = Ref()

    def submit(self, event: Any) -> None:
        if getattr(event, "isComposing", False):  # Enter that confirms an IME candidate
            return
        title = self.draft.value.strip()
        if title:
            self.emit("add", title)
            self.draft.value = ""

    def render(self) -> Template:
        return t"""<header class="header">
  <h1>todos</h1>
  <input class="new-todo" placeholder="What needs to be done?" autofocus
         ref={self.input} bind:value={self.draft} onkeydown.enter={self.submit}>
</header>"""
