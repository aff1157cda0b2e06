"""transition(): the classes an element entering or leaving goes through, a leaving element
removed only at its end (an end event, its duration, a teardown), reordered rows marked as
moving, reduced motion, and lists without a transition costing what they always did.

The memory backend plays what the page's applier plays, one stage at a time as the test says
(framework/dom/transitions.py): `next_frame()`, an end event, `end_all()`.
"""

import pytest

from framework import Component, MemoryDom, Signal, each, keyed, mount, transition
from framework.testing import Screen, User, settle


def classes(element):
    return element.attrs.get("class", "").split()


class Toast(Component):
    duration: float | None = None
    appear: bool = False
    start: bool = False

    def setup(self):
        self.shown = Signal(self.start)

    def toggle(self):
        self.shown.value = not self.shown.value

    def render(self):
        note = t"<p role=status>Saved</p>" if self.shown.value else None
        fade = transition("fade", note, duration=self.duration, appear=self.appear)
        return t"<div><button onclick={self.toggle}>Toggle</button>{fade}</div>"


def toast(**props):
    dom = MemoryDom()
    mount(Toast(**props), "#app", backend=dom)
    return dom, Screen(dom), User(dom)


def test_an_element_shown_goes_through_the_enter_classes():
    dom, screen, user = toast()
    user.click(screen.get_by_role("button", name="Toggle"))
    note = screen.get_by_role("status")
    assert classes(note) == ["fade-enter-from", "fade-enter-active"]
    dom.transitions.next_frame()
    assert classes(note) == ["fade-enter-active", "fade-enter-to"]
    dom.dispatch(note, "transitionend")
    assert classes(note) == []


def test_an_element_hidden_stays_with_the_leave_classes_until_its_transition_ends():
    dom, screen, user = toast(start=True)
    note = screen.get_by_role("status")
    user.click(screen.get_by_role("button", name="Toggle"))
    assert screen.get_by_role("status") is note  # still there, leaving
    assert classes(note) == ["fade-leave-from", "fade-leave-active"]
    dom.transitions.next_frame()
    assert classes(note) == ["fade-leave-active", "fade-leave-to"]
    assert dom.transitions.leaving() == [note]
    dom.dispatch(note, "animationend")
    assert screen.query_by_role("status") is None
    assert dom.transitions.leaving() == []


@pytest.mark.parametrize(("appear", "played"), [(False, []), (True, ["fade-enter-from"])])
def test_the_first_render_enters_only_with_appear(appear, played):
    _dom, screen, _user = toast(start=True, appear=appear)
    assert [c for c in classes(screen.get_by_role("status")) if c.endswith("from")] == played


def test_a_duration_removes_the_leaving_element_after_that_time_whatever_the_events():
    dom, screen, user = toast(start=True, duration=300)
    note = screen.get_by_role("status")
    user.click(screen.get_by_role("button", name="Toggle"))
    dom.dispatch(note, "transitionend")  # the CSS does not decide: the duration does
    settle(dom, advance=0.29)
    assert screen.query_by_role("status") is note
    settle(dom, advance=0.02)
    assert screen.query_by_role("status") is None


def test_shown_again_while_leaving_a_new_element_enters_and_the_old_one_still_goes():
    dom, screen, user = toast(start=True)
    old = screen.get_by_role("status")
    user.click(screen.get_by_role("button", name="Toggle"))
    user.click(screen.get_by_role("button", name="Toggle"))
    leaving, entering = screen.get_all_by_role("status")
    assert leaving is old and "fade-leave-active" in classes(old)
    assert "fade-enter-active" in classes(entering)
    dom.transitions.end_all()
    assert screen.get_all_by_role("status") == [entering]


def test_with_reduced_motion_nothing_plays_and_removal_is_immediate():
    dom, screen, user = toast()
    dom.transitions.reduced_motion = True
    user.click(screen.get_by_role("button", name="Toggle"))
    assert "class" not in screen.get_by_role("status").attrs
    user.click(screen.get_by_role("button", name="Toggle"))
    assert screen.query_by_role("status") is None


