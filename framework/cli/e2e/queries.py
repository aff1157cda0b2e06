"""Queries over a real page: the unit kit's Screen (framework/testkit/queries.py), with the
same names, rules and failure messages, returning Playwright locators.

A locator is lazy: it finds the element again each time it is used, so `expect(...)` retries
on it and an action auto-waits for it. `get_by_*` checks that there is exactly one now (else
the unit kit's message), then hands back a locator that stays strict: an action on it fails
if the page later holds two.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from framework.cli.e2e.engine import ENGINE_NAME, PRESENT
from framework.cli.e2e.waiting import until

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

Matcher = str | re.Pattern[str]
FIND_TIMEOUT = 5.0  # real seconds find_by_* waits (Playwright's expect() default)
_SHOWN = 60  # characters of an element's HTML an error message shows
_JS_FLAGS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s"}
# What Playwright says when the engine was not registered, or after the document was made.
_NOT_INSTALLED = (f'Unknown engine "{ENGINE_NAME}"', "reading 'queryAll'")
_IMPLICIT_FLAGS = re.UNICODE  # every str pattern has it; JavaScript's RegExp is Unicode too


class ElementNotFound(AssertionError):
    """A get_by_*/find_by_* query found nothing: a test failure, with what the page has."""


class MultipleElementsFound(AssertionError):
    """A get_by_*/query_by_* query found several elements where one was expected."""


@dataclass(frozen=True)
class Query:
    """One query: what it looks for (for messages), the engine's selector, and the title of
    what the page has of that kind (listed when nothing matches)."""

    looked_for: str
    selector: dict[str, Any]
    present_title: str

    @property
    def css(self) -> str:
        """The Playwright selector: `framework-testkit={json}`."""
        return f"{ENGINE_NAME}={json.dumps(self.selector, separators=(',', ':'))}"


def _matcher(matcher: Matcher) -> dict[str, str]:
    """A string matches the whole normalised text; a pattern, run as a JavaScript RegExp,
    matches anywhere in it (re.I, re.M and re.S carry over)."""
    if not isinstance(matcher, re.Pattern):
        return {"text": matcher}
    flags = matcher.flags & ~_IMPLICIT_FLAGS
    unknown = flags & ~sum(_JS_FLAGS)
    if unknown:
        raise ValueError(
            f"the pattern {matcher.pattern!r} has flags the page's RegExp cannot take "
            f"({re.RegexFlag(unknown)!r}): use re.IGNORECASE, re.MULTILINE or re.DOTALL only"
        )
    js_flags = "".join(letter for flag, letter in _JS_FLAGS.items() if flags & flag)
    return {"pattern": matcher.pattern, "flags": js_flags}


def _shown(matcher: Matcher) -> str:
    return f"/{matcher.pattern}/" if isinstance(matcher, re.Pattern) else f'"{matcher}"'


# -- the kinds of query -------------------------------------------------------------------------


def by_role(
    role: str, *, name: Matcher | None = None, level: int | None = None, hidden: bool = False
) -> Query:
    """Elements of that role (implicit or `role=`); with `name`, whose accessible name
    matches; with `level`, headings of that level. Hidden elements only with `hidden=True`."""
    looked_for = f'role "{role}"'
    if name is not None:
        looked_for += f" and name {_shown(name)}"
    if level is not None:
        looked_for += f" and level {level}"
    selector = {
        "kind": "role",
        "role": role,
        "name": None if name is None else _matcher(name),
        "level": level,
        "hidden": hidden,
    }
    return Query(looked_for, selector, "The roles and names on the page")


def by_label_text(text: Matcher) -> Query:
    """Form fields whose <label> (by `for` or holding them), aria-labelledby or aria-label
    matches: the field itself, which the user types into, not the label."""
    selector = {"kind": "label", "text": _matcher(text)}
    return Query(f"label {_shown(text)}", selector, "The labels on the page")


def by_placeholder_text(text: Matcher) -> Query:
    return _by_attribute("placeholder", text, "placeholder")


def by_test_id(test_id: Matcher) -> Query:
    return _by_attribute("data-testid", test_id, "test id")


def by_text(text: Matcher) -> Query:
    """Elements whose own text (their text children, not their descendants') matches."""
    selector = {"kind": "text", "text": _matcher(text)}
    return Query(f"text {_shown(text)}", selector, "The texts on the page")


def by_display_value(value: Matcher) -> Query:
    """Inputs, textareas and selects showing that value (a select: its chosen option's text)."""
    selector = {"kind": "value", "text": _matcher(value)}
    return Query(f"display value {_shown(value)}", selector, "The values on the page")


def _by_attribute(attribute: str, text: Matcher, what: str) -> Query:
    selector = {"kind": "attribute", "attribute": attribute, "text": _matcher(text)}
    return Query(f"{what} {_shown(text)}", selector, f"The {what}s on the page")


# -- running a query ----------------------------------------------------------------------------


class Screen:
    """The queries over a Playwright page, or over one element of it (`within`)."""

    def __init__(self, page: Page, root: Locator | None = None) -> None:
        self.page = page
        self.root = root

    def within(self, element: Locator) -> Screen:
        """The same queries, looking only inside `element` (a locator of one element)."""
        return Screen(self.page, element)

    def locator(self, query: Query) -> Locator:
        """What the query finds, as a locator, without checking how many there are."""
        return (self.page if self.root is None else self.root).locator(query.css)

    def get_all(self, query: Query) -> list[Locator]:
        found = self.locator(query)
        count = _count(found)
        if count == 0:
            raise ElementNotFound(self._not_found(query))
        return [found.nth(index) for index in range(count)]

    def get(self, query: Query) -> Locator:
        found = self.query(query)
        if found is None:
            raise ElementNotFound(self._not_found(query))
        return found

    def query(self, query: Query) -> Locator | None:
        found = self.locator(query)
        count = _count(found)
        if count > 1:
            raise MultipleElementsFound(_several(query, found, count))
        return found if count else None

    def find(self, query: Query, timeout: float = FIND_TIMEOUT) -> Locator:
        """Exactly one, waiting for it (real seconds)."""
        return until(lambda: self.get(query), timeout=timeout)

    def _not_found(self, query: Query) -> str:
        root = None if self.root is None else self.root.element_handle()
        present: list[str] = self.page.evaluate(PRESENT, [root, query.selector])
        listing = "\n".join(f"  {line}" for line in dict.fromkeys(present)) or "  (none)"
        return (
            f"Unable to find an element with {query.looked_for}.\n{query.present_title}:\n{listing}"
        )

    # -- by role -------------------------------------------------------------------------------

    def get_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> Locator:  # fmt: skip
        return self.get(by_role(role, name=name, level=level, hidden=hidden))

    def query_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> Locator | None:  # fmt: skip
        return self.query(by_role(role, name=name, level=level, hidden=hidden))

    def get_all_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False,
    ) -> list[Locator]:  # fmt: skip
        return self.get_all(by_role(role, name=name, level=level, hidden=hidden))

    def find_by_role(
        self, role: str, *, name: Matcher | None = None, level: int | None = None,
        hidden: bool = False, timeout: float = FIND_TIMEOUT,
    ) -> Locator:  # fmt: skip
        return self.find(by_role(role, name=name, level=level, hidden=hidden), timeout)

    # -- by label, placeholder, text, display value, test id -----------------------------------

    def get_by_label_text(self, text: Matcher) -> Locator:
        return self.get(by_label_text(text))

    def query_by_label_text(self, text: Matcher) -> Locator | None:
        return self.query(by_label_text(text))

    def get_all_by_label_text(self, text: Matcher) -> list[Locator]:
        return self.get_all(by_label_text(text))

    def find_by_label_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Locator:
        return self.find(by_label_text(text), timeout)

    def get_by_placeholder_text(self, text: Matcher) -> Locator:
        return self.get(by_placeholder_text(text))

    def query_by_placeholder_text(self, text: Matcher) -> Locator | None:
        return self.query(by_placeholder_text(text))

    def get_all_by_placeholder_text(self, text: Matcher) -> list[Locator]:
        return self.get_all(by_placeholder_text(text))

    def find_by_placeholder_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Locator:
        return self.find(by_placeholder_text(text), timeout)

    def get_by_text(self, text: Matcher) -> Locator:
        return self.get(by_text(text))

    def query_by_text(self, text: Matcher) -> Locator | None:
        return self.query(by_text(text))

    def get_all_by_text(self, text: Matcher) -> list[Locator]:
        return self.get_all(by_text(text))

    def find_by_text(self, text: Matcher, timeout: float = FIND_TIMEOUT) -> Locator:
        return self.find(by_text(text), timeout)

    def get_by_display_value(self, value: Matcher) -> Locator:
        return self.get(by_display_value(value))

    def query_by_display_value(self, value: Matcher) -> Locator | None:
        return self.query(by_display_value(value))

    def get_all_by_display_value(self, value: Matcher) -> list[Locator]:
        return self.get_all(by_display_value(value))

    def find_by_display_value(self, value: Matcher, timeout: float = FIND_TIMEOUT) -> Locator:
        return self.find(by_display_value(value), timeout)

    def get_by_test_id(self, test_id: Matcher) -> Locator:
        return self.get(by_test_id(test_id))

    def query_by_test_id(self, test_id: Matcher) -> Locator | None:
        return self.query(by_test_id(test_id))

    def get_all_by_test_id(self, test_id: Matcher) -> list[Locator]:
        return self.get_all(by_test_id(test_id))

    def find_by_test_id(self, test_id: Matcher, timeout: float = FIND_TIMEOUT) -> Locator:
        return self.find(by_test_id(test_id), timeout)


def _count(found: Locator) -> int:
    from playwright.sync_api import Error as PlaywrightError

    try:
        return found.count()
    except PlaywrightError as error:
        if not any(sign in str(error) for sign in _NOT_INSTALLED):
            raise
        raise RuntimeError(
            "the testing kit's selector engine is not in this page: load the pytest plugin "
            "(`-p framework.cli.e2e.pytest_plugin`), or call framework.cli.e2e.install("
            "playwright) before the page opens the app (a page that was already open gets it "
            "when it next navigates or reloads)"
        ) from None


def _several(query: Query, found: Locator, count: int) -> str:
    html: list[str] = found.evaluate_all("elements => elements.map(e => e.outerHTML)")
    listing = "\n".join(f"  {_short(element)}" for element in html)
    return (
        f"Found {count} elements with {query.looked_for}, where one was expected "
        f"(get_all_by_* returns them all; a name or within() narrows the search):\n{listing}"
    )


def _short(html: str) -> str:
    return html if len(html) <= _SHOWN else html[: _SHOWN - 3] + "..."
