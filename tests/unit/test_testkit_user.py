"""framework.testkit.user: the events a handler sees, in the order a browser fires them, and the
state of the controls after each action."""

from __future__ import annotations

from typing import Any

import pytest

from framework import Component, MemoryDom, Signal, mount
from framework.testing import Screen, User


class Form(Component):
    """Every control logs the events it gets as `type` or `type:key`, an input event with the
    value the handler reads. (Under 30 slots: a t-string with more builds its strings anew at
    each render, so the page would be cloned again, and the elements a test holds replaced.)"""

    log: list[str]

    def setup(self) -> None:
        self.text = Signal("")
        self.size = Signal("m")
        self.agree = Signal(False)
        self.submitted = Signal(0)

    def record(self, event: Any) -> None:
        if event.type == "input" and event.target.type != "checkbox":
            self.log.append(f"input={event.target.value}")
        else:
            self.log.append(f"{event.type}:{event.key}" if event.key else event.type)

    def submit(self, event: Any) -> None:
        event.preventDefault()
        self.submitted.value += 1

    def render(self):
        r = self.record
        return t"""<form onsubmit={self.submit}>
  <label>Name <input bind:value={self.text} onfocus={r} onkeydown={r} onkeypress={r}
    oninput={r} onkeyup={r} onchange={r} onblur={r}></label>
  <label><input type="checkbox" bind:checked={self.agree} onclick={r} oninput={r}
    onchange={r}> Agree</label>
  <select aria-label="Size" bind:value={self.size} oninput={r} onchange={r}>
    <option value="s">Small</option><option value="m">Medium</option>
    <option value="l" disabled>Large</option>
  </select>
  <button type="button" onpointerdown={r} onmousedown={r} onfocus={r} onpointerup={r}
    onmouseup={r} onclick={r}>Go</button>
  <button type="button" disabled onclick={r}>Off</button>
  <button>Send</button>
  <p>{self.text} {self.size} {"agreed" if self.agree.value else "-"} {self.submitted}</p>
</form>"""


@pytest.fixture
def page() -> tuple[Screen, User, list[str]]:
    log: list[str] = []
    dom = MemoryDom()
    mount(Form(log=log), "#app", backend=dom)
    return Screen(dom), User(dom), log


Page = tuple[Screen, User, list[str]]


def shown(screen: Screen) -> str:
    return screen.get_by_role("paragraph").text_content


def test_click_fires_pointer_mouse_focus_then_click(page: Page) -> None:
    screen, user, log = page
    button = screen.get_by_role("button", name="Go")
    user.click(button)
    assert log == ["pointerdown", "mousedown", "focus", "pointerup", "mouseup", "click"]
    assert user.focused is button


def test_a_disabled_element_gets_no_event(page: Page) -> None:
    screen, user, log = page
    user.click(screen.get_by_role("button", name="Off"))
    assert log == []
    assert user.focused is None


def test_clicking_a_checkbox_toggles_it_then_fires_input_and_change(page: Page) -> None:
    screen, user, log = page
    box = screen.get_by_role("checkbox", name="Agree")
    user.click(box)
    assert log == ["click", "input", "change"]
    assert box.checked is True
    assert shown(screen).endswith("agreed 0")
    log.clear()
    user.click(screen.get_by_text("Agree"))  # the label's text: a click on its box
    assert log == ["click", "input", "change"]
    assert box.checked is False
    assert screen.get_by_role("checkbox") is box
    assert shown(screen).endswith("- 0")


def test_type_fires_the_key_sequence_per_character(page: Page) -> None:
    screen, user, log = page
    field = screen.get_by_role("textbox", name="Name")
    user.type(field, "ab")
    assert log == [
        "focus",  # type() clicks the field first
        *["keydown:a", "keypress:a", "input=a", "keyup:a"],
        *["keydown:b", "keypress:b", "input=ab", "keyup:b"],
    ]
    assert field.value == "ab"
    assert screen.get_by_role("textbox", name="Name") is field  # updated in place
    assert shown(screen).startswith("ab m")  # the bound signal has it: the page re-rendered


def test_special_keys(page: Page) -> None:
    screen, user, log = page
    field = screen.get_by_role("textbox", name="Name")
    user.type(field, "abc{Backspace}")
    assert field.value == "ab"
    assert log[-3:] == ["keydown:Backspace", "input=ab", "keyup:Backspace"]
    log.clear()
    user.keyboard("{Escape}")
    assert log == ["keydown:Escape", "keyup:Escape"]


def test_enter_in_a_field_submits_its_form(page: Page) -> None:
    screen, user, log = page
    user.type(screen.get_by_role("textbox", name="Name"), "x{Enter}")
    assert log[-3:] == ["keydown:Enter", "keypress:Enter", "keyup:Enter"]
    assert shown(screen).endswith(" 1")


def test_tab_moves_the_focus_and_a_changed_field_fires_change_then_blur(page: Page) -> None:
    screen, user, log = page
    user.type(screen.get_by_role("textbox", name="Name"), "x")
    log.clear()
    user.keyboard("{Tab}")
    assert log == ["keydown:Tab", "change", "blur"]  # keyup goes to the checkbox
    assert user.focused is screen.get_by_role("checkbox")


def test_a_submit_button_submits_the_form(page: Page) -> None:
    screen, user, _log = page
    user.click(screen.get_by_role("button", name="Send"))
    assert shown(screen).endswith(" 1")


def test_clear_empties_the_field_with_one_input_event(page: Page) -> None:
    screen, user, log = page
    field = screen.get_by_role("textbox", name="Name")
    user.type(field, "abc")
    log.clear()
    user.clear(field)
    assert log == ["input="]
    assert field.value == ""
    assert shown(screen).startswith(" m")


@pytest.mark.parametrize("choice", ["s", "Small"])
def test_select_by_value_or_text_fires_input_and_change(page: Page, choice: str) -> None:
    screen, user, log = page
    select = screen.get_by_role("combobox", name="Size")
    user.select(select, choice)
    assert log == ["input=s", "change"]
    assert select.value == "s"
    assert shown(screen).startswith(" s")


@pytest.mark.parametrize(
    ("choice", "error"),
    [("xl", "no option has the value or text 'xl'; the options: 's', 'm', 'l'"),
     ("l", "the option 'l' is disabled")],
)  # fmt: skip
def test_select_refuses_what_a_user_cannot_choose(page: Page, choice: str, error: str) -> None:
    screen, user, _log = page
    with pytest.raises(ValueError, match=error):
        user.select(screen.get_by_role("combobox"), choice)


@pytest.mark.parametrize("action", ["type", "clear"])
def test_typing_into_what_is_not_a_field_is_an_error(page: Page, action: str) -> None:
    screen, user, _log = page
    with pytest.raises(TypeError, match=rf"user.{action}\(\) takes an <input> or a <textarea>"):
        getattr(user, action)(
            screen.get_by_role("button", name="Go"), *(["x"] * (action == "type"))
        )


def test_unknown_special_key_is_an_error(page: Page) -> None:
    _screen, user, _log = page
    with pytest.raises(ValueError, match=r"unknown key \{Entr\}"):
        user.keyboard("{Entr}")
