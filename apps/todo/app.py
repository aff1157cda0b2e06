"""The whole app: header, list, footer, and the data tools (export, import, recovery notice).

State lives in two places only: the todo list in a persistent `Store` and the filter in the
router (the URL hash). Everything on screen is computed from those two.
"""

from collections.abc import Callable
from string.templatelib import Template
from typing import Any

import model
from files import download, read_picked_file
from footer import Footer
from header import Header
from item import TodoItem
from sync_status import SyncStatusLine

from framework import Component, Router, Signal, Store, StoreError, apply_update, update_available
from framework.storage import local_storage


class TodoApp(Component):
    store: Store[model.Todos]
    router: Router

    def setup(self) -> None:
        self.import_error = Signal("")

    # -- changes to the list: each is one pure function of model.py ----------------------------

    def change[*Ts](self, edit: Callable[[model.Todos, *Ts], model.Todos], *args: *Ts) -> None:
        self.store.value = edit(self.store.value, *args)

    def add(self, title: str) -> None:
        self.change(model.add, title)

    def toggle(self, todo_id: str) -> None:
        self.change(model.toggle, todo_id)

    def destroy(self, todo_id: str) -> None:
        self.change(model.remove, todo_id)

    def save(self, todo_id: str, title: str) -> None:
        self.change(model.rename, todo_id, title)

    def toggle_all(self, event: Any) -> None:
        self.change(model.set_all, bool(event.target.checked))

    def clear_completed(self) -> None:
        self.change(model.clear_completed)

    # -- export, import and recovery -------------------------------------------------------------

    def export(self) -> None:
        download(self.store.export(), "todos.json")

    async def import_file(self, event: Any) -> None:
        picked = await read_picked_file(event)
        if picked is None:
            return
        name, text = picked
        try:
            self.store.import_(text)
        except StoreError as error:
            self.import_error.value = f"{name} was not imported, your list is unchanged: {error}"
        else:
            self.import_error.value = ""

    def unreadable_key(self) -> str | None:
        """Where the list that could not be read is kept: the store's newest quarantine copy
        (the app saves new work meanwhile), or the key itself when a newer version wrote it."""
        if self.store.quarantined:
            return self.store.quarantined[-1]
        error = self.store.error
        return error.key if error is not None and error.kind == "newer_version" else None

    def recover(self) -> None:
        """Download what could not be read, so nothing is lost, however the user goes on."""
        kept = self.unreadable_key()
        if kept:
            download(local_storage.storage.get(kept, ""), "todos-unreadable.json")

    def discard(self) -> None:
        """The user does not want the unreadable list back: remove the copies kept aside."""
        self.store.discard_quarantine()

    def start_fresh(self) -> None:
        """A list from a newer version is never overwritten implicitly: this is the decision."""
        self.store.reset()

    # -- the page ----------------------------------------------------------------------------------

    def render(self) -> Template:
        todos = self.store.value
        shown = model.visible(todos, self.router.route.target)
        active = sum(1 for todo in todos if not todo.completed)
        rows = [
            TodoItem(
                todo=todo,
                key=todo.id,
                on_toggle=self.toggle,
                on_destroy=self.destroy,
                on_save=self.save,
            )
            for todo in shown
        ]
        return t"""{self.notices()}<section class="todoapp">
  {Header(on_add=self.add)}
  <section class="main" ?hidden={not todos}>
    <input id="toggle-all" class="toggle-all" type="checkbox"
           checked={bool(todos) and active == 0} onchange={self.toggle_all}>
    <label for="toggle-all">Mark all as complete</label>
    <ul class="todo-list">{rows}</ul>
  </section>
  {
            Footer(
                router=self.router,
                total=len(todos),
                active=active,
                on_clear_completed=self.clear_completed,
            )
        }
</section>
<footer class="info">
  <p>Double-click to edit a todo</p>
  {SyncStatusLine(store=self.store)}
  <p class="data-tools">
    <button class="export" onclick={self.export}>Export list</button>
    <label class="import">Import list <input type="file" accept=".json,application/json"
           onchange={self.import_file}></label>
  </p>
  <p>Written in Python. Look: <a href="https://github.com/tastejs/todomvc-app-css">todomvc-app-css</a>
     (CC BY 4.0).</p>
  <p>Part of <a href="http://todomvc.com">TodoMVC</a></p>
</footer>"""

    def notices(self) -> Template:
        problem = self.store.error
        set_aside = self.store.quarantined
        if problem is not None and problem.quarantine_key and not set_aside:
            problem = None  # its copy was discarded: nothing left to say
        load_notice = None
        if problem is not None or set_aside:
            message = (
                problem.message
                if problem is not None
                else "A list this version could not read is kept aside; your changes since "
                "are saved."
            )
            actions = None
            if set_aside:
                actions = t"""<button class="recover" onclick={self.recover}>Download the
  unreadable list</button> <button class="discard" onclick={self.discard}>Discard
  it</button>"""
            elif problem is not None and problem.kind == "newer_version":
                actions = t"""<button class="recover" onclick={self.recover}>Download the
  unreadable list</button> <button class="start-fresh" onclick={self.start_fresh}>Start
  fresh</button>"""
            load_notice = t"""<div class="notice store-error" role="alert">
  <p>{message}</p>{actions}
</div>"""
        failed = self.import_error.value
        import_notice = None
        if failed:
            import_notice = t'<div class="notice import-error" role="alert"><p>{failed}</p></div>'
        return t"{self.update_notice()}{load_notice}{import_notice}"

    def update_notice(self) -> Template | None:
        """A new build was deployed: it takes over (and the page reloads) when the user says so,
        never in the middle of their work (docs/offline.md)."""
        if not update_available.value:
            return None
        return t"""<div class="notice update-notice" role="status">
  <p>A new version is available -
    <button class="apply-update" onclick={apply_update}>reload</button></p>
</div>"""
