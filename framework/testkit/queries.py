"""Queries: find elements as a user does, by role and name, label, text, placeholder, value.

Testing Library's priorities: a role with its accessible name first (what every user, with a
screen reader too, finds an element by), then a label, a placeholder, the text, a form field's
value, and a `data-testid` last (a user cannot see it). Each kind comes as
`get_by_*` (exactly one, else an error saying what was looked for and what the page has),
`query_by_*` (None or one), `get_all_by_*` (one or more) and `find_by_*` (settles the test's
loop until exactly one is there, or a virtual timeout).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framework.dom.tree import Element, Text
from framework.testkit import roles
from framework.testkit.waiting import until

if TYPE_CHECKING:
    from framework.dom.memory import MemoryDom

Matcher = str | re.Pattern[str]
FIND_TIMEOUT = 1.0  # virtual seconds find_by_* waits (Testing Library's default)
_SHOWN = 60  # characters of an element's HTML an error message shows


class ElementNotFound(AssertionError):
    """A get_by_*/find_by_* query found nothing: a test failure, with what the page has."""


class MultipleElementsFound(AssertionError):
    """A get_by_*/query_by_* query found several elements where one was expected."""


@dataclass(frozen=True)
class Query:
    """One query: what it looks for (for messages), how it finds it, and what the page has
    of that kind (listed when nothing matches)."""

    looked_for: str
    select: Callable[[Element], list[Element]]
    present: Callable[[Element], list[str]]
    present_title: str


def matches(text: str, matcher: Matcher) -> bool:
    """A string matches the whole normalised text; a pattern matches anywhere in it."""
    if isinstance(matcher, re.Pattern):
        return matcher.search(text) is not None
    return normalize_matcher(matcher) == text


def normalize_matcher(text: str) -> str:
    return roles.normalize(text)


def _shown(matcher: Matcher) -> str:
    return f"/{matcher.pattern}/" if isinstance(matcher, re.Pattern) else f'"{matcher}"'


def _elements(root: Element) -> list[Element]:
    return [root, *root.select(lambda _: True)]


# -- the kinds of query -------------------------------------------------------------------------


def by_role(
    role: str, *, name: Matcher | None = None, level: int | None = None, hidden: bool = False
) -> Query:
    """Elements of that role (implicit or `role=`); with `name`, whose accessible name
    matches; with `level`, headings of that level. Hidden elements only with `hidden=True`."""

    def select(root: Element) -> list[Element]:
        return [
            element
            for element in _elements(root)
            if roles.role_of(element) == role
            and (hidden or not roles.is_hidden(element))
            and (level is None or roles.heading_level(element) == level)
            and (name is None or matches(roles.accessible_name(element, root), name))
        ]

    def present(root: Element) -> list[str]:
        found = []
        for element in _elements(root):
            found_role = roles.role_of(element)
            if found_role is None or (not hidden and roles.is_hidden(element)):
                continue
            level_note = roles.heading_level(element) if found_role == "heading" else None
            shown = f'{found_role} "{roles.accessible_name(element, root)}"'
            found.append(shown + (f" (level {level_note})" if level_note else ""))
        return found

    looked_for = f'role "{role}"'
    if name is not None:
        looked_for += f" and name {_shown(name)}"
    if level is not None:
        looked_for += f" and level {level}"
    return Query(looked_for, select, present, "The roles and names on the page")


def by_label_text(text: Matcher) -> Query:
    """Form fields whose <label> (by `for` or holding them), aria-labelledby or aria-label
    matches: the field itself, which the user types into, not the label."""

    def select(root: Element) -> list[Element]:
        found: list[Element] = []
        for label in root.select(lambda n: n.tag == "label"):
            control = roles.labelled_control(label, root)
            if control is not None and matches(_label_text(label, control), text):
                found.append(control)
        for element in _elements(root):
            labelled = "aria-labelledby" in element.attrs or "aria-label" in element.attrs
            if labelled and matches(roles.accessible_name(element, root), text):
                found.append(element)
        return list(dict.fromkeys(found))  # a field with two matching labels, once

    def present(root: Element) -> list[str]:
        labels = [_label_text(label, None) for label in root.select(lambda n: n.tag == "label")]
        aria = [e.attrs["aria-label"] for e in _elements(root) if "aria-label" in e.attrs]
        return [f'"{label}"' for label in labels + aria]

    return Query(f"label {_shown(text)}", select, present, "The labels on the page")


def by_placeholder_text(text: Matcher) -> Query:
    return _by_attribute("placeholder", text, "placeholder")


def by_test_id(test_id: Matcher) -> Query:
    return _by_attribute("data-testid", test_id, "test id")


def by_text(text: Matcher) -> Query:
    """Elements whose own text (their text children, not their descendants') matches: the
    element that shows the text, not each of its ancestors."""

    def select(root: Element) -> list[Element]:
        return [e for e in _elements(root) if _own_text(e) and matches(_own_text(e), text)]

    def present(root: Element) -> list[str]:
        return [f'"{_own_text(e)}"' for e in _elements(root) if _own_text(e)]

    return Query(f"text {_shown(text)}", select, present, "The texts on the page")


def by_display_value(value: Matcher) -> Query:
    """Inputs, textareas and selects showing that value (a select: its selected option's
    text)."""

    def select(root: Element) -> list[Element]:
        return [e for e in _fields(root) if any(matches(v, value) for v in _displayed(e))]

    def present(root: Element) -> list[str]:
        return [f'"{v}"' for e in _fields(root) for v in _displayed(e)]

    return Query(f"display value {_shown(value)}", select, present, "The values on the page")


def _by_attribute(attribute: str, text: Matcher, what: str) -> Query:
    def select(root: Element) -> list[Element]:
        return [
            e for e in _elements(root) if attribute in e.attrs and matches(e.attrs[attribute], text)
        ]

    def present(root: Element) -> list[str]:
        return [f'"{e.attrs[attribute]}"' for e in _elements(root) if attribute in e.attrs]

    return Query(f"{what} {_shown(text)}", select, present, f"The {what}s on the page")


def _label_text(label: Element, control: Element | None) -> str:
    """A label's text without the text of the field it holds (a select's options)."""
    return roles.normalize(_visible_text(label, control))


def _visible_text(element: Element, skip: Element | None) -> str:
    """The text of `element` but that of `skip` (None: but that of every form field)."""
    return "".join(
        child.data
        if isinstance(child, Text)
        else _visible_text(child, skip)
        if isinstance(child, Element) and child is not skip and _shows_label_text(child, skip)
        else ""
        for child in element.children
    )


def _shows_label_text(element: Element, skip: Element | None) -> bool:
    return skip is not None or element.tag not in ("select", "textarea")


def _own_text(element: Element) -> str:
    if element.tag in ("script", "style"):
        return ""
    return roles.normalize("".join(c.data for c in element.children if isinstance(c, Text)))


def _fields(root: Element) -> list[Element]:
    return [e for e in _elements(root) if e.tag in ("input", "textarea", "select")]


def _displayed(field: Element) -> list[str]:
    if field.tag == "select":
        return [roles.normalize(option.text_content) for option in field.selectedOptions]
    return [field.value]


# -- running a query ----------------------------------------------------------------------------


def get_all(root: Element, query: Query) -> list[Element]:
    found = query.select(root)
    if not found:
        raise ElementNotFound(_not_found(root, query))
    return found


def get(root: Element, query: Query) -> Element:
    found = get_all(root, query)
    if len(found) > 1:
        raise MultipleElementsFound(_several(query, found))
    return found[0]


def query_one(root: Element, query: Query) -> Element | None:
    found = query.select(root)
    if len(found) > 1:
        raise MultipleElementsFound(_several(query, found))
    return found[0] if found else None


def _not_found(root: Element, query: Query) -> str:
    present = list(dict.fromkeys(query.present(root)))
    listing = "\n".join(f"  {line}" for line in present) or "  (none)"
    return f"Unable to find an element with {query.looked_for}.\n{query.present_title}:\n{listing}"


def _several(query: Query, found: list[Element]) -> str:
    listing = "\n".join(f"  {_short_html(element)}" for element in found)
    return (
        f"Found {len(found)} elements with {query.looked_for}, where one was expected "
        f"(get_all_by_* returns them all; a name or within() narrows the search):\n{listing}"
    )


def _short_html(element: Element) -> str:
    html = element.to_html()
    return html if len(html) <= _SHOWN else html[: _SHOWN - 3] + "..."


class Screen:
    """The queries over a document (a MemoryDom a test mounted on), or over one element of
    it (`within`)."""

    def __init__(self, dom: MemoryDom, root: Element | None = None) -> None:
        self.dom = dom
        self.root = dom.document if root is None else root

    def within(self, element: Element) -> Screen:
        """The same queries, looking only inside `element`."""
        return Screen(self.dom, element)

    def get(self, query: Query) -> Element:
        return get(self.root, query)

    def get_all(self, query: Query) -> list[Element]:
        return get_all(self.root, query)

    def query(self, query: Query) -> Element | None:
        return query_one(self.root, query)

    def find(self, query: Query, timeout: float = FIND_TIMEOUT) -> Element:
        return until(lambda: self.get(query), self.dom, timeout=timeout)

    # -- by role -------------------------------------------------------------------------------

    def get_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> Element:  # fmt: skip
        return self.get(by_role(role, name=name, level=level, hidden=hidden))

    def query_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> Element | None:  # fmt: skip
        return self.query(by_role(role, name=name, level=level, hidden=hidden))

    def get_all_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> list[Element]:  # fmt: skip
        return self.get_all(by_role(role, name=name, level=level, hidden=hidden))

    def find_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False, timeout: float = FIND_TIMEOUT,
    ) -> Element:  # fmt: skip
        return self.find(by_role(role, name=name, level=level, hidden=hidden), timeout)

    # -- by label, placeholder, text, display value, test id -----------------------------------

    def get_by_label_text(self, text: Matcher) -> Element:
        return self.get(by_label_text(text))

    def query_by_label_text(self, text: Matcher) -> Element | None:
        return self.query(by_label_text(text))

    def get_all_by_label_text(self, text: Matcher) -> list[Element]:
        return self.get_all(by_label_text(text))

    def find_by_label_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Element:
        return self.find(by_label_text(text), timeout)

    def get_by_placeholder_text(self, text: Matcher) -> Element:
        return self.get(by_placeholder_text(text))

    def query_by_placeholder_text(self, text: Matcher) -> Element | None:
        return self.query(by_placeholder_text(text))

    def get_all_by_placeholder_text(self, text: Matcher) -> list[Element]:
        return self.get_all(by_placeholder_text(text))

    def find_by_placeholder_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Element:
        return self.find(by_placeholder_text(text), timeout)

    def get_by_text(self, text: Matcher) -> Element:
        return self.get(by_text(text))

    def query_by_text(self, text: Matcher) -> Element | None:
        return self.query(by_text(text))

    def get_all_by_text(self, text: Matcher) -> list[Element]:
        return self.get_all(by_text(text))

    def find_by_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Element:
        return self.find(by_text(text), timeout)

    def get_by_display_value(self, value: Matcher) -> Element:
        return self.get(by_display_value(value))

    def query_by_display_value(self, value: Matcher) -> Element | None:
        return self.query(by_display_value(value))

    def get_all_by_display_value(self, value: Matcher) -> list[Element]:
        return self.get_all(by_display_value(value))

    def find_by_display_value(self, value: Matcher, timeout: float = FIND_TIMEOUT) -> Element:
        return self.find(by_display_value(value), timeout)

    def get_by_test_id(self, test_id: Matcher) -> Element:
        return self.get(by_test_id(test_id))

    def query_by_test_id(self, test_id: Matcher) -> Element | None:
        return self.query(by_test_id(test_id))

    def get_all_by_test_id(self, test_id: Matcher) -> list[Element]:
        return self.get_all(by_test_id(test_id))

    def find_by_test_id(self, test_id: Matcher, timeout: float = FIND_TIMEOUT) -> Element:
        return self.find(by_test_id(test_id), timeout)
