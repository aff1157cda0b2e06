"""The persistent Store in real Chromium (app: tests/e2e/apps/store, a plain-layout TO-DO list).

Two pages of one browser context are two tabs of one origin: they share localStorage and hear
each other's `storage` events (P12-P18). Quota is exhausted by really filling localStorage (P8,
P22); unavailable storage is simulated by stubbing `window.localStorage` / `Storage.setItem`
before the app boots (P9). Each test has a fresh context, so a fresh, empty localStorage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import APPS, BOOT_TIMEOUT_MS, SETTLED, ServeApp

pytestmark = pytest.mark.e2e

KEY = "todos-e2e"
PROBE_KEY = "__framework_storage_probe__"  # written and removed once per tab at first use

# Every `storage` event a page hears, recorded before the app boots: to prove there is no echo.
RECORD_STORAGE_EVENTS = """
window.__heard__ = [];
window.addEventListener('storage', (event) => window.__heard__.push(event.key));
"""
BLOCK_LOCAL_STORAGE = """
Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
});
"""
ZERO_QUOTA = """
Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};
"""
FILL_LOCAL_STORAGE = """() => {
  let failure = '';
  for (const [size, prefix] of [[1 << 20, 'fill-mb-'], [1 << 10, 'fill-kb-'], [16, 'fill-b-']]) {
    const chunk = 'f'.repeat(size);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(prefix + i, chunk); } catch (error) { failure = error.name; break; }
    }
  }
  return failure;
}"""


@pytest.fixture(scope="module")
def app_url(served_app: ServeApp) -> str:
    return served_app(APPS / "store").url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.add_init_script(RECORD_STORAGE_EVENTS)
    yield context
    context.close()


Open = Callable[..., Page]


@pytest.fixture
def consoles() -> dict[Page, list[str]]:
    """The console lines of each page a test opened."""
    return {}


@pytest.fixture
def open_tab(context: BrowserContext, app_url: str, consoles: dict[Page, list[str]]) -> Open:
    """open_tab(init_script=None): a new page (tab) of the context with the app booted."""

    def open_page(init_script: str | None = None) -> Page:
        page = context.new_page()
        console = consoles.setdefault(page, [])
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        if init_script:
            page.add_init_script(init_script)
        page.goto(app_url)
        page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
        error = page.get_attribute("html", "data-error")
        assert error is None, page.locator("#framework-error").inner_text()
        return page

    return open_page


def text(page: Page, element: str) -> str:
    return page.locator(f"#{element}").inner_text()


def stored(page: Page, key: str = KEY) -> str | None:
    value: str | None = page.evaluate("(key) => localStorage.getItem(key)", key)
    return value


def heard(page: Page) -> list[str]:
    """The keys of the `storage` events the page received, but for the other tab's boot probe."""
    keys: list[str] = page.evaluate("window.__heard__")
    return [key for key in keys if key != PROBE_KEY]


def titles(page: Page) -> list[str]:
    raw = stored(page)
    return [] if raw is None else [todo["title"] for todo in json.loads(raw)]


# --- one tab ------------------------------------------------------------------------------------


def test_the_store_persists_a_plain_json_array_across_a_reload(open_tab: Open) -> None:
    page = open_tab()
    expect(page.locator("#persistent")).to_have_text("True")
    page.click("#add")
    page.click("#add")
    expect(page.locator("#count")).to_have_text("2")
    assert titles(page) == ["item 1", "item 2"]
    assert json.loads(stored(page) or "")[0] == {"id": "1", "title": "item 1", "completed": False}
    page.reload()
    page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#titles")).to_have_text("item 1, item 2")
    expect(page.locator("#error-kind")).to_have_text("none")


def test_brython_doc_example_runs_as_written_through_browser_local_storage(open_tab: Open) -> None:
    page = open_tab()
    expect(page.locator("#brython")).to_have_text("bar")
    assert stored(page, "foo") == "bar"


def test_corrupt_stored_data_is_quarantined_and_kept_until_reset(
    open_tab: Open, context: BrowserContext
) -> None:
    context.add_init_script(f'localStorage.setItem({KEY!r}, \'[{{"id": "1", "tit\');')
    page = open_tab()
    expect(page.locator("#error-kind")).to_have_text("corrupt")
    expect(page.locator("#error-message")).to_contain_text("todos-e2e.quarantine")
    expect(page.locator("#count")).to_have_text("0")
    raw = stored(page)
    assert stored(page, f"{KEY}.quarantine") == raw
    page.click("#add")
    expect(page.locator("#dirty")).to_have_text("True")
    assert stored(page) == raw, "not overwritten by the next change"
    page.click("#reset")
    expect(page.locator("#error-kind")).to_have_text("none")
    expect(page.locator("#dirty")).to_have_text("False")
    assert stored(page) == "[]"
    assert stored(page, f"{KEY}.quarantine") == raw


def test_a_full_storage_keeps_the_stored_value_and_flags_the_state(open_tab: Open) -> None:
    page = open_tab()
    page.click("#add")
    expect(page.locator("#count")).to_have_text("1")
    before = stored(page)
    assert page.evaluate(FILL_LOCAL_STORAGE) == "QuotaExceededError"
    page.click("#add")
    expect(page.locator("#error-kind")).to_have_text("full")
    expect(page.locator("#dirty")).to_have_text("True")
    expect(page.locator("#count")).to_have_text("2")  # kept in memory, flagged, not diverged
    assert stored(page) == before, "the stored value is intact"

    page.evaluate("() => localStorage.removeItem('fill-mb-0')")  # the user frees space
    page.click("#save")
    expect(page.locator("#error-kind")).to_have_text("none")
    expect(page.locator("#dirty")).to_have_text("False")
    assert titles(page) == ["item 1", "item 2"]


