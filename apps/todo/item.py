"""One todo: toggle, destroy, and double-click to edit (Enter or blur saves, Escape discards)."""

from string.templatelib import Template

from model import Todo

from framework import Component, Ref, Signal


class TodoItem(Component):
    """Emits `toggle(id)`, `destroy(id)` and `save(id, title)`; an empty title destroys."""

    todo: Todo

    def setup(self) -> None:
        self.editing = Signal(False)
        self.draft = Signal("")
        self.edit_input = Ref()
        self.focus_pending = False

    def toggle(self) -> None:
        self.emit("toggle", self.todo.id)

    def destroy(self) -> None:
        self.emit("destroy", self.todo.id)

    def start_editing(self) -> None:
        self.draft.value = self.todo.title
        self.editing.value = True
        self.focus_pending = True

    def save(self) -> None:
        if not self.editing.value:  # the blur that follows Enter or Escape: already done
            return
        self.editing.value = False
        self.emit("save", self.todo.id, self.draft.value)

    def cancel(self) -> None:
        self.editing.value = False

    def updated(self) -> None:
        if self.focus_pending:
            self.focus_pending = False
            element = self.edit_input.current  # sends the pending DOM work first
            if element is not None and hasattr(element, "focus"):
                element.focus()

    def render(self) -> Template:
        todo = self.todo
        state = "editing" if self.editing.value else "completed" if todo.completed else None
        return t"""<li class={state}>
  <div class="view">
    <input class="toggle" type="checkbox" checked={todo.completed}
           onchange={self.toggle}>
    <label ondblclick={self.start_editing}>{todo.title}</label>
    <button class="destroy" onclick={self.destroy}></button>
  </div>
  <input class="edit" ref={self.edit_input} bind:value={self.draft}
         onkeydown.enter={self.save} onkeydown.escape={self.cancel} onblur={self.save}>
</li>"""
