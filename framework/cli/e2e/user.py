"""user: act on a real page as the unit kit's User does, with Playwright's input.

Playwright drives Chromium's own input pipeline, so the events are the browser's, in its
order; what this adds is the unit kit's vocabulary and its rules: typing goes to the end of
the value, `{Enter}`-style keys, a disabled element gets no click, a wrong target (typing into
a button, an option that is not there) is an error that says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

_SPECIAL_KEY = re.compile(r"\{([A-Za-z]+)\}|([^{]+|\{)", re.S)
_KEYS = frozenset({"Enter", "Escape", "Backspace", "Tab", "ArrowUp", "ArrowDown", "ArrowLeft",
                   "ArrowRight", "Delete", "Home", "End", "Space"})  # fmt: skip

# What the unit kit's checks read, read from the page in one call.
_FIELD_STATE = """element => ({
    tag: element.localName,
    disabled: element.matches(':disabled'),
    readOnly: element.readOnly === true,
    multiple: element.multiple === true,
    options: element.localName === 'select' ? Array.from(element.options, option => ({
        value: option.value,
        text: option.textContent.replace(/\\s+/g, ' ').trim(),
        disabled: option.disabled,
    })) : [],
})"""
# Put the caret at the end of the value: no event, as the unit kit types at the end. Some
# input types (email, number) have no selection: the caret stays where the click put it.
_CARET_TO_END = """element => {
    try { element.setSelectionRange(element.value.length, element.value.length); } catch {}
}"""


class User:
    """A user of one page: the actions, and the element that has the focus."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def focused(self) -> Locator | None:
        """The element that has the focus (None: the page's body)."""
        focused = self.page.locator(":focus")
        return focused if focused.count() else None

    def click(self, element: Locator) -> None:
        """Press and release the primary button on `element` (Playwright waits until it is
        visible, stable and not covered). A disabled element gets no event."""
        if not element.is_disabled():
            element.click()

    def dblclick(self, element: Locator) -> None:
        """Two clicks, then dblclick (as the browser fires them)."""
        if not element.is_disabled():
            element.dblclick()

    def type(self, element: Locator, text: str) -> None:
        """Click `element`, then type `text` at the end of its value, key by key (keydown,
        keypress, input, keyup per character). `{Enter}`, `{Escape}`, `{Backspace}`, `{Tab}`,
        `{ArrowLeft}` ... press that key."""
        _check_editable(element, "type")
        element.click()
        element.evaluate(_CARET_TO_END)
        self.keyboard(text)

    def keyboard(self, text: str) -> None:
        """Type `text` (with `{Key}`s, as in type()) into the element that has the focus."""
        for special, characters in _SPECIAL_KEY.findall(text):
            if special and special not in _KEYS:
                raise ValueError(
                    f"user: unknown key {{{special}}}; known: {', '.join(sorted(_KEYS))}"
                )
            if special:
                self.page.keyboard.press(special)
            else:
                self.page.keyboard.type(characters)

    def clear(self, element: Locator) -> None:
        """Focus the field, select its whole text and delete it (input fires, with the value
        empty)."""
        _check_editable(element, "clear")
        element.clear()

    def select(self, element: Locator, *choices: str) -> None:
        """Choose the options of a <select> whose value or text is among `choices` (several
        for a `multiple` one), as the user's pick does: input, then change."""
        state = element.evaluate(_FIELD_STATE)
        if state["tag"] != "select":
            raise TypeError(f"user.select() takes a <select>, got <{state['tag']}>")
        if state["disabled"]:
            raise ValueError("user.select(): the select is disabled, a user cannot choose")
        chosen = [_option_index(state["options"], choice) for choice in choices]
        if len(chosen) > 1 and not state["multiple"]:
            raise ValueError("user.select(): several choices for a select that is not multiple")
        element.focus()
        element.select_option(index=chosen)


def _check_editable(element: Locator, action: str) -> None:
    state = element.evaluate(_FIELD_STATE)
    if state["tag"] not in ("input", "textarea"):
        raise TypeError(f"user.{action}() takes an <input> or a <textarea>, got <{state['tag']}>")
    if state["disabled"] or state["readOnly"]:
        raise ValueError(f"user.{action}(): the field is disabled or read-only, a user cannot edit")


def _option_index(options: list[dict[str, str | bool]], choice: str) -> int:
    for index, option in enumerate(options):
        if choice in (option["value"], option["text"]):
            if option["disabled"]:
                raise ValueError(f"user.select(): the option {choice!r} is disabled")
            return index
    present = ", ".join(f"{option['value']!r}" for option in options)
    raise ValueError(
        f"user.select(): no option has the value or text {choice!r}; the options: {present}"
    )
