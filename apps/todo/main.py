"""The TO-DO app's entry: the store, the router, and the app mounted into the page.

The list is kept under `todos-framework` as a plain JSON array of {id, title, completed}
(TodoMVC's format, readable by any other TodoMVC app); the filter lives in the URL hash.
"""

from app import TodoApp
from model import STORAGE_KEY, Todo
from pyscript import document

from framework import Router, Store, mount, prerendering, redirect

todos = Store(STORAGE_KEY, list[Todo], default=list, area="local", layout="plain")
router = Router(
    {"/": "all", "/active": "active", "/completed": "completed"},
    fallback=redirect("/"),
).start()

mount(TodoApp(store=todos, router=router), "#app")
# The parser applies `autofocus` to the prerendered input, never to one inserted later.
if not prerendering():
    document.querySelector(".new-todo").focus()
