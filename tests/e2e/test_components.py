"""The reactive core in real Chromium: counter, keyed lists, nested events, error boundaries and
two-way bindings, driven like a user against `framework serve` (app: apps/components).

The page boots once per module; `__components_reset__()` remounts a fresh app before each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

OVERLAY = "#framework-error"


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "components").url)
    assert module_page.error is None, module_page.text(OVERLAY)
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Iterator[Page]:
    """A freshly mounted app; a test that leaves an error on the page fails unless it expects it."""
    booted.page.evaluate(
        "() => { document.getElementById('framework-error')?.remove();"
        " delete document.documentElement.dataset.error; __components_reset__(); }"
    )
    yield booted.page
    assert booted.error is None, booted.text(OVERLAY)


# -- counter ---------------------------------------------------------------------------------------


def test_counter_counts_clicks(page: Page) -> None:
    button = page.locator("#counter button")
    expect(button).to_have_text("Count: 0")
    for expected in range(1, 4):
        button.click()
        expect(button).to_have_text(f"Count: {expected}")


def test_reset_mounts_a_fresh_counter(page: Page) -> None:
    button = page.locator("#counter button")
    button.click()
    expect(button).to_have_text("Count: 1")
    page.evaluate("__components_reset__()")
    expect(page.locator("#counter button")).to_have_text("Count: 0")
    expect(page.locator("#counter button")).to_have_count(1)


# -- keyed lists -----------------------------------------------------------------------------------

ROW_KINDS = ["component", "template"]


def tag_rows(rows: Locator) -> None:
    """Give every row element a JS expando naming its key: it survives only if the element does."""
    rows.evaluate_all("rows => rows.forEach(row => { row.__original = row.dataset.id; })")


def row_state(rows: Locator) -> list[tuple[str, str | None, str]]:
    """(data-id, expando of the element now in that place, label) for every row, in order."""
    state = rows.evaluate_all(
        "rows => rows.map(row => [row.dataset.id, row.__original ?? null,"
        " row.querySelector('.label').textContent])"
    )
    return [tuple(entry) for entry in state]


def same_elements(ids: list[str], labels: list[str]) -> list[tuple[str, str | None, str]]:
    return [(i, i, label) for i, label in zip(ids, labels, strict=True)]


LABELS = {"1": "alpha", "2": "beta", "3": "gamma", "4": "delta"}


def rows_of(page: Page, kind: str) -> Locator:
    return page.locator(f"#list-{kind} li.row")


@pytest.mark.parametrize("kind", ROW_KINDS)
def test_keyed_list_add_appends_one_new_row(page: Page, kind: str) -> None:
    section, rows = page.locator(f"#list-{kind}"), rows_of(page, kind)
    tag_rows(rows)
    section.locator("input.draft").fill("epsilon")
    section.locator("input.draft").press("Enter")  # submits the form; .prevent keeps the page
    expect(rows).to_have_count(5)
    assert row_state(rows) == [
        *same_elements(["1", "2", "3", "4"], ["alpha", "beta", "gamma", "delta"]),
        ("5", None, "epsilon"),
    ]
    expect(section.locator("input.draft")).to_have_value("")  # cleared through the binding
    section.locator("input.draft").fill("zeta")
    section.locator("button.add").click()
    expect(rows.last.locator(".label")).to_have_text("zeta")
    expect(rows).to_have_count(6)


@pytest.mark.parametrize("kind", ROW_KINDS)
def test_keyed_list_remove_takes_out_only_that_row(page: Page, kind: str) -> None:
    rows = rows_of(page, kind)
    tag_rows(rows)
    rows.nth(1).locator("button.remove").click()
    expect(rows).to_have_count(3)
    assert row_state(rows) == same_elements(["1", "3", "4"], ["alpha", "gamma", "delta"])
    rows.first.locator("button.remove").click()
    rows.last.locator("button.remove").click()
    expect(rows).to_have_count(1)
    assert row_state(rows) == same_elements(["3"], ["gamma"])


@pytest.mark.parametrize(
    ("kind", "action", "order"),
    [
        (kind, action, order)
        for kind in ROW_KINDS
        for action, order in [
            ("up 3", ["1", "3", "2", "4"]),
            ("up 4", ["1", "2", "4", "3"]),
            ("swap", ["4", "2", "3", "1"]),
            ("reverse", ["4", "3", "2", "1"]),
        ]
    ],
)
def test_keyed_list_moves_nodes_instead_of_recreating_them(
    page: Page, kind: str, action: str, order: list[str]
) -> None:
    section, rows = page.locator(f"#list-{kind}"), rows_of(page, kind)
    tag_rows(rows)
    page.evaluate(
        """selector => {
            window.__added = []; window.__removed = [];
            const list = document.querySelector(selector);
            window.__observer?.disconnect();
            window.__observer = new MutationObserver(records => records.forEach(r => {
                r.addedNodes.forEach(n => n.nodeType === 1 && __added.push(n.__original ?? 'new'));
                r.removedNodes.forEach(n => n.nodeType === 1 && __removed.push(n.__original));
            }));
            __observer.observe(list, {childList: true});
        }""",
        f"#list-{kind} ul.rows",
    )
    if action.startswith("up"):
        section.locator(f"li[data-id='{action.split()[1]}'] button.up").click()
    else:
        section.locator(f"button.{action}").click()
    expect(rows.locator(".label")).to_have_text([LABELS[i] for i in order])
    assert row_state(rows) == same_elements(order, [LABELS[i] for i in order])
    added, removed = page.evaluate("[__added, __removed]")
    assert "new" not in added, "a row element was created instead of moved"
    assert sorted(added) == sorted(removed), "every detached row came back"
    assert len(added) <= len(order) - 1  # moves only; the longest kept run stays in place


def test_component_rows_keep_their_state_when_moved(page: Page) -> None:
    rows = rows_of(page, "component")
    rows.nth(0).locator("button.like").click()
    rows.nth(0).locator("button.like").click()
    rows.nth(2).locator("button.like").click()
    page.locator("#list-component button.reverse").click()
    expect(rows.locator(".label")).to_have_text(["delta", "gamma", "beta", "alpha"])
    expect(rows.locator("button.like")).to_have_text(["likes 0", "likes 1", "likes 0", "likes 2"])
    rows.nth(3).locator("button.like").click()  # handlers still belong to the moved row
    expect(page.locator("#list-component li[data-id='1'] button.like")).to_have_text("likes 3")


def test_keyed_list_emptied_and_refilled(page: Page) -> None:
    section, rows = page.locator("#list-template"), rows_of(page, "template")
    for _ in range(4):
        rows.first.locator("button.remove").click()
    expect(rows).to_have_count(0)
    section.locator("input.draft").fill("again")
    section.locator("button.add").click()
    expect(rows.locator(".label")).to_have_text(["again"])
    expect(section.locator("ul.rows > *")).to_have_count(1)  # no stray nodes left behind


# -- nested components and events ------------------------------------------------------------------


def test_events_travel_up_through_nested_components(page: Page) -> None:
    tree = page.locator("#tree")
    tree.locator("fieldset[data-title='right'] button.leaf[data-name='y']").click()
    expect(tree.locator(".last")).to_have_text("picked right/y")
    expect(tree.locator("fieldset[data-title='right'] .picks")).to_have_text("right: 1")
    expect(tree.locator("fieldset[data-title='left'] .picks")).to_have_text("left: 0")
    tree.locator("fieldset[data-title='left'] button.leaf[data-name='x']").click()
    expect(tree.locator(".last")).to_have_text("picked left/x")
    expect(tree.locator("fieldset[data-title='left'] .picks")).to_have_text("left: 1")
    # Both clicks also bubbled to the section's own handler (one delegated listener per type).
    expect(tree.locator(".seen")).to_have_text("clicks seen by the section: 2")


def test_stop_modifier_ends_the_bubbling(page: Page) -> None:
    tree = page.locator("#tree")
    tree.locator("button.stopped").click()
    tree.locator(".last").click()
    expect(tree.locator(".seen")).to_have_text("clicks seen by the section: 1")


# -- error boundary --------------------------------------------------------------------------------


def test_error_boundary_shows_fallback_reports_and_the_app_keeps_working(
    page: Page, booted: AppPage
) -> None:
    boundary = page.locator("#boundary")
    expect(boundary.locator(".fragile")).to_have_text("fragile is fine")
    boundary.locator("button.break").click()

    expect(boundary.locator(".fragile-fallback")).to_have_text(
        "fragile is unavailable (ValueError)"
    )
    expect(boundary.locator(".framework-error-boundary")).to_have_text(
        "Brittle failed to render: KeyError"
    )
    expect(boundary.locator(".fragile")).to_have_count(0)
    overlay = page.locator(OVERLAY)
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("Traceback (most recent call last)")
    expect(overlay).to_contain_text("ValueError: fragile render failed on purpose: code 7781")
    expect(overlay).to_contain_text("in render")
    expect(overlay).to_contain_text("main.py")
    expect(overlay).to_contain_text("KeyError: 'brittle'")
    assert booted.error == "1"

    overlay.locator("button[title='Dismiss']").click()  # the user closes it and carries on
    still = boundary.locator("button.counter")
    still.click()
    still.click()
    expect(still).to_have_text("Still working: 2")
    page.locator("#counter button").click()
    expect(page.locator("#counter button")).to_have_text("Count: 1")

    boundary.locator("button.repair").click()  # the boundary recovers when render works again
    expect(boundary.locator(".fragile")).to_have_text("fragile is fine")
    expect(boundary.locator(".brittle")).to_have_text("brittle is fine")
    expect(boundary.locator("[role=alert]")).to_have_count(0)
    expect(still).to_have_text("Still working: 2")
    page.evaluate("delete document.documentElement.dataset.error")  # expected in this test


# -- two-way binding -------------------------------------------------------------------------------

INITIAL_STATE = "name='Ada' agree=False size='m' color='green' notes='first line'"


def test_bound_controls_start_from_the_signals(page: Page) -> None:
    form = page.locator("#form")
    expect(form.locator("input.name")).to_have_value("Ada")
    expect(form.locator("input.agree")).not_to_be_checked()
    expect(form.locator("input[value='m']")).to_be_checked()
    expect(form.locator("input[value='s']")).not_to_be_checked()
    expect(form.locator("select.color")).to_have_value("green")
    expect(form.locator("textarea.notes")).to_have_value("first line")
    expect(form.locator(".state")).to_have_text(INITIAL_STATE)


def test_user_input_flows_into_the_signals(page: Page) -> None:
    form = page.locator("#form")
    form.locator("input.name").fill("Linus")
    expect(form.locator(".echo")).to_have_text("Linus")  # a Signal in a text slot
    form.locator("input.agree").check()
    form.locator("input[value='s']").check()
    form.locator("select.color").select_option("red")
    form.locator("textarea.notes").fill("two\nlines")
    expect(form.locator(".state")).to_have_text(
        "name='Linus' agree=True size='s' color='red' notes='two\\nlines'"
    )
    form.locator("input.agree").uncheck()
    form.locator("input[value='l']").check()
    expect(form.locator(".state")).to_have_text(
        "name='Linus' agree=False size='l' color='red' notes='two\\nlines'"
    )
    expect(form.locator("input[value='s']")).not_to_be_checked()


def test_signals_set_from_code_update_the_controls(page: Page) -> None:
    form = page.locator("#form")
    form.locator("input.name").fill("typed")
    form.locator("button.from-code").click()
    expect(form.locator("input.name")).to_have_value("Grace")
    expect(form.locator(".echo")).to_have_text("Grace")
    expect(form.locator("input.agree")).to_be_checked()
    expect(form.locator("input[value='l']")).to_be_checked()
    expect(form.locator("input[value='m']")).not_to_be_checked()
    expect(form.locator("select.color")).to_have_value("blue")
    expect(form.locator("textarea.notes")).to_have_value("set\nfrom code")


def test_typing_in_the_middle_keeps_the_caret(page: Page) -> None:
    name = page.locator("#form input.name")
    name.click()
    name.press("End")
    name.press("ArrowLeft")
    name.press("ArrowLeft")
    name.press_sequentially("xy")
    expect(name).to_have_value("Axyda")
    expect(page.locator("#form .echo")).to_have_text("Axyda")


# -- scoped styles ---------------------------------------------------------------------------------


def color_of(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("element => getComputedStyle(element).color")


def test_scoped_styles_apply_to_their_own_component_only(page: Page) -> None:
    """Two components style `.title` differently, under the dev server's real CSP: each title
    takes its own component's colour, a child's is its own, a title outside neither."""
    expect(page.locator("#scoped .title")).to_have_count(3)
    assert color_of(page, "#scoped .teal") == "rgb(0, 128, 128)"
    assert color_of(page, "#scoped .plum") == "rgb(142, 69, 133)"
    assert color_of(page, "#scoped .plain") == color_of(page, "#scoped")  # inherited, unstyled
    after = page.locator("#scoped .teal").evaluate(
        "element => getComputedStyle(element, '::after').content"
    )
    assert after == '" (teal)"'  # the @media block and the pseudo-element were scoped too


def test_scoped_styles_are_adopted_once_per_component_class(page: Page) -> None:
    page.evaluate("__components_reset__()")  # the same components mounted again
    expect(page.locator("#scoped .teal")).to_have_count(1)
    sheets = page.evaluate(
        "() => document.adoptedStyleSheets.map(s => [...s.cssRules].map(r => r.cssText).join())"
    )
    assert len([sheet for sheet in sheets if ".title" in sheet]) == 2
    assert color_of(page, "#scoped .teal") == "rgb(0, 128, 128)"
