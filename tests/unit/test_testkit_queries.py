"""framework.testkit.queries: get/query/get_all/find by role, label, text, placeholder, display
value and test id, on a page mounted on the in-memory DOM, and what their errors say."""

from __future__ import annotations

import re

import pytest

from framework import Component, MemoryDom, Signal, aio, mount
from framework.testing import ElementNotFound, MultipleElementsFound, Screen, UntilTimeout, settle

PAGE = t"""<main>
  <h1>Books</h1>
  <nav><a href="#/">Home</a> <a href="#/new">New book</a></nav>
  <form aria-label="New book">
    <label for="title">Title</label> <input id="title" value="Dune" placeholder="A title">
    <label>Notes <textarea placeholder="Anything">long</textarea></label>
    <label>Stars <select><option value="5">five</option><option value="3" selected>three</option>
    </select></label>
    <input type="checkbox" aria-label="Read">
    <button>Save</button> <button>Save draft</button>
    <button hidden>Delete</button>
  </form>
  <h2>Shelf</h2>
  <ul><li data-testid="row">Dune</li><li data-testid="row">Emma</li></ul>
  <p>Found <strong>2</strong> books</p>
</main>"""


@pytest.fixture
def screen() -> Screen:
    dom = MemoryDom()
    mount(PAGE, "#app", backend=dom)
    return Screen(dom)


@pytest.mark.parametrize(
    ("role", "name", "tag", "text"),
    [
        ("button", "Save", "button", "Save"),  # exact: not "Save draft"
        ("button", re.compile("draft"), "button", "Save draft"),
        ("link", "New book", "a", "New book"),
        ("heading", "Shelf", "h2", "Shelf"),
        ("textbox", "Title", "input", ""),
        ("textbox", "Notes", "textarea", "long"),
        ("combobox", "Stars", "select", "fivethree"),
        ("checkbox", "Read", "input", ""),
        ("form", "New book", "form", None),
        ("navigation", None, "nav", None),
        ("list", None, "ul", None),
    ],
)
def test_get_by_role_finds_by_role_and_name(
    screen: Screen, role: str, name: str | re.Pattern[str] | None, tag: str, text: str | None
) -> None:
    found = screen.get_by_role(role, name=name)
    assert found.tag == tag
    if text is not None:
        assert " ".join(found.text_content.split()).replace(" ", "") == text.replace(" ", "")


def test_heading_level_narrows(screen: Screen) -> None:
    assert screen.get_by_role("heading", level=1).text_content == "Books"
    assert [h.tag for h in screen.get_all_by_role("heading")] == ["h1", "h2"]


def test_hidden_elements_are_left_out_unless_asked(screen: Screen) -> None:
    assert screen.query_by_role("button", name="Delete") is None
    assert screen.get_by_role("button", name="Delete", hidden=True).text_content == "Delete"


def test_get_by_role_that_finds_nothing_lists_the_roles_and_names() -> None:
    dom = MemoryDom()
    mount(PAGE, "#app", backend=dom)
    with pytest.raises(ElementNotFound) as failure:
        Screen(dom).get_by_role("button", name="Publish")
    message = str(failure.value)
    assert message.startswith('Unable to find an element with role "button" and name "Publish".')
    assert 'button "Save"\n' in message
    assert 'button "Save draft"' in message
    assert 'heading "Books" (level 1)' in message
    assert 'textbox "Title"' in message
    assert "Delete" not in message  # hidden: not what a user has


def test_get_by_role_that_finds_several_shows_them(screen: Screen) -> None:
    with pytest.raises(MultipleElementsFound) as failure:
        screen.get_by_role("button")
    message = str(failure.value)
    assert message.startswith('Found 2 elements with role "button", where one was expected')
    assert "<button>Save</button>" in message
    assert "<button>Save draft</button>" in message


def test_query_by_is_none_or_one_and_refuses_several(screen: Screen) -> None:
    assert screen.query_by_text("Nowhere") is None
    assert screen.query_by_text("Emma") is not None
    with pytest.raises(MultipleElementsFound):
        screen.query_by_test_id("row")


@pytest.mark.parametrize(
    ("label", "tag"),
    [("Title", "input"), ("Notes", "textarea"), ("Stars", "select"), ("Read", "input")],
)
def test_get_by_label_text_returns_the_field(screen: Screen, label: str, tag: str) -> None:
    assert screen.get_by_label_text(label).tag == tag


def test_get_by_label_text_error_lists_the_labels(screen: Screen) -> None:
    with pytest.raises(ElementNotFound) as failure:
        screen.get_by_label_text("Author")
    assert str(failure.value) == (
        'Unable to find an element with label "Author".\nThe labels on the page:\n'
        '  "Title"\n  "Notes"\n  "Stars"\n  "New book"\n  "Read"'
    )


@pytest.mark.parametrize(
    ("text", "tag"),
    [("Dune", "li"), ("Shelf", "h2"), (re.compile("^Found"), "p"), ("2", "strong")],
)
def test_get_by_text_finds_the_element_showing_it(screen: Screen, text: str, tag: str) -> None:
    assert screen.get_by_text(text).tag == tag


def test_get_by_text_matches_the_whole_text_unless_a_pattern(screen: Screen) -> None:
    assert screen.query_by_text("Dun") is None
    assert screen.get_by_text(re.compile("Dun")).text_content == "Dune"


def test_get_by_placeholder_text(screen: Screen) -> None:
    assert screen.get_by_placeholder_text("A title").tag == "input"
    with pytest.raises(ElementNotFound, match='The placeholders on the page:\n  "A title"'):
        screen.get_by_placeholder_text("Author")


@pytest.mark.parametrize(
    ("value", "tag"), [("Dune", "input"), ("long", "textarea"), ("three", "select")]
)
def test_get_by_display_value(screen: Screen, value: str, tag: str) -> None:
    assert screen.get_by_display_value(value).tag == tag


def test_get_all_by_test_id(screen: Screen) -> None:
    assert [e.text_content for e in screen.get_all_by_test_id("row")] == ["Dune", "Emma"]
    with pytest.raises(ElementNotFound, match=r'(?s)test id "cell".*ids on the page:\n  "row"$'):
        screen.get_all_by_test_id("cell")


def test_within_looks_inside_one_element(screen: Screen) -> None:
    form = screen.get_by_role("form", name="New book")
    assert screen.get_all_by_role("link")  # on the page, but not in the form
    assert screen.within(form).query_by_role("link") is None


class Loads(Component):
    """Shows its rows after a (virtual) second, as a component waiting for an API would."""

    def setup(self) -> None:
        self.rows = Signal[list[str]]([])
        aio.run(self.load())

    async def load(self) -> None:
        await aio.sleep(1.0)
        self.rows.value = ["Dune"]

    def render(self):
        return t"<ul>{[t'<li>{row}</li>' for row in self.rows.value]}</ul>"


def test_find_by_waits_on_the_virtual_clock() -> None:
    dom = MemoryDom()
    mount(Loads(), "#app", backend=dom)
    screen = Screen(dom)
    assert screen.query_by_role("listitem") is None
    assert screen.find_by_role("listitem", name="Dune", timeout=2.0).text_content == "Dune"


def test_find_by_times_out_with_the_query_failure() -> None:
    dom = MemoryDom()
    mount(Loads(), "#app", backend=dom)
    with pytest.raises(UntilTimeout) as failure:
        Screen(dom).find_by_text("Dune", timeout=0.5)
    assert 'Unable to find an element with text "Dune"' in str(failure.value)
    settle(dom, advance=1.0)  # the rows come later: the test leaves no task pending
