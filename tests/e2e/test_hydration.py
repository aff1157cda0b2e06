"""The user's own last view and hydration, in real Chromium against `framework serve`.

A returning TO-DO user with 100 stored todos sees them in the first frame (view.js restores the
view saved on the last visit), and the first render adopts those nodes: no element is added or
removed. A view saved by an older build is ignored silently; a damaged or unsafe one is ignored
and reported once; one that differs from the data is patched, not duplicated, and a row whose
content changed is stale for the input replay. Hand-made prerendered markup (apps/hydration) is
adopted with text split at the slots, typed text kept and properties set.

One page for the module: the TO-DO tests run in order (the first one saves the view the others
alter), and only three of its loads wait for Python.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APPS, SETTLED, AppPage, ServeApp, Server
from tests.e2e.todo_pages import STORAGE_KEY, TODO_APP

pytestmark = pytest.mark.e2e

VIEW_KEY = "framework-view:/"
VIEW_WARNING = "the saved view of / was not used"
STORED = [{"id": f"t{i}", "title": f"Todo {i}", "completed": i % 3 == 0} for i in range(100)]
BOOT_MS = 60_000

# Before any script of the page: what the first frame shows (requestAnimationFrame runs before
# it is painted), and from DOMContentLoaded, after view.js, every element added to or removed
# from #app (hydration must not replace any).
PROBE = """
window.__probe__ = { added: 0, removed: 0, first: null, rows: [] };
requestAnimationFrame(() => {
  const app = document.querySelector("#app");
  __probe__.rows = Array.from(document.querySelectorAll(".todo-list > li, ul.rows > li"));
  __probe__.first = {
    rows: __probe__.rows.length,
    view: app && app.getAttribute("data-framework-view"),
    ready: document.documentElement.dataset.ready ?? null,
    saved: localStorage.getItem("framework-view:/") !== null,
  };
});
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeType === 1) __probe__.added++;
      for (const node of record.removedNodes) if (node.nodeType === 1) __probe__.removed++;
    }
  }).observe(document.querySelector("#app"), { childList: true, subtree: true });
});
"""


def checksum(text: str) -> str:
    """view.js's checksum (FNV-1a in two 32-bit lanes over UTF-16 code units), so a test can
    write a view whose sum is right and whose content is what the test is about."""
    units = [int.from_bytes(pair, "little") for pair in _pairs(text.encode("utf-16-le"))]
    a, b = 0x811C9DC5, 0x01000193 ^ len(units)
    for unit in units:
        a = ((a ^ unit) * 0x01000193) & 0xFFFFFFFF
        b = ((b ^ unit) * 0x5BD1E995) & 0xFFFFFFFF
    return f"{a:08x}{b:08x}"


def _pairs(data: bytes) -> list[bytes]:
    return [data[i : i + 2] for i in range(0, len(data), 2)]


@pytest.fixture(scope="module")
def todo(served_app: ServeApp) -> Server:
    return served_app(TODO_APP)


@pytest.fixture(scope="module")
def app(module_page: AppPage) -> AppPage:
    module_page.page.add_init_script(PROBE)
    return module_page


@pytest.fixture(scope="module")
def saved(app: AppPage, todo: Server) -> dict[str, Any]:
    """Boot the TO-DO app with 100 stored todos; the view it saves, as stored."""
    page = app.page
    page.goto(todo.url + "app.css")  # the app's origin, without the app
    page.evaluate(
        "([key, value]) => { localStorage.clear(); localStorage.setItem(key, value); }",
        [STORAGE_KEY, json.dumps(STORED)],
    )
    load(app, todo.url, ready=True)
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=VIEW_KEY)
    record: dict[str, Any] = json.loads(page.evaluate("k => localStorage.getItem(k)", VIEW_KEY))
    return record


def load(app: AppPage, url: str, *, ready: bool) -> dict[str, Any]:
    """Go to url; return what its first frame showed (after Python is ready, if `ready`)."""
    page = app.page
    page.goto(url, wait_until="commit")  # not "load", which waits for the runtime's downloads
    page.wait_for_function("() => window.__probe__ && __probe__.first !== null")
    if ready:
        page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_MS)
        assert app.error is None, app.text("#framework-error")
    first: dict[str, Any] = page.evaluate("__probe__.first")
    return first


def store_view(app: AppPage, url: str, record: dict[str, Any]) -> None:
    """Leave the app (which saves its view as it goes), then store record as its saved view."""
    app.page.goto(url + "app.css")
    app.page.evaluate("([k, v]) => localStorage.setItem(k, v)", [VIEW_KEY, json.dumps(record)])


def sealed(page: Page, record: dict[str, Any], html: str) -> dict[str, Any]:
    """record with #app's html replaced, its checksum right."""
    views = [["#app", html]]
    text = page.evaluate(
        "([build, route, views]) => `${build}\\u0000${route}\\u0000${JSON.stringify(views)}`",
        [record["build"], record["route"], views],
    )
    return {**record, "views": views, "check": checksum(text)}


def warnings(app: AppPage) -> list[str]:
    return [line for line in app.console if VIEW_WARNING in line]


def test_hydration_of_100_stored_todos_replaces_0_nodes(
    app: AppPage, todo: Server, saved: dict[str, Any]
) -> None:
    first = load(app, todo.url, ready=True)
    page = app.page
    assert first == {"rows": 100, "view": "restored", "ready": None, "saved": True}
    assert page.evaluate("[__probe__.added, __probe__.removed]") == [0, 0]
    hydration = page.evaluate("__framework_dom__.stats().hydration")
    # 6 elements a row, all adopted
    assert hydration["adopted"] > 600 and hydration["inserted"] == hydration["removed"] == 0
    assert page.get_attribute("#app", "data-framework-view") is None
    assert page.inner_html("#app") == saved["views"][0][1]
    # The adopted nodes are the app's: a click on a restored checkbox reaches its handler
    # (twice, so the list is as stored again for the next tests).
    toggle = page.locator(".todo-list li").nth(1).locator("input.toggle")
    for completed in ("true", "false"):
        toggle.click()
        page.wait_for_function(
            f"key => JSON.parse(localStorage.getItem(key))[1].completed === {completed}",
            arg=STORAGE_KEY,
        )


