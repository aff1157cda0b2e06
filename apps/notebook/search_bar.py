"""SearchBar: the search box, the tags to filter by, and which kind of search this SQLite has."""

from string.templatelib import Template

from framework import Component, Signal

KINDS = {
    "FTS5": "Full-text search (SQLite FTS5): every word must match the start of a word in the "
    "title, the text or the tags.",
    "LIKE": "Search with LIKE (this SQLite has no FTS5): every word must appear somewhere in "
    "the title, the text or the tags.",
}


class SearchBar(Component):
    """Writes what is typed into `query`; emits `tag(name)` for a tag picked, `tag(None)` to
    show every tag again."""

    query: Signal[str]
    kind: str  # "FTS5" or "LIKE": Notebook.search_kind
    tags: list[tuple[str, int]]  # every tag in use, with its number of notes
    picked: str | None = None

    def pick(self, tag: str | None) -> None:
        self.emit("tag", None if tag == self.picked else tag)

    def tag_button(self, tag: str, count: int) -> Template:
        pressed = "true" if tag == self.picked else "false"
        return t"""<li><button class="tag" aria-pressed={pressed}
  onclick={(lambda: self.pick(tag))}>#{tag} <small>{count}</small></button></li>"""

    def render(self) -> Template:
        buttons = [self.tag_button(tag, count) for tag, count in self.tags]
        return t"""<section class="search">
  <input type="search" class="query" placeholder="Search notes" aria-label="Search notes"
         bind:value={self.query}>
  <ul class="tags" ?hidden={not buttons}>{buttons}</ul>
  <p class="search-kind" data-kind={self.kind}>{KINDS[self.kind]}</p>
</section>"""
