"""The memory backend's keyboard focus for dialogs: what framework/browser/focus.js does in the
page, modelled so that a unit test sees it (protocol.json's TRAP_FOCUS and RELEASE_FOCUS).

The document's focused element is MemoryDom.focused (None: the body), which the testing kit's
User moves too. An open dialog holds the focus: on open it moves in, Tab and Shift+Tab (a
keydown whose key is "Tab", `shiftKey` for backwards) cycle through its tabbable elements in
document order, a focus that lands outside it is brought back, and on close the focus returns
to the element that had it before. The moves of a batch happen once the whole batch is
applied, as in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from framework.dom.tree import Element

if TYPE_CHECKING:
    from framework.dom.memory import FakeEvent, MemoryDom

_FOCUSABLE_TAGS = frozenset({"button", "input", "select", "textarea"})


def tabbable(root: Element) -> list[Element]:
    """The elements inside root that Tab visits, in document order."""
    return root.select(lambda node: _is_tabbable(node, root))


def _is_tabbable(element: Element, root: Element) -> bool:
    if element is root or _hidden(element, root):
        return False
    tabindex = element.attrs.get("tabindex")
    if tabindex is not None:
        return tabindex.strip().lstrip("+").isdigit()  # a negative one: by script only
    if element.tag in _FOCUSABLE_TAGS:
        return "disabled" not in element.attrs and element.attrs.get("type") != "hidden"
    return element.tag == "a" and "href" in element.attrs


def _hidden(element: Element, root: Element) -> bool:
    node: Element | None = element
    while node is not None and node is not root:
        if "hidden" in node.attrs or "inert" in node.attrs:
            return True
        node = node.parent
    return False


def connected(element: Element, document: Element) -> bool:
    node: Element | None = element
    while node is not None:
        if node is document:
            return True
        node = node.parent
    return False


class FocusTraps:
    """The open dialogs of one document, innermost last, each with the element that had the
    focus when it opened; and the focus moves the batch being applied asks for."""

    def __init__(self) -> None:
        self.open: list[tuple[Element, Element | None]] = []
        self.pending: list[Callable[[MemoryDom], None]] = []

    def trap(self, dialog: Element, focused: Element | None) -> None:
        self.open.append((dialog, focused))
        self.pending.append(lambda dom: _focus_into(dom, dialog))

    def release(self, dialog: Element) -> None:
        index = next((i for i, (element, _) in enumerate(self.open) if element is dialog), -1)
        if index < 0:
            return
        previous = self.open.pop(index)[1]
        if index == len(self.open):  # the innermost: the focus goes back
            self.pending.append(lambda dom: _restore(dom, previous))

    def settle(self, dom: MemoryDom) -> None:
        """After a batch: the focus moves it asked for, in order."""
        while self.pending:
            self.pending.pop(0)(dom)

    def before_handlers(self, dom: MemoryDom, event: FakeEvent) -> None:
        """What the browser's capturing listeners do before any handler sees the event: a Tab
        cycles inside the innermost open dialog, a focus that lands outside it goes back in."""
        if not self.open:
            return
        if event.type == "keydown":
            self._tab(dom, event)
        elif event.type == "focusin":
            dialog = self.open[-1][0]
            if not (isinstance(event.target, Element) and connected(event.target, dialog)):
                _focus_into(dom, dialog)

    def _tab(self, dom: MemoryDom, event: FakeEvent) -> None:
        """The next tabbable element (Shift: the previous), wrapping around; the browser's
        own move is prevented."""
        if event.key != "Tab" or event.defaultPrevented:
            return
        dialog = self.open[-1][0]
        event.preventDefault()
        elements = tabbable(dialog)
        if not elements:
            move_focus(dom, dialog)
            return
        index = elements.index(dom.focused) if dom.focused in elements else -1
        backwards = bool(getattr(event, "shiftKey", False))
        if backwards:
            index = len(elements) - 1 if index <= 0 else index - 1
        else:
            index = 0 if index < 0 or index == len(elements) - 1 else index + 1
        move_focus(dom, elements[index])


def _focus_into(dom: MemoryDom, dialog: Element) -> None:
    if not connected(dialog, dom.document):
        return
    if dom.focused is not None and connected(dom.focused, dialog):
        return
    chosen = dialog.select(lambda node: "autofocus" in node.attrs)
    candidates = chosen or tabbable(dialog)
    move_focus(dom, candidates[0] if candidates else dialog)


def _restore(dom: MemoryDom, previous: Element | None) -> None:
    if previous is not None and connected(previous, dom.document):
        move_focus(dom, previous)
    elif dom.focused is not None and not connected(dom.focused, dom.document):
        move_focus(dom, None)  # its element left the document: the body has the focus


def move_focus(dom: MemoryDom, element: Element | None) -> None:
    """Focus `element` (None: the body) as element.focus() does: blur and focusout on the one
    leaving, focus and focusin on the one coming."""
    previous = dom.focused
    if previous is element:
        return
    dom.focused = element
    if previous is not None and connected(previous, dom.document):
        _fire(dom, previous, "blur")
        _fire(dom, previous, "focusout")
    if element is not None:
        _fire(dom, element, "focus")
        _fire(dom, element, "focusin")


def _fire(dom: MemoryDom, element: Element, event_type: str) -> Any:
    return dom.dispatch(element, event_type)