def test_a_view_saved_by_an_older_build_is_ignored_silently(
    app: AppPage, todo: Server, saved: dict[str, Any]
) -> None:
    store_view(app, todo.url, {**saved, "build": "an-older-build"})
    first = load(app, todo.url, ready=False)
    assert first["view"] != "restored" and first["rows"] == 0
    assert first["saved"] is False  # removed, not kept for later
    assert warnings(app) == []


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("edited", "checksum"),
        ("<li><script>window.ran = 1</script></li>", "<script>"),
        ('<li><img src="x.png" onerror="window.ran = 1"></li>', "onerror="),
        ('<li><a href=" javascript:window.ran = 1">x</a></li>', "href="),
        ('<li><button py-click="run">x</button></li>', "py-click="),
    ],
)
def test_a_damaged_or_unsafe_saved_view_is_ignored_and_reported_once(
    app: AppPage, todo: Server, saved: dict[str, Any], damage: str, reason: str
) -> None:
    page = app.page
    html = saved["views"][0][1]
    if damage == "edited":  # the checksum no longer matches
        record = {**saved, "views": [["#app", html.replace("Todo 7", "Todo 8")]]}
    else:  # well sealed, but markup the framework never renders
        record = sealed(page, saved, html.replace("</ul>", damage + "</ul>"))
    store_view(app, todo.url, record)
    app.console.clear()
    first = load(app, todo.url, ready=False)
    assert first["view"] != "restored" and first["rows"] == 0 and first["saved"] is False
    assert page.evaluate("window.ran") is None
    [warning] = warnings(app)
    assert reason in warning
    load(app, todo.url, ready=False)  # removed: not reported again
    assert len(warnings(app)) == 1


def test_a_restored_view_that_differs_is_patched_not_duplicated(
    app: AppPage, todo: Server, saved: dict[str, Any]
) -> None:
    page = app.page
    html = saved["views"][0][1]
    rows = html.split("<li")
    # Row 3 shows another title; row 5 is there twice.
    rows[3] = rows[3].replace("Todo 2<", "Todo two<")
    rows.insert(5, rows[5])
    store_view(app, todo.url, sealed(page, saved, "<li".join(rows)))
    app.console.clear()
    first = load(app, todo.url, ready=True)
    assert first["view"] == "restored" and first["rows"] == 101
    titles = page.locator(".todo-list li label").all_text_contents()
    assert titles == [todo["title"] for todo in STORED]
    assert page.inner_html("#app") == html  # as a boot without a saved view renders it
    assert page.evaluate("__probe__.added") == 0
    assert page.evaluate("__framework_dom__.stats().hydration.removed") == 1
    stale = page.evaluate("__probe__.rows.map((row) => __framework_dom__.isStale(row))")
    assert [i for i, is_stale in enumerate(stale) if is_stale] == [2, 5]  # changed, duplicate
    assert any("hydration patched the restored view of #app" in line for line in app.console)
    # The patched row is the app's row for "Todo 2": its checkbox toggles that todo.
    page.locator(".todo-list li").nth(2).locator("input.toggle").click()
    page.wait_for_function(
        "key => JSON.parse(localStorage.getItem(key))[2].completed === true", arg=STORAGE_KEY
    )


@pytest.fixture(scope="module")
def hand_made(served_app: ServeApp) -> Server:
    return served_app(APPS / "hydration")


RENDERED = (
    "<h1>Hello Ada, 2 clicks</h1>\n"
    '<input class="typed">\n'
    '<select class="choice"><option value="a">A</option><option value="b">B</option></select>\n'
    '<ul class="rows"><li><button class="row">one</button></li><li><button class="row">two</button></li>'
    '<li><button class="row">three</button></li></ul>\n'
    '<button class="count">count</button>\n'
    '<p class="picked">two</p>'
)


def test_prerendered_markup_is_adopted_patched_and_kept_as_typed(
    app: AppPage, hand_made: Server
) -> None:
    page = app.page
    app.console.clear()
    page.goto(hand_made.url, wait_until="domcontentloaded")
    page.fill("input.typed", "Zed")  # before Python is ready
    page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_MS)
    assert app.error is None, app.text("#framework-error")
    # The page's markup has "TWO" for "two" and a fourth row: one patched, one removed.
    assert page.evaluate("[__probe__.added, __probe__.removed]") == [0, 1]
    stale = page.evaluate("__probe__.rows.map((row) => __framework_dom__.isStale(row))")
    assert stale == [False, True, False, True]
    expect(page.locator("input.typed")).to_have_value("Zed")  # typed text stays in its field
    expect(page.locator("select.choice")).to_have_value("b")  # the bound value, not the markup's
    # Listeners moved to the adopted nodes; the greeting's one parsed text node was split at
    # its slots, so the count updates in place.
    page.click("button.count")
    page.click("button.count")
    page.locator("button.row", has_text="two").click()
    expect(page.locator("p.picked")).to_have_text("two")
    expect(page.locator("h1")).to_have_text(re.compile(r"Hello \w+, 2 clicks"))
    # (the name is the typed one once the input replay has given the app what was typed)
    assert page.inner_html("#app").replace("Hello Zed", "Hello Ada") == RENDERED
    assert any('text "TWO" is "two"' in line for line in app.console)
