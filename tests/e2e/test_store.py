"""The persistent Store in real Chromium (app: tests/e2e/apps/store, a plain-layout TO-DO list).

Two pages of one browser context are two tabs of one origin: they share localStorage and hear
each other's `storage` events (P12-P18). Quota is exhausted by really filling localStorage (P8,
P22); unavailable storage is simulated by stubbing `window.localStorage` / `Storage.setItem`
before the app boots (P9).

A boot costs about 5 s, so the tests share booted tabs: one context with one tab, another with
two, each reset between tests to a freshly booted app's state (SharedTabs.reset). The tests
about what happens before or at boot (stored data that is corrupt, storage that is unavailable)
boot their own tab in a fresh context.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import (
    APPS,
    BOOT_TIMEOUT_MS,
    SETTLED,
    AppPage,
    ServeApp,
    StaticServe,
    build_app,
)

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


def boot(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
    error = page.get_attribute("html", "data-error")
    assert error is None, page.locator("#framework-error").inner_text()
    return page


# Back to a freshly booted app's storage: every key but the one the app writes at boot ("foo",
# Brython's example) removed, which each tab hears as a removal of its key (defaults again);
# then a marker, heard after those, so each tab has handled them all once it has heard it.
RESET_STORAGE = """() => {
  for (const key of Object.keys(localStorage)) if (key !== 'foo') localStorage.removeItem(key);
  localStorage.setItem('__reset__', '1');
  localStorage.removeItem('__reset__');
}"""
AS_BOOTED = {"count": "0", "error-kind": "none", "dirty": "False", "closed": "False"}


def as_booted(tab: Page) -> bool:
    return all(text(tab, element) == shown for element, shown in AS_BOOTED.items())


TwoTabs = tuple[Page, Page]


@dataclass
class SharedTabs:
    """Tabs of one browser context (one origin's localStorage), booted once for the module,
    and a `control` page of the same origin (not the app) that changes localStorage as
    another tab would."""

    url: str
    tabs: list[Page]
    control: Page

    def reset(self) -> list[Page]:
        """The tabs as if just booted: no todos stored or shown, no error, nothing heard."""
        for tab in self.tabs:
            if tab.get_attribute("html", "data-ready") != "1" or text(tab, "closed") == "True":
                boot(tab, self.url)  # an error or a closed store: only a boot undoes those
            elif not as_booted(tab):
                # The app's own way back to the defaults, out of an error too (a tab does not
                # hear its own writes, so the removals below would leave its list as it is).
                click(tab, "#reset")
        self.control.evaluate(RESET_STORAGE)
        try:
            for tab in self.tabs:
                tab.wait_for_function("() => window.__heard__.includes('__reset__')")
                tab.evaluate("window.__heard__ = []")
                for element, shown in AS_BOOTED.items():
                    expect(tab.locator(f"#{element}")).to_have_text(shown)
                assert stored(tab) is None
        except (AssertionError, PlaywrightTimeout):
            for tab in self.tabs:  # something outlived the reset: boot them all for real
                boot(tab, self.url)
        self.tabs[0].bring_to_front()
        return self.tabs


def share_tabs(browser: Browser, url: str, count: int) -> Iterator[SharedTabs]:
    context = browser.new_context()
    context.add_init_script(RECORD_STORAGE_EVENTS)
    tabs = [boot(context.new_page(), url) for _ in range(count)]
    control = context.new_page()
    control.goto(url + "_framework/boot.css")
    yield SharedTabs(url, tabs, control)
    context.close()


@pytest.fixture(scope="module")
def one_tab(browser: Browser, app_url: str) -> Iterator[SharedTabs]:
    yield from share_tabs(browser, app_url, 1)


@pytest.fixture(scope="module")
def two_tabs(browser: Browser, app_url: str) -> Iterator[SharedTabs]:
    yield from share_tabs(browser, app_url, 2)


@pytest.fixture
def tab(one_tab: SharedTabs) -> Page:
    """The app in a tab, as just booted (shared with the module's other one-tab tests)."""
    return one_tab.reset()[0]


@pytest.fixture
def tabs(two_tabs: SharedTabs) -> TwoTabs:
    """The app in two tabs of one origin, as just booted (shared with the module's tests)."""
    tab_a, tab_b = two_tabs.reset()
    return tab_a, tab_b


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
    """open_tab(init_script=None): a new page (tab) of a fresh context with the app booted,
    for the tests about what the app finds when it boots."""

    def open_page(init_script: str | None = None) -> Page:
        page = context.new_page()
        console = consoles.setdefault(page, [])
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        if init_script:
            page.add_init_script(init_script)
        return boot(page, app_url)

    return open_page


def click(tab: Page, selector: str) -> None:
    """Click in `tab` as a user does: in the tab in front. (Chromium draws a background tab
    about once a second, and Playwright waits for two frames before it clicks.)"""
    tab.bring_to_front()
    tab.click(selector)


def text(page: Page, element: str) -> str:
    return page.locator(f"#{element}").inner_text()


def stored(page: Page, key: str = KEY) -> str | None:
    value: str | None = page.evaluate("(key) => localStorage.getItem(key)", key)
    return value


VIEW_KEY_PREFIX = "framework-view:"


def heard(page: Page) -> list[str]:
    """The keys of the `storage` events the page received, but for the other tab's boot probe
    and the framework's saved view of the page (docs/instant-start.md), which each tab writes."""
    keys: list[str] = page.evaluate("window.__heard__")
    return [key for key in keys if key != PROBE_KEY and not key.startswith(VIEW_KEY_PREFIX)]


def titles(page: Page) -> list[str]:
    raw = stored(page)
    return [] if raw is None else [todo["title"] for todo in json.loads(raw)]


# --- one tab ------------------------------------------------------------------------------------


def test_the_store_persists_a_plain_json_array_across_a_reload(tab: Page) -> None:
    page = tab
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


def test_brython_doc_example_runs_as_written_through_browser_local_storage(tab: Page) -> None:
    page = tab
    expect(page.locator("#brython")).to_have_text("bar")
    assert stored(page, "foo") == "bar"


def test_corrupt_stored_data_is_quarantined_and_the_next_change_is_saved(
    open_tab: Open, context: BrowserContext
) -> None:
    context.add_init_script(f'localStorage.setItem({KEY!r}, \'[{{"id": "1", "tit\');')
    page = open_tab()
    expect(page.locator("#error-kind")).to_have_text("corrupt")
    expect(page.locator("#error-message")).to_contain_text("todos-e2e.quarantine")
    expect(page.locator("#count")).to_have_text("0")
    # Said in the framework's warnings panel, never in PyScript's banner, which looks like a crash.
    expect(page.locator("#framework-warnings")).to_contain_text("todos-e2e.quarantine")
    expect(page.locator(".py-error")).to_have_count(0)
    raw = stored(page)
    assert stored(page, f"{KEY}.quarantine") == raw
    page.click("#add")
    expect(page.locator("#count")).to_have_text("1")
    expect(page.locator("#dirty")).to_have_text("False")
    assert titles(page) == ["item 1"], "the next change is saved: the original has a copy"
    assert stored(page, f"{KEY}.quarantine") == raw


def test_a_full_storage_keeps_the_stored_value_and_flags_the_state(tab: Page) -> None:
    page = tab
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


def test_a_value_bigger_than_the_quota_is_refused_whole(tab: Page) -> None:
    page = tab
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
    expect(page.locator(".py-error")).to_have_count(0)


# --- two tabs -------------------------------------------------------------------------------------


def test_a_change_in_one_tab_shows_in_the_other_without_reload_or_echo(
    tabs: TwoTabs,
) -> None:
    tab_a, tab_b = tabs
    click(tab_a, "#add")
    expect(tab_b.locator("#titles")).to_have_text("item 1")
    click(tab_b, "#add")
    expect(tab_a.locator("#titles")).to_have_text("item 1, item 2")  # the last writer wins
    expect(tab_b.locator("#titles")).to_have_text("item 1, item 2")
    assert titles(tab_a) == ["item 1", "item 2"]
    # Each tab heard exactly the other's one write: nobody wrote back what it received.
    assert heard(tab_a) == [KEY]
    assert heard(tab_b) == [KEY]


def test_clear_in_another_tab_resets_to_defaults(tabs: TwoTabs) -> None:
    tab_a, tab_b = tabs
    click(tab_a, "#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    tab_b.evaluate("() => localStorage.clear()")
    expect(tab_a.locator("#count")).to_have_text("0")
    expect(tab_a.locator("#error-kind")).to_have_text("none")
    assert stored(tab_a) is None, "the defaults are not written back"


def test_removal_in_another_tab_resets_to_defaults(tabs: TwoTabs) -> None:
    tab_a, tab_b = tabs
    click(tab_a, "#add")
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
    tabs: TwoTabs, raw: str, reason: str
) -> None:
    tab_a, tab_b = tabs
    click(tab_a, "#add")
    expect(tab_b.locator("#count")).to_have_text("1")
    renders = text(tab_a, "renders")
    tab_b.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [KEY, raw])
    expect(tab_a.locator("#error-kind")).to_have_text("other_tab")
    expect(tab_a.locator("#error-reason")).to_have_text(reason)
    expect(tab_a.locator("#titles")).to_have_text("item 1")  # the current state is kept
    assert int(text(tab_a, "renders")) == int(renders) + 1, "one render: to show the error"
    assert stored(tab_a, f"{KEY}.quarantine") == raw
    expect(tab_a.locator("#dirty")).to_have_text("True")
    click(tab_a, "#add")  # the other tab's value has a copy: this tab's next change is saved
    expect(tab_a.locator("#dirty")).to_have_text("False")
    assert titles(tab_a) == ["item 1", "item 2"]
    assert stored(tab_a, f"{KEY}.quarantine") == raw


def test_writes_that_change_nothing_or_concern_others_cause_no_render(
    tabs: TwoTabs,
) -> None:
    tab_a, tab_b = tabs
    click(tab_a, "#add")
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
    click(tab_b, "#add")  # a real change afterwards: proves tab A is still listening
    expect(tab_a.locator("#count")).to_have_text("2")
    assert int(text(tab_a, "renders")) == int(renders) + 1
    expect(tab_a.locator("#error-kind")).to_have_text("none")


def test_closing_the_store_releases_the_listener(tabs: TwoTabs) -> None:
    tab_a, tab_b = tabs
    expect(tab_a.locator("#listening")).to_have_text("True")
    click(tab_a, "#close")
    expect(tab_a.locator("#closed")).to_have_text("True")
    expect(tab_a.locator("#listening")).to_have_text("False")
    click(tab_b, "#add")
    tab_b.wait_for_timeout(300)
    expect(tab_a.locator("#count")).to_have_text("0")


# --- an app that uses Store but never imports pydantic (issue 17, item 10) ----------------------

NO_PYDANTIC = APPS / "store_no_pydantic"


def add_two_notes_and_reload(app: AppPage) -> None:
    assert app.error is None, app.text("#framework-error")
    for _ in range(2):
        app.page.click("#add")
    expect(app.page.locator("#notes")).to_have_text("note 1, note 2")
    app.page.reload()
    app.wait_settled()
    assert app.error is None, app.text("#framework-error")
    expect(app.page.locator("#notes")).to_have_text("note 1, note 2")


def test_an_app_using_store_without_importing_pydantic_boots_in_serve(
    served_app: ServeApp, app_page: AppPage
) -> None:
    app_page.open(served_app(NO_PYDANTIC).url)
    add_two_notes_and_reload(app_page)


def test_an_app_using_store_without_importing_pydantic_boots_when_built(
    tmp_path: Path, static_server: StaticServe, app_page: AppPage
) -> None:
    build_app(NO_PYDANTIC, tmp_path / "dist")
    app_page.open(static_server(tmp_path / "dist").url)
    add_two_notes_and_reload(app_page)


# --- a model change: the stored list quarantined, the user's next work kept (issue 24, item 2) ---

QUARANTINE_APP = APPS / "store_quarantine"
BOOKS = "books-e2e"
BOOKS_COPY = f"{BOOKS}.quarantine"


def reload_app(app: AppPage) -> None:
    app.page.reload()
    app.wait_settled()
    assert app.error is None, app.text("#framework-error")


def quarantine_notices(app: AppPage) -> tuple[int, int]:
    """How often the quarantine was shown: (warnings panel blocks, console warnings)."""
    panel = app.page.locator("#framework-warnings pre", has_text=BOOKS_COPY).count()
    console = sum(BOOKS_COPY in line for line in app.console if line.startswith("warning"))
    return panel, console


@pytest.mark.parametrize("where", ["serve", "build"])
def test_a_model_change_quarantines_the_list_and_the_next_addition_survives_a_reload(
    served_app: ServeApp,
    tmp_path: Path,
    static_server: StaticServe,
    app_page: AppPage,
    where: str,
) -> None:
    if where == "serve":
        url = served_app(QUARANTINE_APP).url
    else:
        build_app(QUARANTINE_APP, tmp_path / "dist")
        url = static_server(tmp_path / "dist").url
    app, page = app_page, app_page.page
    app.open(url)
    for _ in range(2):
        page.click("#add")
    expect(page.locator("#titles")).to_have_text("book 1, book 2")
    old_list = stored(page, BOOKS)

    page.evaluate("() => localStorage.setItem('model', 'rated')")  # the new release: rating
    reload_app(app)
    expect(page.locator("#model")).to_have_text("rated")
    expect(page.locator("#error-kind")).to_have_text("invalid")
    expect(page.locator("#titles")).to_have_text("")
    expect(page.locator("#banner")).to_contain_text(BOOKS_COPY)
    assert stored(page, BOOKS_COPY) == old_list
    # Said once, with the fix: in dev in the warnings panel (and the console), in a build in
    # the console only; never as an error.
    if where == "serve":
        expect(page.locator("#framework-warnings")).to_contain_text("add a migration")
        assert quarantine_notices(app) == (1, 1)
    else:
        assert quarantine_notices(app) == (0, 1)
    expect(page.locator("#framework-error")).to_have_count(0)
    expect(page.locator(".py-error")).to_have_count(0)

    page.click("#add")
    expect(page.locator("#titles")).to_have_text("book 1")
    reload_app(app)
    expect(page.locator("#titles")).to_have_text("book 1")  # added after the quarantine: kept
    expect(page.locator("#error-kind")).to_have_text("none")
    expect(page.locator("#banner")).to_contain_text(BOOKS_COPY)  # until the app discards it
    assert stored(page, BOOKS_COPY) == old_list
    # The console kept every load's lines: still one in all, the stored list is valid now.
    assert quarantine_notices(app) == (0, 1), app.console
