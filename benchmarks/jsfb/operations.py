"""The nine jsfb operations: warm-up, measured click, and the check that it finished.

Warm-ups, counts and CPU throttling follow jsfb's runner code, not its README
(shared/reference/jsfb-contract.md, table 1.1). Selectors are the contract's CSS selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

WAIT_MS = 120_000


def cell(row: int, column: int) -> str:
    return f"tbody>tr:nth-of-type({row})>td:nth-of-type({column})"


def row_selector(row: int) -> str:
    return f"tbody>tr:nth-of-type({row})"


class Driver:
    """Clicks and waits on one benchmark page, as jsfb's checks do."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def click(self, selector: str) -> None:
        self.page.click(selector, timeout=WAIT_MS)

    def wait(self, condition: str, arg: object = None) -> None:
        self.page.wait_for_function(condition, arg=arg, timeout=WAIT_MS, polling=10)

    def wait_text(self, selector: str, text: str) -> None:
        condition = "([s, t]) => document.querySelector(s)?.textContent === t"
        self.wait(condition, [selector, text])

    def wait_contains(self, selector: str, text: str) -> None:
        condition = "([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t)"
        self.wait(condition, [selector, text])

    def wait_gone(self, selector: str) -> None:
        self.wait("(s) => !document.querySelector(s)", selector)

    def wait_exists(self, selector: str) -> None:
        self.wait("(s) => !!document.querySelector(s)", selector)

    def first_id(self) -> int:
        return int(self.page.text_content(cell(1, 1), timeout=WAIT_MS) or 0)

    def run(self) -> None:
        self.click("#run")
        self.wait_exists(cell(1000, 1))

    def clear(self) -> None:
        self.click("#clear")
        self.wait_gone(row_selector(1000))

    def run_and_clear(self, times: int) -> None:
        for _ in range(times):
            self.run()
            self.clear()


JSFB_ITERATIONS = 15  # NUM_ITERATIONS_FOR_BENCHMARK_CPU


@dataclass(frozen=True)
class Operation:
    id: str
    label: str
    throttle: int  # CPU slow-down factor during the measured click (1 = none)
    warm_up: Callable[[Driver], None]
    act: Callable[[Driver], None]  # the measured click and the check that it is done
    # Runs on top of jsfb's 15: it gives select 10 more (`additionalNumberOfRuns`), its few
    # milliseconds being the noisiest median of all.
    extra_runs: int = 0

    def runs(self, iterations: int) -> int:
        """How many times to time it when the run asks for `iterations` (jsfb's own count is
        JSFB_ITERATIONS): the extra runs in proportion."""
        return iterations + round(self.extra_runs * iterations / JSFB_ITERATIONS)


def _act_create(d: Driver) -> None:
    d.click("#run")
    d.wait_exists(cell(1000, 1))


def _warm_replace(d: Driver) -> None:
    for _ in range(5):
        d.run()


def _act_replace(d: Driver) -> None:
    before = d.first_id()
    d.click("#run")
    d.wait_text(cell(1, 1), str(before + 1000))


def _warm_update(d: Driver) -> None:
    d.run()
    for times in range(1, 4):
        d.click("#update")
        d.wait_contains(f"{cell(991, 2)}>a", " !!!" * times)


def _act_update(d: Driver) -> None:
    d.click("#update")
    d.wait_contains(f"{cell(991, 2)}>a", " !!!" * 4)


def _warm_select(d: Driver) -> None:
    d.run()
    d.click(f"{cell(5, 2)}>a")
    d.wait(
        "() => document.querySelector('tbody>tr:nth-of-type(5)').className === 'danger'"
        " && document.querySelectorAll('tr.danger').length === 1"
    )


def _act_select(d: Driver) -> None:
    d.click(f"{cell(2, 2)}>a")
    d.wait("() => document.querySelector('tbody>tr:nth-of-type(2)').className === 'danger'")


def _row_id(d: Driver, row: int) -> str:
    return d.page.text_content(cell(row, 1), timeout=WAIT_MS) or ""


def _swap_once(d: Driver) -> None:
    second, last = _row_id(d, 2), _row_id(d, 999)
    d.click("#swaprows")
    d.wait_text(cell(999, 1), second)
    d.wait_text(cell(2, 1), last)


def _warm_swap(d: Driver) -> None:
    d.run()
    for _ in range(6):
        _swap_once(d)


def _remove(d: Driver, row: int) -> None:
    expected = _row_id(d, row + 1)
    d.click(f"{cell(row, 3)}>a>span")
    d.wait_text(cell(row, 1), expected)


def _warm_remove(d: Driver) -> None:
    d.run()
    for row in (9, 8, 7, 6, 5, 6):
        _remove(d, row)


def _warm_runs(d: Driver) -> None:
    d.run_and_clear(5)


def _act_create_many(d: Driver) -> None:
    d.click("#runlots")
    d.wait_exists(row_selector(10_000))


def _warm_append(d: Driver) -> None:
    d.run_and_clear(5)
    d.run()


def _act_append(d: Driver) -> None:
    d.click("#add")
    d.wait_exists(row_selector(2000))


def _act_clear(d: Driver) -> None:
    d.click("#clear")
    d.wait_gone(row_selector(1000))


OPERATIONS: tuple[Operation, ...] = (
    Operation("01_run1k", "create rows", 1, _warm_runs, _act_create),
    Operation("02_replace1k", "replace all rows", 1, _warm_replace, _act_replace),
    Operation("03_update10th1k_x16", "partial update", 4, _warm_update, _act_update),
    Operation("04_select1k", "select row", 4, _warm_select, _act_select, extra_runs=10),
    Operation("05_swap1k", "swap rows", 4, _warm_swap, _swap_once),
    Operation("06_remove-one-1k", "remove row", 2, _warm_remove, lambda d: _remove(d, 4)),
    Operation("07_create10k", "create many rows", 1, _warm_runs, _act_create_many),
    Operation("08_create1k-after1k_x2", "append rows to large table", 1, _warm_append, _act_append),
    Operation("09_clear1k_x8", "clear rows", 4, _warm_append, _act_clear),
)
