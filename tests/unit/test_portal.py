"""portal() and dialog() on the in-memory DOM: the content is in the target, owned by the
component that renders it (removed with it, its context, its events), and a dialog holds the
keyboard focus while it is open."""

from __future__ import annotations

from typing import Any

import pytest

from framework import Component, MemoryDom, Signal, dialog, mount, portal
from framework.dom.tree import Element
from framework.testing import Screen, User


def portal_frames(dom: MemoryDom) -> list[Element]:
    """The portal frames the body holds, outside the app's container."""
    return dom.document.select(lambda n: "data-framework-portal" in n.attrs)


def app_html(dom: MemoryDom) -> str:
    found = dom.find("#app")
    assert found is not None
    return found.to_html()


class Toast(Component):
    text: str = ""

    def setup(self) -> None:
        self.theme = self.inject("theme", "plain")

    def unmounted(self) -> None:
        UNMOUNTED.append(self.text)

    def render(self):
        return t'<p role="status" class={self.theme}>{self.text}</p>'


UNMOUNTED: list[str] = []


class Page(Component):
    def setup(self) -> None:
        self.provide("theme", "dark")
        self.showing = Signal(True)
        self.text = Signal("Saved")
        self.clicks = Signal(0)

    def count(self) -> None:
        self.clicks.value += 1

    def render(self):
        toast = portal(Toast(text=self.text.value)) if self.showing.value else None
        return t"<main><p>clicks: {self.clicks.value}</p>{toast}</main>"


class Counting(Component):
    def setup(self) -> None:
        self.clicks = Signal(0)
        self.outer = Signal(0)

    def render(self):
        inside = t"<button onclick={self.add}>Add {self.clicks.value}</button>"
        return t"<section onclick={self.bump}>{portal(inside)}</section>"

    def add(self) -> None:
        self.clicks.value += 1

    def bump(self) -> None:
        self.outer.value += 1


def mounted(root: Any) -> tuple[MemoryDom, Screen, User, Any]:
    dom = MemoryDom()
    handle = mount(root, "#app", backend=dom)
    return dom, Screen(dom), User(dom), handle


def page_instance(handle: Any) -> Any:
    return handle.part.content.instance


def test_the_content_is_in_the_body_not_where_the_portal_stands() -> None:
    dom, screen, _, _ = mounted(Page())
    assert app_html(dom) == '<div id="app"><main><p>clicks: 0</p></main></div>'
    status = screen.get_by_role("status")
    frame = status.parent
    assert frame is not None and frame.parent is dom.document
    assert frame.attrs == {"data-framework-portal": ""}


def test_context_flows_from_the_component_that_renders_the_portal() -> None:
    _, screen, _, _ = mounted(Page())
    assert screen.get_by_role("status").attrs["class"] == "dark"


def test_a_rerender_updates_the_content_in_place() -> None:
    dom, screen, _, handle = mounted(Page())
    before = screen.get_by_role("status")
    page_instance(handle).text.value = "Saved again"
    handle.flush()
    after = screen.get_by_role("status")
    assert after is before and after.text_content == "Saved again"
    assert len(portal_frames(dom)) == 1


@pytest.mark.parametrize("how", ["condition", "unmount"])
def test_the_content_goes_with_its_owner(how: str) -> None:
    UNMOUNTED.clear()
    dom, screen, _, handle = mounted(Page())
    if how == "condition":
        page_instance(handle).showing.value = False
        handle.flush()
    else:
        handle.unmount()
    assert screen.query_by_role("status") is None
    assert portal_frames(dom) == []
    assert UNMOUNTED == ["Saved"]


def test_a_click_inside_the_portal_runs_its_handler_and_bubbles_to_the_owner() -> None:
    _, screen, user, handle = mounted(Counting())
    user.click(screen.get_by_role("button", name="Add 0"))
    assert screen.get_by_role("button", name="Add 1")
    assert page_instance(handle).outer.value == 1  # as if the button stood in the <section>


def test_a_missing_target_is_named_and_the_content_is_kept() -> None:
    dom = MemoryDom()
    with pytest.raises(LookupError, match="'#modals'"):
        mount(t"<p>{portal(t'<b>hi</b>', to='#modals')}</p>", "#app", backend=dom)
    assert "<b>hi</b>" in dom.document.to_html()


def test_a_target_of_the_page_receives_the_content() -> None:
    dom = MemoryDom()
    layer = dom.container("#layer")
    mount(t"<p>{portal(t'<b>hi</b>', to='#layer')}</p>", "#app", backend=dom)
    assert layer.to_html() == '<div id="layer"><div data-framework-portal><b>hi</b></div></div>'