def test_a_component_enters_and_leaves_as_an_element_does_and_is_unmounted_at_once():
    shown = Signal(True)
    unmounted = []

    class Badge(Component):
        def unmounted(self):
            unmounted.append(self)

        def render(self):
            return t"<b>new</b>"

    class Panel(Component):
        def render(self):
            return t"<div>{transition('pop', Badge() if shown.value else None)}</div>"

    dom = MemoryDom()
    mount(Panel(), "#app", backend=dom)
    shown.value = False
    settle(dom)
    assert len(unmounted) == 1  # its component is gone; its element plays on
    (element,) = dom.transitions.leaving()
    assert classes(element) == ["pop-leave-from", "pop-leave-active"]
    dom.dispatch(element, "transitionend")
    assert dom.container("#app").find("b") == []


# -- keyed lists -----------------------------------------------------------------------------------


def mount_list(names, *, use_each=False):
    """A <ul> of the names in `rows`, keyed by name, as a transition list (or None: plain)."""
    rows = Signal(list(names))

    class Rows(Component):
        def render(self):
            if use_each:
                items = each(rows.value, lambda name: t"<li>{name}</li>")
            else:
                items = [keyed(name, t"<li>{name}</li>") for name in rows.value]
            return t"<ul>{transition('row', items)}</ul>"

    dom = MemoryDom()
    mounted = mount(Rows(), "#app", backend=dom)
    return dom, rows, mounted


def items(dom):
    return [(li.text_content, classes(li)) for li in dom.container("#app").find("li")]


@pytest.mark.parametrize("use_each", [False, True])
def test_a_new_row_enters_and_a_removed_row_leaves_in_its_place(use_each):
    dom, rows, _ = mount_list("abc", use_each=use_each)
    assert items(dom) == [("a", []), ("b", []), ("c", [])]  # the first render does not play
    rows.value = ["a", "c", "d"]
    settle(dom)
    assert items(dom) == [
        ("a", []),
        ("b", ["row-leave-from", "row-leave-active"]),
        ("c", []),
        ("d", ["row-enter-from", "row-enter-active"]),
    ]
    dom.transitions.end_all()
    assert items(dom) == [("a", []), ("c", []), ("d", [])]


def test_emptying_the_list_lets_every_row_leave():
    dom, rows, _ = mount_list("ab")
    rows.value = []
    settle(dom)
    assert [text for text, _ in items(dom)] == ["a", "b"]
    assert len(dom.transitions.leaving()) == 2
    dom.transitions.end_all()
    assert items(dom) == []


def test_a_row_back_before_its_leave_ends_enters_anew_and_the_leaving_one_still_goes():
    dom, rows, _ = mount_list("abc")
    rows.value = ["a", "c"]
    settle(dom)
    rows.value = ["a", "b", "c"]
    settle(dom)
    texts = [text for text, _ in items(dom)]
    assert texts == ["a", "b", "b", "c"]  # the leaving b, then the new one
    dom.transitions.end_all()
    assert items(dom) == [("a", []), ("b", []), ("c", [])]


def test_reordered_rows_that_moved_get_the_move_class_until_their_end():
    dom, rows, _ = mount_list("abcd")
    dom.reset_counts()
    rows.value = ["d", "b", "c", "a"]
    settle(dom)
    assert dom.counts["FLIP"] == 1
    assert items(dom) == [("d", ["row-move"]), ("b", []), ("c", []), ("a", ["row-move"])]
    for li in dom.container("#app").find("li"):
        dom.dispatch(li, "transitionend")
    assert items(dom) == [("d", []), ("b", []), ("c", []), ("a", [])]


