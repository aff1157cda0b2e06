"""A reading list whose model changes between two loads of the same served app, for the
quarantine end-to-end test: the localStorage flag "model" picks the release. Without it (the
release before) a book has an id and a title; with "rated" (the new release) it also has a
required rating, and the list stored before no longer validates. The page shows the list, the
store's error kind, and a banner while `books.quarantined` lists set-aside copies.
"""

from browser.local_storage import storage
from pydantic import BaseModel

from framework import Component, Store, mount


class Book(BaseModel):
    id: str
    title: str


class RatedBook(BaseModel):
    id: str
    title: str
    rating: int


RATED = storage.get("model") == "rated"
Model = RatedBook if RATED else Book
books = Store("books-e2e", list[Model], default=list)


class App(Component):
    def add(self):
        number = len(books.peek()) + 1
        fields = {"id": str(number), "title": f"book {number}"}
        if RATED:
            fields["rating"] = 3
        books.update(lambda items: [*items, Model(**fields)])

    def render(self):
        error = books.error
        kept = books.quarantined
        banner = None
        if kept:
            banner = t"""<p id="banner" role="status">Books saved by an older version were set
  aside ({", ".join(kept)}).</p>"""
        titles = ", ".join(book.title for book in books.value)
        return t"""<section>
  {banner}
  <button id="add" onclick={self.add}>add</button>
  <p id="model">{"rated" if RATED else "plain"}</p>
  <p id="titles">{titles}</p>
  <p id="error-kind">{error.kind if error else "none"}</p>
</section>"""


mount(App(), "#app")
