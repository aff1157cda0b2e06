"""mount(): render a component call or a template into an element of a document.

In the browser the document is the page (the browser layer registers its backend at boot);
a test passes its own, usually `backend=MemoryDom()`.
"""

from __future__ import annotations

from collections.abc import Callable
from string.templatelib import Template
from typing import TYPE_CHECKING

from framework.reactive import flush
from framework.template.child import RootSlot
from framework.template.renderer import Renderer, renderer_for
from framework.template.source import remember_caller

if TYPE_CHECKING:
    from framework.component.host import ComponentCall
    from framework.dom.backend import Backend

_default_backend: Callable[[], Backend] | None = None


def set_default_backend(factory: Callable[[], Backend]) -> None:
    """The browser layer registers the real DOM here at boot."""
    global _default_backend  # noqa: PLW0603 - one document per interpreter
    _default_backend = factory


class Mounted:
    """What mount() returns: flush pending work, inspect the backend, unmount."""

    def __init__(self, renderer: Renderer, part: RootSlot) -> None:
        self.renderer, self.part = renderer, part

    @property
    def backend(self) -> Backend:
        return self.renderer.backend

    def flush(self) -> None:
        """Run pending effects and send the operations now (tests; the browser does it itself)."""
        flush()
        self.renderer.commit()

    def unmount(self) -> None:
        self.part.unmount()
        self.flush()


def mount(root: ComponentCall | Template, selector: str, backend: Backend | None = None) -> Mounted:
    """Render `root` (a component call or a template) into the element matching `selector`."""
    if backend is None:
        if _default_backend is None:
            raise RuntimeError(
                "mount() needs a DOM: in the browser the framework provides it; in tests pass "
                "backend=MemoryDom()"
            )
        backend = _default_backend()
    remember_caller()  # a top-level mount(t"...") builds its template in code no function keeps
    renderer = renderer_for(backend)
    part = RootSlot(renderer, selector)
    part.set(root)
    mounted = Mounted(renderer, part)
    mounted.flush()
    return mounted