def test_a_value_bigger_than_the_quota_is_refused_whole(open_tab: Open) -> None:
    page = open_tab()
    page.click("#add")
    expect(page.locator("#count")).to_have_text("1")
    before = stored(page)
    page.click("#add-huge")
    expect(page.locator("#error-kind")).to_have_text("full", timeout=20_000)
    expect(page.locator("#error-message")).to_contain_text("storage is full")
    assert stored(page) == before


@pytest.mark.parametrize(
    "stub",
    [pytest.param(BLOCK_LOCAL_STORAGE, id="getter-throws"), pytest.param(ZERO_QUOTA, id="quota-0")],
)
def test_unavailable_storage_falls_back_to_memory_with_one_warning(
    open_tab: Open, consoles: dict[Page, list[str]], stub: str
) -> None:
    page = open_tab(stub)
    expect(page.locator("#persistent")).to_have_text("False")
    expect(page.locator("#error-kind")).to_have_text("unavailable")
    page.click("#add")
    expect(page.locator("#count")).to_have_text("1")  # the app keeps working
    expect(page.locator("#dirty")).to_have_text("False")
    warnings = [line for line in consoles[page] if "cannot be used" in line]
    assert len(warnings) == 1, consoles[page]
    assert "localStorage" in warnings[0]


# --- two tabs -------------------------------------------------------------------------------------


def test_a_change_in_one_tab_shows_in_the_other_without_reload_or_echo(open_tab: Open) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    tab_a.click("#add")
    expect(tab_b.locator("#titles")).to_have_text("item 1")
    tab_b.click("#add")
    expect(tab_a.locator("#titles")).to_have_text("item 1, item 2")  # the last writer wins
    expect(tab_b.locator("#titles")).to_have_text("item 1, item 2")
    assert titles(tab_a) == ["item 1", "item 2"]
    # Each tab heard exactly the other's one write: nobody wrote back what it received.
    assert heard(tab_a) == [KEY]
    assert heard(tab_b) == [KEY]


def test_clear_in_another_tab_resets_to_defaults(open_tab: Open) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    tab_a.click("#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    tab_b.evaluate("() => localStorage.clear()")
    expect(tab_a.locator("#count")).to_have_text("0")
    expect(tab_a.locator("#error-kind")).to_have_text("none")
    assert stored(tab_a) is None, "the defaults are not written back"


def test_removal_in_another_tab_resets_to_defaults(open_tab: Open) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    tab_a.click("#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    tab_b.evaluate(f"() => localStorage.removeItem({KEY!r})")
    expect(tab_a.locator("#count")).to_have_text("0")
    expect(tab_a.locator("#error-kind")).to_have_text("none")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param('[{"id": "9", "tit', "corrupt", id="corrupt"),
        pytest.param('[{"id": "9"}]', "invalid", id="invalid"),
    ],
)
def test_an_unusable_value_from_another_tab_is_refused(
    open_tab: Open, raw: str, reason: str
) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    tab_a.click("#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    renders = text(tab_a, "renders")
    tab_b.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [KEY, raw])
    expect(tab_a.locator("#error-kind")).to_have_text("other_tab")
    expect(tab_a.locator("#error-reason")).to_have_text(reason)
    expect(tab_a.locator("#titles")).to_have_text("item 1")  # the current state is kept
    assert int(text(tab_a, "renders")) == int(renders) + 1, "one render: to show the error"
    assert stored(tab_a, f"{KEY}.quarantine") == raw
    tab_a.click("#add")
    expect(tab_a.locator("#dirty")).to_have_text("True")
    assert stored(tab_a) == raw, "the other tab's value is not overwritten implicitly"


def test_writes_that_change_nothing_or_concern_others_cause_no_render(open_tab: Open) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    tab_a.click("#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    renders = text(tab_a, "renders")
    tab_b.evaluate(
        """([key, same]) => {
          localStorage.setItem(key, same);          // the same value: no event at all
          localStorage.removeItem('never-there');   // removing a missing key: no event
          localStorage.setItem('unrelated', 'x');   // another key: an event we ignore
          sessionStorage.setItem(key, '[]');        // another area: not shared between tabs
        }""",
        [KEY, stored(tab_b)],
    )
    # A forged event for our key but from sessionStorage must be filtered by storage area.
    tab_a.evaluate(
        """(key) => window.dispatchEvent(new StorageEvent('storage', {
             key, oldValue: null, newValue: 'garbage', storageArea: sessionStorage }))""",
        KEY,
    )
    tab_b.click("#add")  # a real change afterwards: proves tab A is still listening
    expect(tab_a.locator("#count")).to_have_text("2")
    assert int(text(tab_a, "renders")) == int(renders) + 1
    expect(tab_a.locator("#error-kind")).to_have_text("none")


def test_closing_the_store_releases_the_listener(open_tab: Open) -> None:
    tab_a, tab_b = open_tab(), open_tab()
    expect(tab_a.locator("#listening")).to_have_text("True")
    tab_a.click("#close")
    expect(tab_a.locator("#closed")).to_have_text("True")
    expect(tab_a.locator("#listening")).to_have_text("False")
    tab_b.click("#add")
    tab_b.wait_for_timeout(300)
    expect(tab_a.locator("#count")).to_have_text("0")
