"""NoteEditor: the form for a note's title, tags and text, to add a note or to edit one."""

from string.templatelib import Template

from notes import parse_tags

from framework import Component, Signal


class NoteEditor(Component):
    """Emits `save(title, body, tags)` (title trimmed, tags parsed) and, when editing,
    `cancel()`. A blank title is not emitted: the form says what is missing. The new-note form
    (`editing=False`) empties itself after a save; an edit form is closed by its parent."""

    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    editing: bool = False

    def setup(self) -> None:
        self.draft_title = Signal(self.title)
        self.draft_body = Signal(self.body)
        self.draft_tags = Signal(", ".join(self.tags))
        self.problem = Signal("")

    def submit(self) -> None:
        title = self.draft_title.value.strip()
        if not title:
            self.problem.value = "Give the note a title."
            return
        self.problem.value = ""
        self.emit("save", title, self.draft_body.value, parse_tags(self.draft_tags.value))
        if not self.editing:
            self.draft_title.value = self.draft_body.value = self.draft_tags.value = ""

    def render(self) -> Template:
        kind, action = ("edit-note", "Save") if self.editing else ("new-note", "Add note")
        cancel = None
        if self.editing:
            cancel = t"""<button type="button" class="cancel"
                onclick={(lambda: self.emit("cancel"))}>Cancel</button>"""
        return t"""<form class={["note-form", kind]} onsubmit.prevent={self.submit}>
  <input class="title" placeholder="Title" aria-label="Title" bind:value={self.draft_title}>
  <input class="tags" placeholder="Tags, separated by commas" aria-label="Tags"
         bind:value={self.draft_tags}>
  <textarea class="body" rows="4" placeholder="Write your note" aria-label="Text"
            bind:value={self.draft_body}></textarea>
  <p class="problem" role="alert" ?hidden={not self.problem.value}>{self.problem}</p>
  <p class="actions"><button type="submit" class="save">{action}</button> {cancel}</p>
</form>"""