@pytest.mark.parametrize("target", ["", 3, None])
def test_a_target_that_is_not_a_selector_is_refused(target: Any) -> None:
    with pytest.raises(TypeError, match="CSS selector"):
        portal(t"<b>hi</b>", to=target)


# -- dialogs ---------------------------------------------------------------------------------


class Confirm(Component):
    def setup(self) -> None:
        self.open = Signal(False)

    def show(self) -> None:
        self.open.value = True

    def close(self) -> None:
        self.open.value = False

    def render(self):
        modal = None
        if self.open.value:
            modal = dialog(
                t"""<h2 id="confirm-title">Delete?</h2>
<input aria-label="Reason">
<button onclick={self.close}>Cancel</button>
<button onclick={self.close}>Delete</button>""",
                labelledby="confirm-title",
                on_close=self.close,
            )
        return t"<main><button onclick={self.show}>Remove item</button>{modal}</main>"


def open_confirm() -> tuple[MemoryDom, Screen, User, Element]:
    dom, screen, user, _ = mounted(Confirm())
    opener = screen.get_by_role("button", name="Remove item")
    user.click(opener)
    return dom, screen, user, opener


def test_a_dialog_is_a_labelled_modal_and_takes_the_focus() -> None:
    _, screen, user, _ = open_confirm()
    modal = screen.get_by_role("dialog", name="Delete?")
    assert modal.attrs["aria-modal"] == "true"
    assert user.focused is screen.get_by_role("textbox", name="Reason")


def test_tab_and_shift_tab_cycle_inside_the_dialog() -> None:
    dom, screen, user, _ = open_confirm()
    names = []
    for _ in range(4):
        user.keyboard("{Tab}")
        assert user.focused is not None
        names.append(user.focused.text_content or user.focused.attrs.get("aria-label"))
    assert names == ["Cancel", "Delete", "Reason", "Cancel"]
    dom.dispatch(user.focused, "keydown", key="Tab", shiftKey=True)
    assert user.focused is screen.get_by_role("textbox", name="Reason")


@pytest.mark.parametrize("close", ["{Escape}", "Cancel"])
def test_closing_the_dialog_gives_the_focus_back(close: str) -> None:
    _, screen, user, opener = open_confirm()
    if close == "Cancel":
        user.click(screen.get_by_role("button", name="Cancel"))
    else:
        user.keyboard(close)
    assert screen.query_by_role("dialog") is None
    assert user.focused is opener


def test_autofocus_chooses_where_the_focus_goes() -> None:
    _, screen, user, _ = mounted(
        t"<p>{dialog(t'<input aria-label=A><input aria-label=B autofocus>', label='Pick')}</p>"
    )
    assert user.focused is screen.get_by_role("textbox", name="B")
    assert screen.get_by_role("dialog", name="Pick")


def test_a_dialog_with_nothing_focusable_takes_the_focus_itself() -> None:
    _, screen, user, _ = mounted(t"<p>{dialog(t'<p>Done.</p>', label='Note')}</p>")
    assert user.focused is screen.get_by_role("dialog", name="Note")
    user.keyboard("{Tab}")
    assert user.focused is screen.get_by_role("dialog", name="Note")


def test_a_focus_outside_the_open_dialog_is_brought_back() -> None:
    _, screen, user, opener = open_confirm()
    user.click(opener)  # the page behind the dialog
    assert user.focused is screen.get_by_role("textbox", name="Reason")


class Nested(Component):
    def setup(self) -> None:
        self.outer = Signal(True)
        self.inner = Signal(False)

    def render(self):
        inner = None
        if self.inner.value:
            inner = dialog(t"<button>Inner OK</button>", label="Inner", on_close=self.close_inner)
        outer = None
        if self.outer.value:
            outer = dialog(
                t"<button onclick={self.open_inner}>More</button>{inner}",
                label="Outer",
                on_close=self.close_outer,
            )
        return t"<main>{outer}</main>"

    def open_inner(self) -> None:
        self.inner.value = True

    def close_inner(self) -> None:
        self.inner.value = False

    def close_outer(self) -> None:
        self.outer.value = False


def test_escape_closes_the_innermost_dialog_and_the_focus_returns_to_the_outer() -> None:
    _, screen, user, _ = mounted(Nested())
    more = screen.get_by_role("button", name="More")
    user.click(more)
    assert user.focused is screen.get_by_role("button", name="Inner OK")
    user.keyboard("{Tab}")  # the inner dialog holds the focus: its one button again
    assert user.focused is screen.get_by_role("button", name="Inner OK")
    user.keyboard("{Escape}")
    assert screen.query_by_role("dialog", name="Inner") is None
    assert screen.get_by_role("dialog", name="Outer")
    assert user.focused is more
