"""The TO-DO app's entry: the store, the router, and the app mounted into the page.

The list is kept under `todos-framework` as a plain JSON array of {id, title, completed}
(TodoMVC's format, readable by any other TodoMVC app); the filter lives in the URL hash.
Opened with `?sync` (`http://127.0.0.1:8000/?sync`), the list also syncs with the app's server
(server.py): every device of the same browser identity edits one list, offline too.
"""

from urllib.parse import parse_qs

from app import TodoApp
from model import STORAGE_KEY, SYNCED_STORE, Todo
from pyscript import document

from framework import Router, Store, mount, prerendering, redirect


def sync_asked() -> bool:
    """`?sync` in the page's address. Opt-in: a list in this browser alone is what TodoMVC
    specifies, and a static build has no server to sync with."""
    if prerendering():  # the first view is built without a page (nor a server)
        return False
    return "sync" in parse_qs(str(document.location.search)[1:], keep_blank_values=True)


todos = Store(
    STORAGE_KEY,
    list[Todo],
    default=list,
    area="local",
    layout="plain",
    server=SYNCED_STORE if sync_asked() else None,
)
router = Router(
    {"/": "all", "/active": "active", "/completed": "completed"},
    fallback=redirect("/"),
).start()

mount(TodoApp(store=todos, router=router), "#app")
# The parser applies `autofocus` to the prerendered input, never to one inserted later.
if not prerendering():
    document.querySelector(".new-todo").focus()
