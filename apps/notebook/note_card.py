"""NoteCard: one note in the list (title, tags, text, times), and its edit form when editing."""

from datetime import datetime
from string.templatelib import Template

from editor import NoteEditor
from notes import Note

from framework import Component, Computed, Signal


def shown_time(moment: datetime) -> str:
    """A stored time (UTC) as the list shows it: to the minute, in the browser's time zone."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


# What an open form says when the list, read again, has another version of its note.
CHANGED_ELSEWHERE = (
    "Another tab (or an import) changed this note while you were editing it. Your text is "
    "kept below: Save to replace the other version with it, or Cancel to see the other version."
)
DELETED_ELSEWHERE = (
    "Another tab (or an import) deleted this note while you were editing it. Your text is "
    "kept below: Save to keep it as a new note, or Cancel to discard it."
)


class NoteCard(Component):
    """Emits `save(id, title, body, tags)`, `delete(id)`, `tag(name)` (a tag was clicked) and
    `editing(id, open)` when its edit form opens or closes. Whether the note is being edited is
    this row's own state, like the TO-DO app's items; the form's text is the editor's own, so a
    new version of the note read while the form is open does not replace what the user typed,
    and the row says what changed."""

    note: Note
    deleted: Computed[frozenset[int]]  # the notes being edited that the database lost

    def setup(self) -> None:
        self.editing = Signal(False)
        self.opened: Note | None = None  # the note as it was when the form opened

    def start_editing(self) -> None:
        self.opened = self.note
        self.editing.value = True
        self.emit("editing", self.note.id, True)

    def stop_editing(self) -> None:
        self.editing.value = False
        self.emit("editing", self.note.id, False)

    def save(self, title: str, body: str, tags: tuple[str, ...]) -> None:
        self.stop_editing()
        self.emit("save", self.note.id, title, body, tags)  # deleted meanwhile: added anew

    def elsewhere(self) -> str | None:
        """What happened to the note since its form opened, if another tab changed it."""
        if self.note.id in self.deleted.value:
            return DELETED_ELSEWHERE
        if self.note != self.opened:
            return CHANGED_ELSEWHERE
        return None

    def delete(self) -> None:
        self.emit("delete", self.note.id)

    def render(self) -> Template:
        note = self.note
        if self.editing.value:
            editor = NoteEditor(
                title=note.title,
                body=note.body,
                tags=note.tags,
                editing=True,
                on_save=self.save,
                on_cancel=self.stop_editing,
            )
            warning = self.elsewhere()
            return t"""<li class="note editing" data-id={note.id}>
  <p class="problem elsewhere" role="alert" ?hidden={warning is None}>{warning}</p>
  {editor}
</li>"""
        tags = [self.tag_button(tag) for tag in note.tags]
        edited = None
        if note.updated != note.created:
            edited = t" · edited {self.time(note.updated)}"
        return t"""<li class="note" data-id={note.id}>
  <h2 class="title">{note.title}</h2>
  <ul class="tags" ?hidden={not tags}>{tags}</ul>
  <p class="body" ?hidden={not note.body}>{note.body}</p>
  <p class="meta">
    <span class="times">created {self.time(note.created)}{edited}</span>
    <button class="edit" onclick={self.start_editing}>Edit</button>
    <button class="delete" onclick={self.delete}>Delete</button>
  </p>
</li>"""

    def tag_button(self, tag: str) -> Template:
        return t"""<li><button class="tag" onclick={(lambda: self.emit("tag", tag))}
  >#{tag}</button></li>"""

    def time(self, moment: datetime) -> Template:
        return t"<time datetime={moment.isoformat()}>{shown_time(moment)}</time>"