def test_a_row_still_entering_keeps_its_enter_classes_when_it_moves():
    dom, rows, _ = mount_list("ab")
    rows.value = ["a", "b", "c"]
    settle(dom)
    rows.value = ["c", "a", "b"]
    settle(dom)
    assert items(dom) == [
        ("c", ["row-enter-from", "row-enter-active", "row-move"]),
        ("a", ["row-move"]),
        ("b", ["row-move"]),
    ]
    dom.transitions.end_all()
    assert items(dom) == [("c", []), ("a", []), ("b", [])]


def test_unmounting_removes_the_leaving_rows_at_once():
    dom, rows, mounted = mount_list("abc")
    rows.value = ["b"]
    settle(dom)
    assert len(dom.transitions.leaving()) == 2
    mounted.unmount()
    assert dom.container("#app").find("li") == []
    assert dom.transitions.leaving() == []


def test_a_slot_that_stops_animating_removes_its_leaving_elements_at_once():
    shown = Signal(True)
    plain = Signal(False)

    class Slot(Component):
        def render(self):
            note = t"<p>hi</p>" if shown.value else None
            return t"<div>{'plain' if plain.value else transition('fade', note)}</div>"

    dom = MemoryDom()
    mount(Slot(), "#app", backend=dom)
    shown.value = False
    settle(dom)
    assert dom.container("#app").to_html().count("<p") == 1  # leaving
    plain.value = True
    settle(dom)
    assert dom.container("#app").to_html() == '<div id="app"><div>plain</div></div>'


# -- what a transition costs, and what it does not -------------------------------------------------

CHANGES = {
    "append": ("abc", "abcde"),
    "remove one": ("abcd", "acd"),
    "swap": ("abcd", "dbca"),
    "replace all": ("abc", "xyz"),
    "clear": ("abcd", ""),
    "update only": ("abc", "abc"),
}


def plain_and_animated_ops(before, after):
    """The ops of the same change to a plain list and to a transition list."""
    counts = []
    for animate in (False, True):
        rows = Signal(list(before))

        class Rows(Component):
            def render(self, rows=rows, animate=animate):
                listed = [keyed(name, t"<li>{name}</li>") for name in rows.value]
                return t"<ul>{transition('row', listed) if animate else listed}</ul>"

        dom = MemoryDom()
        mount(Rows(), "#app", backend=dom)
        dom.reset_counts()
        rows.value = list(after)
        settle(dom)
        counts.append(dict(dom.counts))
    return counts


@pytest.mark.parametrize(("before", "after"), CHANGES.values(), ids=CHANGES.keys())
def test_a_transition_list_costs_the_plain_ops_plus_its_own(before, after):
    plain, animated = plain_and_animated_ops(before, after)
    assert not {"ENTER", "LEAVE", "FLIP", "END_LEAVES"} & set(plain)
    new, gone = set(after) - set(before), set(before) - set(after)
    assert animated.pop("ENTER", 0) == len(new)
    assert animated.pop("LEAVE", 0) == len(gone)
    assert animated.pop("FLIP", 0) == (before != after)
    if "REMOVE_RANGE" in plain:  # all go: one op for the plain list, each leaving on its own
        assert plain.pop("REMOVE_RANGE") == 1 and animated.pop("REMOVE") == len(gone)
        assert plain.pop("DROP") <= animated.pop("DROP") == len(gone)  # ids forgotten alike
    assert animated == plain


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: transition("fade in", None), "must be a class name"),
        (lambda: transition("", None), "must be a class name"),
        (lambda: transition("fade", None, duration=-1), "milliseconds"),
        (lambda: transition("fade", None, duration="1s"), "milliseconds"),
    ],
)
def test_a_bad_name_or_duration_says_what_to_give(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_text_cannot_be_animated_and_the_error_says_what_can():
    with pytest.raises(TypeError, match=r"template \(t'...'\), a component, a list"):
        mount(t"<div>{transition('fade', 'hello')}</div>", "#app", backend=MemoryDom())
