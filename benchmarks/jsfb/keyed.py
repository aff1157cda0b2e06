"""Is the list keyed? jsfb's MutationObserver checks (`isKeyed.ts`), as ours.

- create (a second #run) removes every existing row and adds 1,000 new ones;
- swap moves exactly two existing rows and creates none;
- remove deletes the very <tr> node of that row, and only it.
Row 1000 must also have exactly the contract's markup: td, td > a, td > a > span, td.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from benchmarks.jsfb.operations import Driver, cell

OBSERVE = (Path(__file__).parent / "keyed.js").read_text()
ROW_SHAPE = """() => {
  const tr = document.querySelector("tbody>tr:nth-of-type(1000)");
  const tags = [...tr.querySelectorAll("*")].map((e) => e.tagName.toLowerCase());
  const classes = [...tr.children].map((td) => td.className);
  const span = tr.querySelector("td:nth-of-type(3)>a>span");
  return { tags, classes, span: span.className, ariaHidden: span.getAttribute("aria-hidden") };
}"""


def observe(page: Page, selector: str, watch: str | None = None) -> dict[str, Any]:
    page.evaluate("(w) => { globalThis.__keyed_watch__ = w; }", watch)
    result: dict[str, Any] = page.evaluate(OBSERVE, selector)
    return result


def keyed_checks(driver: Driver) -> dict[str, Any]:
    """What create, swap and remove did to the <tr> nodes, and row 1000's markup."""
    driver.run()
    page = driver.page
    shape = page.evaluate(ROW_SHAPE)
    create = observe(page, "#run")
    driver.wait_exists(cell(1000, 1))
    swap = observe(page, "#swaprows")
    remove = observe(page, f"{cell(4, 3)}>a>span", watch="tbody>tr:nth-of-type(4)")
    return {"shape": shape, "create": create, "swap": swap, "remove": remove}


EXPECTED_SHAPE = {
    "tags": ["td", "td", "a", "td", "a", "span", "td"],
    "classes": ["col-md-1", "col-md-4", "col-md-1", "col-md-6"],
    "span": "glyphicon glyphicon-remove",
    "ariaHidden": "true",
}


def problems(checks: dict[str, Any]) -> list[str]:
    """Each way the page fails the keyed contract; empty when it passes."""
    found = []
    if checks["shape"] != EXPECTED_SHAPE:
        found.append(f"row markup {checks['shape']} is not {EXPECTED_SHAPE}")
    create = checks["create"]
    if create["addedNew"] < 1000 or create["removedGone"] < 1000:
        found.append(f"create did not replace every row: {create}")
    swap = checks["swap"]
    if swap["moved"] != 2 or swap["addedNew"] or swap["removedGone"]:
        found.append(f"swap did not move exactly two existing rows: {swap}")
    remove = checks["remove"]
    if not remove["watchedRemoved"] or remove["removedGone"] != 1 or remove["addedNew"]:
        found.append(f"remove did not delete exactly the row's own node: {remove}")
    return found
