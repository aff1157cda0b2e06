"""History-mode routes with a title per page: `/` and `/book/{id}` (tests/e2e/test_history_routes.py)."""

from framework import Component, Router, head, mount


class Home(Component):
    def render(self):
        return t'<h1>Books</h1><a id="book-7" href={router.href("/book/7")}>Book 7</a>'


class Book(Component):
    id: int

    def setup(self):
        head(title=lambda: f"Book {self.id}", meta={"description": lambda: f"About book {self.id}"})

    def render(self):
        return t"""<h1>Book {self.id}</h1>
            <a id="home" href={router.href("/")}>All books</a>
            <a id="next" href={router.href(f"/book/{self.id + 1}")}>Next</a>"""


router = Router({"/": Home, "/book/{id:int}": Book}, mode="history").start()


class Shell(Component):
    def render(self):
        return t"<main>{router.view()}</main>"


mount(Shell(), "#app")
