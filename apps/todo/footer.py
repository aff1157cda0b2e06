"""The footer: the active count, the filter links and "Clear completed"."""

from string.templatelib import Template

from model import items_left

from framework import Component, Router

FILTER_LINKS = (("/", "All"), ("/active", "Active"), ("/completed", "Completed"))


class Footer(Component):
    """Hidden (not removed) when the list is empty; emits `clear_completed()`."""

    router: Router
    total: int
    active: int

    def render(self) -> Template:
        links = [
            t"<li><a class={'selected' if self.router.is_active(path) else None} "
            t"href={self.router.href(path)}>{label}</a></li>"
            for path, label in FILTER_LINKS
        ]
        done = self.total - self.active
        return t"""<footer class="footer" ?hidden={not self.total}>
  <span class="todo-count"><strong>{self.active}</strong> {items_left(self.active)}</span>
  <ul class="filters">{links}</ul>
  <button class="clear-completed" ?hidden={not done}
          onclick={(lambda: self.emit("clear_completed"))}>Clear completed</button>
</footer>"""
