"""user: act on the in-memory DOM as a user does, firing the events a browser fires, in order.

A handler sees what it would see in Chromium: a click is pointerdown, mousedown, the focus
moving, pointerup, mouseup and click (a checkbox's also input and change); typing is keydown,
keypress, the value changing, input and keyup per character. Each action settles the test's
loop afterwards, so the test reads the page as re-rendered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from framework.dom.tree import Element
from framework.testkit import roles

if TYPE_CHECKING:
    from framework.dom.memory import MemoryDom

_SPECIAL_KEY = re.compile(r"\{([A-Za-z]+)\}|(.)", re.S)
_KEYS = frozenset({"Enter", "Escape", "Backspace", "Tab", "ArrowUp", "ArrowDown", "ArrowLeft",
                   "ArrowRight", "Delete", "Home", "End", "Space"})  # fmt: skip
_CAN_BE_DISABLED = frozenset({"button", "input", "select", "textarea", "option", "fieldset"})
_FOCUSABLE = frozenset({"button", "input", "select", "textarea"})
_EDITABLE = frozenset({"input", "textarea"})


class User:
    """A user of one document (the MemoryDom a test mounted on): where the focus is, and the
    actions. `user.focused` is the element that has the focus (None: the page's body)."""

    def __init__(self, dom: MemoryDom) -> None:
        self.dom = dom
        self._value_on_focus = ""

    @property
    def focused(self) -> Element | None:
        """The document's focused element: dialogs move it too (framework/dom/focus.py)."""
        return self.dom.focused

    @focused.setter
    def focused(self, element: Element | None) -> None:
        self.dom.focused = element

    # -- actions -------------------------------------------------------------------------------

    def click(self, element: Element) -> None:
        """Press and release the primary button on `element`. A disabled element gets no
        event. A checkbox toggles and a radio is checked (then input and change); a label
        clicks its field; a submit button submits its form."""
        if is_disabled(element):
            return
        self._pointer(element, "down")
        self._focus(element if _focusable(element) else None)
        self._pointer(element, "up")
        self._activate(element)
        self._settle()

    def dblclick(self, element: Element) -> None:
        """Two clicks, then dblclick (as a browser fires them)."""
        if is_disabled(element):
            return
        self.click(element)
        self.click(element)
        self._fire(element, "dblclick", button=0, detail=2)
        self._settle()

    def type(self, element: Element, text: str) -> None:
        """Focus `element` (clicking it), then type `text` at the end of its value: each
        character fires keydown, keypress, input (with the value already updated) and keyup.
        `{Enter}`, `{Escape}`, `{Backspace}`, `{Tab}`, `{ArrowLeft}` ... press that key."""
        _check_editable(element, "type")
        self.click(element)
        self._keys(text)

    def keyboard(self, text: str) -> None:
        """Type `text` (with `{Key}`s, as in type()) into the element that has the focus."""
        self._keys(text)

    def clear(self, element: Element) -> None:
        """Focus the field, select its whole text and delete it: input fires with an empty
        value (and change once the focus leaves, as for typed text)."""
        _check_editable(element, "clear")
        self._focus(element)  # as a user's select-all and Delete: no pointer events
        if element.value:
            element.set_property("value", "")
            self._fire(element, "input", inputType="deleteContentBackward", data=None)
        self._settle()

    def select(self, element: Element, *choices: str) -> None:
        """Choose the options of a <select> whose value or text is among `choices` (several
        for a `multiple` one), as the user's pick does: input, then change."""
        if element.tag != "select":
            raise TypeError(f"user.select() takes a <select>, got <{element.tag}>")
        if is_disabled(element):
            raise ValueError("user.select(): the select is disabled, a user cannot choose")
        chosen = [_option(element, choice) for choice in choices]
        if len(chosen) > 1 and not element.multiple:
            raise ValueError("user.select(): several choices for a select that is not multiple")
        self.click(element)
        for option in element.options:
            if element.multiple or option in chosen:
                option.selected = option in chosen
        self._fire(element, "input")
        self._fire(element, "change")
        self._settle()

    # -- what an action is made of -------------------------------------------------------------

    def _fire(self, element: Element, event_type: str, **fields: Any) -> Any:
        return self.dom.dispatch(element, event_type, **fields)

    def _settle(self) -> None:
        from framework.testing import settle  # the kit is imported by framework.testing

        settle(self.dom)

    def _pointer(self, element: Element, phase: str) -> None:
        self._fire(element, f"pointer{phase}", button=0, pointerType="mouse")
        self._fire(element, f"mouse{phase}", button=0, detail=1)

    def _activate(self, element: Element) -> None:
        """The click and what it does by default (unless a handler prevents it)."""
        kind = element.type if element.tag == "input" else ""
        before = element.checked
        if kind == "checkbox":
            element.set_property("checked", not before)
        elif kind == "radio":
            _check_radio(element, self.dom.document)
        event = self._fire(element, "click", button=0, detail=1)
        if event.defaultPrevented:
            if kind in ("checkbox", "radio"):
                element.set_property("checked", before)
            return
        if kind in ("checkbox", "radio") and element.checked != before:
            self._fire(element, "input")
            self._fire(element, "change")
        elif element.tag == "label":
            control = roles.labelled_control(element, self.dom.document)
            if control is not None and not is_disabled(control):
                self._focus(control if _focusable(control) else None)
                self._activate(control)
        elif element.type == "submit" and element.tag in ("button", "input"):
            form = _ancestor(element, "form")
            if form is not None:
                self._fire(form, "submit")

    def _focus(self, element: Element | None) -> None:
        """Move the focus: blur (and change, for an edited field) on the element leaving,
        focus and focusin on the one coming."""
        previous = self.focused
        if previous is element:
            return
        if previous is not None:
            if previous.tag in _EDITABLE and previous.value != self._value_on_focus:
                self._fire(previous, "change")
            self._fire(previous, "blur")
            self._fire(previous, "focusout")
        self.focused = element
        if element is not None:
            self._value_on_focus = element.value
            self._fire(element, "focus")
            self._fire(element, "focusin")

    def _keys(self, text: str) -> None:
        for special, character in _SPECIAL_KEY.findall(text):
            if special and special not in _KEYS:
                raise ValueError(
                    f"user: unknown key {{{special}}}; known: {', '.join(sorted(_KEYS))}"
                )
            self._press(" " if special == "Space" else special or character)
        self._settle()

    def _press(self, key: str) -> None:
        target = self.focused
        if target is None:  # the page's body has the focus: the events go there
            target = self.dom.document
        down = self._fire(target, "keydown", key=key)
        if not down.defaultPrevented:
            self._default_action(target, key)
        # After Tab the key comes up on the element the focus moved to, as in a browser.
        self._fire(self.focused or target, "keyup", key=key)

    def _default_action(self, target: Element, key: str) -> None:
        """What a key does when keydown was not prevented."""
        editable = target.tag in _EDITABLE and not _read_only(target)
        if key == "Tab":
            self._focus(_next_focusable(self.dom.document, target))
        elif key == "Backspace" and editable:
            if target.value:
                target.set_property("value", target.value[:-1])
                self._fire(target, "input", inputType="deleteContentBackward", data=None)
        elif key == "Enter":
            self._fire(target, "keypress", key=key)
            if target.tag == "textarea" and editable:
                self._insert(target, "\n")
            elif target.tag == "input" and (form := _ancestor(target, "form")) is not None:
                self._fire(form, "submit")
        elif len(key) == 1:
            self._fire(target, "keypress", key=key)
            if editable:
                self._insert(target, key)

    def _insert(self, target: Element, text: str) -> None:
        target.set_property("value", target.value + text)
        self._fire(target, "input", inputType="insertText", data=text)


def is_disabled(element: Element) -> bool:
    """A form control with `disabled`, or inside a disabled fieldset."""
    if element.tag not in _CAN_BE_DISABLED:
        return False
    node: Element | None = element
    while node is not None:
        if node.tag in _CAN_BE_DISABLED and "disabled" in node.attrs:
            return True
        node = node.parent
    return False


def _focusable(element: Element) -> bool:
    if element.tag in _FOCUSABLE or "tabindex" in element.attrs:
        return not is_disabled(element)
    return element.tag == "a" and "href" in element.attrs


def _next_focusable(root: Element, after: Element) -> Element | None:
    """The next element Tab moves to in document order (None past the last one)."""
    elements = root.select(lambda n: _focusable(n) and not roles.is_hidden(n))
    if after not in elements:
        return elements[0] if elements else None
    index = elements.index(after) + 1
    return elements[index] if index < len(elements) else None


def _read_only(element: Element) -> bool:
    return "readonly" in element.attrs or is_disabled(element)


def _check_editable(element: Element, action: str) -> None:
    if element.tag not in _EDITABLE:
        raise TypeError(f"user.{action}() takes an <input> or a <textarea>, got <{element.tag}>")
    if _read_only(element):
        raise ValueError(f"user.{action}(): the field is disabled or read-only, a user cannot edit")


def _option(select: Element, choice: str) -> Element:
    for option in select.options:
        if choice in (option.value, roles.normalize(option.text_content)):
            if "disabled" in option.attrs:
                raise ValueError(f"user.select(): the option {choice!r} is disabled")
            return option
    present = ", ".join(f"{o.value!r}" for o in select.options)
    raise ValueError(
        f"user.select(): no option has the value or text {choice!r}; the options: {present}"
    )


def _check_radio(radio: Element, root: Element) -> None:
    """Check a radio and uncheck the others of its group (same name, same form)."""
    name = radio.attrs.get("name")
    form = _ancestor(radio, "form")
    if name:
        for other in (form or root).select(lambda n: n.tag == "input" and n.type == "radio"):
            if other.attrs.get("name") == name and _ancestor(other, "form") is form:
                other.set_property("checked", False)
    radio.set_property("checked", True)


def _ancestor(element: Element, tag: str) -> Element | None:
    node = element.parent
    while node is not None and node.tag != tag:
        node = node.parent
    return node
