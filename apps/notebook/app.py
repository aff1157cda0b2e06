"""The whole notebook: the new-note form, the search, the list, and the data tools.

State: the notes live in SQLite (notes.py), read again after each write (`changes`) and after
each save of another tab that changed notes.db here (`files.reloaded`); what to show is the
search text and the picked tag. The list is `each()` over the matching notes, and a note that
did not change keeps its object from one read to the next (`reuse`), so a write re-renders only
the rows it changed.

A note whose edit form is open stays in the list while the form is open, even when another tab
changed it so that it no longer matches, or deleted it: the form keeps what the user typed,
and the row says what happened (note_card.py).
"""

from collections.abc import Callable
from pathlib import Path
from string.templatelib import Template

from data_tools import DataTools
from editor import NoteEditor
from note_card import NoteCard
from notes import Note, Notebook, NoteError
from search_bar import SearchBar

from framework import Component, Computed, Signal, each, effect, files
from framework.component import ComponentCall

SAVED_AS_NEW = (
    "Another tab (or an import) had deleted the note you were editing: your text is saved as a "
    "new note."
)


class NotebookApp(Component):
    notebook: Notebook
    folder: Path  # the persistent folder notes.db is in: what export and import move

    def setup(self) -> None:
        self.query = Signal("")
        self.tag = Signal[str | None](None)
        # One more after each write here, and after each save of another tab that changed
        # notes.db here: what reads the notes (the list, counts, tags, storage) runs again.
        self.changes = Signal(0)
        self.editing = Signal(frozenset[int]())  # the notes whose edit form is open
        self.problem = Signal("")
        self.known: dict[Note, Note] = {}
        self.shown = Computed(self.matching)
        self.deleted = Computed(self.deleted_while_editing)
        effect(self.read_again_after_other_tabs)  # owned by this component: ends with it

    def read_again_after_other_tabs(self) -> None:
        """Another tab saved notes.db and this tab now has that file: read it again, as after
        a write here. A save of other files (or none yet) changes nothing."""
        if str(self.notebook.path) in files.reloaded.value.paths:
            self.changed()

    # -- reading ---------------------------------------------------------------------------------

    def matching(self) -> list[Note]:
        _ = self.changes.value
        found = self.notebook.search(self.query.value, self.tag.value)
        return self.reuse(self.with_open_forms(found))

    def with_open_forms(self, found: list[Note]) -> list[Note]:
        """`found`, with the notes being edited that it lacks (another tab changed one so that
        it no longer matches, or deleted it: then as it was last shown), in the list's order.
        Dropping their row would drop the form and what the user typed in it."""
        missing = self.editing.value - {note.id for note in found}
        if not missing:
            return found
        last_shown = {note.id: note for note in self.known}
        kept = [self.notebook.get(note_id) or last_shown.get(note_id) for note_id in missing]
        everything = found + [note for note in kept if note is not None]
        return sorted(everything, key=lambda note: (note.updated, note.id), reverse=True)

    def deleted_while_editing(self) -> frozenset[int]:
        """The notes being edited here that the database no longer holds: their form says so,
        and saving it adds the text as a new note."""
        _ = self.changes.value
        return frozenset(i for i in self.editing.value if self.notebook.get(i) is None)

    def reuse(self, notes: list[Note]) -> list[Note]:
        """The same objects as last time for the notes that are equal: each() then skips
        their rows."""
        kept = [self.known.get(note, note) for note in notes]
        self.known = {note: note for note in kept}
        return kept

    # -- writing: each is one call of the notebook, then the list is read again ---------------

    def changed(self) -> None:
        self.changes.update(lambda count: count + 1)  # untracked: an effect may call it

    def add(self, title: str, body: str, tags: tuple[str, ...]) -> None:
        self.attempt(lambda: self.notebook.add(title, body, tags))

    def save(self, note_id: int, title: str, body: str, tags: tuple[str, ...]) -> None:
        """An edit form's text: the note's new version or, if it was deleted while the form
        was open (another tab, an import), a new note, so what the user typed is kept."""
        if self.notebook.get(note_id) is None:
            self.attempt(lambda: self.notebook.add(title, body, tags), said=SAVED_AS_NEW)
        else:
            self.attempt(lambda: self.notebook.edit(note_id, title, body, tags))

    def delete(self, note_id: int) -> None:
        self.attempt(lambda: self.notebook.delete(note_id))

    def attempt(self, write: Callable[[], object], *, said: str = "") -> None:
        """Run one write; a refusal (a note with a blank title, say), or what `said` tells
        of a write that succeeded, is shown until the next write. The list is read again
        either way."""
        try:
            write()
        except NoteError as error:
            self.problem.value = str(error)
        else:
            self.problem.value = said
        self.changed()

    def pick_tag(self, tag: str | None) -> None:
        self.tag.value = tag

    def edit_form(self, note_id: int, is_open: bool) -> None:
        """A row's edit form opened or closed: while open, its note stays in the list."""
        self.editing.update(lambda ids: ids | {note_id} if is_open else ids - {note_id})

    # -- the page ----------------------------------------------------------------------------------

    def row(self, note: Note) -> ComponentCall:
        return NoteCard(
            note=note,
            deleted=self.deleted,
            on_editing=self.edit_form,
            on_save=self.save,
            on_delete=self.delete,
            on_tag=self.pick_tag,
        )

    def render(self) -> Template:
        _ = self.changes.value  # count() and tags() read the database, which is not reactive
        shown = self.shown.value
        total = self.notebook.count()
        return t"""<main class="notebook">
  <header><h1>Notebook</h1></header>
  {NoteEditor(on_save=self.add)}
  <p class="problem refused" role="alert" ?hidden={not self.problem.value}>{self.problem}</p>
  {
            SearchBar(
                query=self.query,
                kind=self.notebook.search_kind,
                tags=self.notebook.tags(),
                picked=self.tag.value,
                on_tag=self.pick_tag,
            )
        }
  <p class="count">{self.count_line(len(shown), total)}</p>
  <ul class="notes">{each(shown, self.row, key=lambda note: note.id)}</ul>
  {DataTools(folder=self.folder, changes=self.changes.value, on_imported=self.changed)}
</main>"""

    def count_line(self, shown: int, total: int) -> str:
        if total == 0:
            return "No notes yet: write the first one above."
        if shown == total:
            return f"{total} note{'s' if total != 1 else ''}"
        return f"{shown} of {total} notes match"
