"""Input before ready, in real Chromium against `framework serve`: what the user does on the
prerendered UI while Python starts is replayed once, in order, through the app's own handlers
(framework/browser/replay.js), and the page says it is busy without looking like a loader.

The window before ready is made as long as a test needs: the app archive (`app.zip`, which
Python fetches before running the app) is held back until the test has done its input. The
replay app (tests/e2e/apps/replay) boots once for most tests: `replayed` does all of its input
in one pre-ready window, and each test reads one consequence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import APPS, SETTLED, AppPage, ServeApp
from tests.e2e.todo_pages import TODO_APP, Todos

pytestmark = pytest.mark.e2e

APP_ARCHIVE = "**/_framework/app.zip"
BOOT_MS = 60_000
REPLAY_APP = APPS / "replay"
STARTING = "#framework-starting"


@dataclass
class HeldBoot:
    """A page whose app archive waits until `release()`: Python cannot run the app before."""

    page: Page
    held: list[Route] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.route(APP_ARCHIVE, self.hold)
        self.page.goto(url)
        self.page.wait_for_selector("[data-framework-view]", state="attached")
        self.page.wait_for_function("() => window.__framework__ !== undefined")  # boot.js ran

    def hold(self, route: Route) -> None:
        self.held.append(route)

    def release(self) -> None:
        expect(self.page.locator("html")).not_to_have_attribute("data-ready", "1")
        deadline = time.monotonic() + BOOT_MS / 1000
        while not self.held and time.monotonic() < deadline:  # Python has not asked for it yet
            self.page.wait_for_timeout(50)
        for route in self.held:
            route.continue_()
        self.page.unroute(APP_ARCHIVE)
        self.page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_MS)


@dataclass
class Replayed:
    """The replay app after its pre-ready input, and what the page showed meanwhile."""

    app: AppPage
    before: dict[str, object]

    @property
    def page(self) -> Page:
        return self.app.page


@pytest.fixture(scope="module")
def replayed(served_app: ServeApp, module_page: AppPage) -> Replayed:
    page = module_page.page
    boot = HeldBoot(page)
    boot.open(served_app(REPLAY_APP).url)
    before: dict[str, object] = {
        "busy": page.get_attribute("#app", "aria-busy"),
        "loader shown": page.locator("#framework-loading").is_visible(),
    }
    page.wait_for_timeout(1_300)  # the user has done nothing yet
    before["note before input"] = page.locator(STARTING).is_visible()

    page.click(".count")
    expect(page.locator(STARTING)).to_have_text("Starting…", timeout=3_000)
    before["note after a wait"] = page.locator(STARTING).is_visible()
    page.locator("label:has(.done)").click()
    page.select_option(".size", "l")
    page.click(".note-text")
    page.keyboard.type("hi")
    page.click(".send")
    page.click(".quick-text")
    page.keyboard.type("q")
    page.keyboard.press("Enter")
    for row in ("stale", "gone", "kept"):  # the first two are not what the app renders there
        page.locator(".items li", has_text=row).locator(".pick").click()
    page.dblclick(".twice")
    page.click(".entry")
    page.keyboard.type("Buy milk")
    page.keyboard.press("Enter")
    page.keyboard.type("eggs")
    before["entry"] = page.input_value(".entry")
    before["log"] = page.inner_text(".log")
    boot.release()
    assert module_page.error is None, module_page.text("#framework-error")
    return Replayed(module_page, before)


def test_before_ready_the_page_looks_like_the_app_and_is_marked_busy(replayed: Replayed) -> None:
    assert replayed.before["busy"] == "true"
    assert replayed.before["loader shown"] is False
    assert replayed.before["log"] == ""  # nothing ran before ready: the input waited
    assert replayed.before["entry"] == "Buy milkeggs"  # typed text showed in its field


def test_the_starting_note_shows_only_after_the_user_waited_on_a_control(
    replayed: Replayed,
) -> None:
    assert replayed.before["note before input"] is False
    assert replayed.before["note after a wait"] is True
    expect(replayed.page.locator(STARTING)).to_have_count(0)  # gone once ready
    assert replayed.page.get_attribute("#app", "aria-busy") is None


def test_input_before_ready_reaches_the_app_once_in_order(replayed: Replayed) -> None:
    # One submit per form (a click on a submit button submits once), one toggle of the
    # checkbox, the select's value as chosen, and no pick of a row that is not the one clicked.
    expect(replayed.page.locator(".log")).to_have_text(
        "count | done:True | size:l | submit:hi | quick:q | pick:kept | dblclick | add:Buy milk"
    )
    assert replayed.page.is_checked(".done")
    assert replayed.page.input_value(".size") == "l"


def test_text_typed_after_enter_before_ready_is_what_stays_in_the_field(
    replayed: Replayed,
) -> None:
    page = replayed.page
    expect(page.locator(".items li span")).to_have_text(["kept", "fresh", "Buy milk"])
    expect(page.locator(".entry")).to_have_value("eggs")
    expect(page.locator(".entry")).to_be_focused()
    assert page.evaluate("document.querySelector('.entry').selectionStart") == len("eggs")
    # The app's state is the field's: Enter now adds what the field shows.
    page.keyboard.press("Enter")
    expect(page.locator(".items li span")).to_have_text(["kept", "fresh", "Buy milk", "eggs"])


def test_input_after_ready_goes_straight_to_the_app(replayed: Replayed) -> None:
    page = replayed.page
    log = page.inner_text(".log")
    page.click(".count")
    expect(page.locator(".log")).to_have_text(f"{log} | count")


# -- degrading ---------------------------------------------------------------------------------

# An error inside the shim: its global name cannot be set, nor read by boot.js.
BROKEN_SHIM = """
Object.defineProperty(window, "__framework_replay__", {
  get() { throw new Error("broken on purpose"); },
  set() { throw new Error("broken on purpose"); },
});
"""


def test_an_error_in_the_shim_leaves_a_page_that_boots_as_without_it(
    served_app: ServeApp, app_page: AppPage
) -> None:
    page = app_page.page
    page.add_init_script(BROKEN_SHIM)
    boot = HeldBoot(page)
    boot.open(served_app(REPLAY_APP).url)
    page.click(".entry")
    page.keyboard.type("typed")
    page.click(".count")
    boot.release()
    assert app_page.ready and app_page.error is None, app_page.diagnostics()
    assert any("replay.js is off" in line for line in app_page.console)
    expect(page.locator(".entry")).to_have_value("typed")  # what the user typed stays
    expect(page.locator(".log")).to_have_text("")  # nothing was replayed
    page.click(".count")
    expect(page.locator(".log")).to_have_text("count")


# -- the TO-DO app ---------------------------------------------------------------------------------


def test_a_todo_typed_and_entered_while_the_page_starts_appears_once_and_is_stored(
    served_app: ServeApp, app_page: AppPage
) -> None:
    boot = HeldBoot(app_page.page)
    boot.open(served_app(TODO_APP).url)  # prerendered: the new-todo input is there at once
    todos = Todos(app_page.page)
    todos.new_todo.click()
    todos.page.keyboard.type("Buy milk")
    todos.page.keyboard.press("Enter")
    todos.page.keyboard.type("eggs")
    boot.release()
    assert app_page.error is None, app_page.text("#framework-error")
    expect(todos.items).to_have_count(1)
    expect(todos.items.locator("label")).to_have_text(["Buy milk"])
    todos.expect_stored(("Buy milk", False))
    expect(todos.new_todo).to_have_value("eggs")
    expect(todos.new_todo).to_be_focused()
