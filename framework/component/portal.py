"""portal() and dialog(): content rendered into another element of the page (a modal into
<body>), still owned by the component that renders it.

A portal is a value for a child slot, like a component call. Where it stands it leaves only an
empty text node (its place); its content goes into a frame element (`<div
data-framework-portal>`) appended to the target. The component rendering it owns it: the
content is created and updated inside that component's render, so context (inject) and scoped
styles are the parent's; when the slot lets it go (a condition turns false, the owner unmounts)
the frame leaves the target. Events bubble from the frame to the element around its place, as
if the content stood there (the DOM op PORTAL records that link; both backends follow it).

A dialog is a portal with `role="dialog"` and `aria-modal="true"` whose frame holds the
keyboard focus while it is open: on open the focus moves into it, Tab and Shift+Tab cycle
inside it, Escape calls `on_close`, and on close the focus goes back to the element that had it
before. The core decides when (the ops TRAP_FOCUS and RELEASE_FOCUS, sent with the frame's
ops); the browser's focus.js (and the memory backend's framework/dom/focus.py) do it.
"""

from __future__ import annotations

from collections.abc import Callable
from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.template.content import Content, Mountable

if TYPE_CHECKING:
    from framework.template.instance import TemplateInstance
    from framework.template.renderer import Renderer

DEFAULT_TARGET = "body"


class Portal(Mountable):
    """What portal() and dialog() return: a description the slot mounts once and afterwards
    only updates (like a component call)."""

    __slots__ = ("children", "key", "label", "labelledby", "modal", "on_close", "target")

    def __init__(
        self,
        children: tuple[Any, ...],
        target: str,
        *,
        modal: bool = False,
        label: str | None = None,
        labelledby: str | None = None,
        on_close: Callable[..., Any] | None = None,
        key: Any = None,
    ) -> None:
        self.children, self.target, self.modal = children, _checked_target(target), modal
        self.label, self.labelledby, self.on_close, self.key = label, labelledby, on_close, key

    def create_host(self, renderer: Renderer) -> Content:
        return PortalHost(renderer, self)

    def same_kind(self, host: Content) -> bool:
        return (
            isinstance(host, PortalHost) and host.target == self.target and host.modal == self.modal
        )

    def update_host(self, host: Content) -> None:
        assert isinstance(host, PortalHost)
        host.frame.update(_frame(self).values)

    def __repr__(self) -> str:
        kind = "dialog" if self.modal else "portal"
        return f"{kind}(to={self.target!r}, {len(self.children)} children)"


def portal(*children: Any, to: str = DEFAULT_TARGET, key: Any = None) -> Portal:
    """Render `children` (templates, components, text, lists) into the element `to` selects (a
    CSS selector such as "#modals"; default: the page's <body>) instead of where the call
    stands. The component rendering it still owns it: context, events and unmounting work as
    if the children stood in place."""
    return Portal(children, to, key=key)


def dialog(
    *children: Any,
    label: str | None = None,
    labelledby: str | None = None,
    on_close: Callable[..., Any] | None = None,
    to: str = DEFAULT_TARGET,
    key: Any = None,
) -> Portal:
    """A modal dialog: a portal (into <body> by default) with role="dialog" and
    aria-modal="true", named by `label` (aria-label) or `labelledby` (the id of its title).
    While it is rendered it holds the keyboard focus: it moves into it (the first element with
    `autofocus`, else the first focusable one, else the dialog itself), Tab and Shift+Tab cycle
    inside it, Escape calls `on_close` (when given), and when it goes the focus returns to the
    element that had it before."""
    return Portal(
        children, to, modal=True, label=label, labelledby=labelledby, on_close=on_close, key=key
    )


def _checked_target(target: Any) -> str:
    if not isinstance(target, str) or not target.strip():
        raise TypeError(
            f"portal(to=...) takes a CSS selector such as 'body' or '#modals', got {target!r}"
        )
    return target.strip()


def _frame(call: Portal) -> Template:
    """The element the portal's content goes into, in the target."""
    role, modal = ("dialog", "true") if call.modal else (None, None)
    tabindex = "-1" if call.modal else None  # focusable by script when nothing inside is
    label, labelledby, on_close = call.label, call.labelledby, call.on_close
    children = call.children
    content = children[0] if len(children) == 1 else list(children)
    return (
        t'<div data-framework-portal="" role={role} aria-modal={modal} aria-label={label} '
        t"aria-labelledby={labelledby} tabindex={tabindex} onkeydown.escape.stop={on_close}>"
        t"{content}</div>"
    )


class PortalHost(Content):
    """A mounted portal: an empty text node where it stands (what its slot moves and removes)
    and the frame, a template instance placed in the target."""

    __slots__ = ("frame", "modal", "place", "renderer", "target")

    def __init__(self, renderer: Renderer, call: Portal) -> None:
        self.renderer, self.target, self.modal = renderer, call.target, call.modal
        self.place = renderer.alloc(1)
        renderer.emit(op.CREATE_TEXT, self.place, "")
        # Created here, inside the owner's render: components in it find the owner's context.
        self.frame: TemplateInstance = renderer.instantiate(_frame(call))
        renderer.emit(op.PORTAL, self.frame.base, self.place, self.target)
        if self.modal:
            renderer.emit(op.TRAP_FOCUS, self.frame.base)

    def first(self) -> int:
        return self.place

    def move_before(self, ref: int) -> None:
        self.renderer.emit(op.INSERT, self.place, ref)

    def remove(self) -> None:
        renderer = self.renderer
        if self.modal:  # before the frame goes: the focus returns where it was
            renderer.emit(op.RELEASE_FOCUS, self.frame.base)
        self.frame.remove()
        renderer.emit(op.REMOVE, self.place)
        renderer.drop(self.place, 1)
