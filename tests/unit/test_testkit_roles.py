"""framework.testkit.roles: the role and the accessible name a user finds an element by."""

from __future__ import annotations

import pytest

from framework.dom.tree import Element, parse_fragment
from framework.testkit.roles import accessible_name, heading_level, is_hidden, role_of


def first(markup: str) -> tuple[Element, Element]:
    """The page parsed, and its element marked `data-x` (else its first element)."""
    root = parse_fragment(markup)
    marked = root.select(lambda n: "data-x" in n.attrs) or root.select(lambda _: True)
    return marked[0], root


@pytest.mark.parametrize(
    ("markup", "role"),
    [
        ("<button>Go</button>", "button"),
        ('<input type="submit">', "button"),
        ('<input type="reset">', "button"),
        ('<a href="/x">x</a>', "link"),
        ("<a>no href</a>", None),
        ("<input>", "textbox"),
        ('<input type="email">', "textbox"),
        ('<input type="TEXT">', "textbox"),
        ('<input type="search">', "searchbox"),
        ('<input list="suggestions">', "combobox"),
        ("<textarea></textarea>", "textbox"),
        ('<input type="checkbox">', "checkbox"),
        ('<input type="radio">', "radio"),
        ('<input type="number">', "spinbutton"),
        ('<input type="range">', "slider"),
        ('<input type="hidden">', None),
        ("<select><option>a</option></select>", "combobox"),
        ("<select multiple><option>a</option></select>", "listbox"),
        ('<select size="4"><option>a</option></select>', "listbox"),
        ("<h1>t</h1>", "heading"),
        ("<h6>t</h6>", "heading"),
        ("<ul><li>a</li></ul>", "list"),
        ("<ol></ol>", "list"),
        ("<ul><li data-x>a</li></ul>", "listitem"),
        ('<img src="a.png" alt="A cat">', "img"),
        ('<img src="a.png" alt="">', "presentation"),
        ("<form></form>", "form"),
        ("<nav></nav>", "navigation"),
        ("<main></main>", "main"),
        ("<dialog></dialog>", "dialog"),
        ("<footer></footer>", "contentinfo"),
        ("<div></div>", None),
        ("<span></span>", None),
        ('<div role="alert">!</div>', "alert"),
        ('<div role="tab presentation">x</div>', "tab"),  # the first token counts
        ('<button role="switch">x</button>', "switch"),  # explicit beats implicit
    ],
)
def test_role(markup: str, role: str | None) -> None:
    element, _root = first(markup)
    assert role_of(element) == role


@pytest.mark.parametrize(
    ("markup", "level"),
    [("<h1>a</h1>", 1), ("<h3>a</h3>", 3), ('<div role="heading" aria-level="2">a</div>', 2)],
)
def test_heading_level(markup: str, level: int) -> None:
    element, _root = first(markup)
    assert heading_level(element) == level


@pytest.mark.parametrize(
    ("markup", "name"),
    [
        ("<button>  Save\n  draft </button>", "Save draft"),
        ('<button aria-label="Close">x</button>', "Close"),
        ('<button aria-label="  ">Go</button>', "Go"),  # a blank aria-label names nothing
        ('<span id="a">Billing</span><span id="b">address</span>'
         '<input data-x aria-labelledby="a b" aria-label="ignored">', "Billing address"),
        ('<label for="e">Email</label><input data-x id="e">', "Email"),
        ('<label>Name <input data-x></label>', "Name"),
        ('<label>Stars <select data-x><option>5</option></select></label>', "Stars"),
        ('<label for="e">Work</label><label for="e">email</label><input data-x id="e">',
         "Work email"),
        ('<input data-x placeholder="Search">', "Search"),  # the last resort
        ('<input data-x title="Amount" placeholder="0">', "Amount"),
        ('<input type="submit" value="Send">', "Send"),
        ('<input type="submit">', "Submit"),
        ('<img alt="A cat">', "A cat"),
        ('<a href="/"><img alt="Home"></a>', "Home"),  # content includes images' alt
        ("<h2>Books <small>(3)</small></h2>", "Books (3)"),
        ("<ul><li>a</li></ul>", ""),  # a list is not named by its content
        ('<div role="button">Ok</div>', "Ok"),
    ],
)  # fmt: skip
def test_accessible_name(markup: str, name: str) -> None:
    element, root = first(markup)
    assert accessible_name(element, root) == name


@pytest.mark.parametrize(
    ("markup", "hidden"),
    [
        ("<button data-x>a</button>", False),
        ("<button data-x hidden>a</button>", True),
        ("<div hidden><button data-x>a</button></div>", True),
        ('<div aria-hidden="true"><button data-x>a</button></div>', True),
        ('<div aria-hidden="false"><button data-x>a</button></div>', False),
        ('<div style="display: none"><button data-x>a</button></div>', True),
    ],
)
def test_hidden(markup: str, hidden: bool) -> None:
    element, _root = first(markup)
    assert is_hidden(element) is hidden
