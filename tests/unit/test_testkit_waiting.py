"""framework.testkit.waiting.until: waits on the virtual clock for a check to pass."""

from __future__ import annotations

import asyncio

import pytest

from framework import Component, MemoryDom, Signal, aio, mount
from framework.testing import UntilTimeout, settle, until


class Countdown(Component):
    """Says "done" after 3 virtual seconds."""

    def setup(self) -> None:
        self.done = Signal(False)
        aio.run(self.wait())

    async def wait(self) -> None:
        await aio.sleep(3.0)
        self.done.value = True

    def render(self):
        return t"<p>{'done' if self.done.value else 'waiting'}</p>"


def text(dom: MemoryDom) -> str:
    return dom.container("#app").text_content


@pytest.fixture
def dom() -> MemoryDom:
    page = MemoryDom()
    mount(Countdown(), "#app", backend=page)
    return page


def test_until_returns_what_the_check_returned_once_truthy(dom: MemoryDom) -> None:
    loop = asyncio.get_event_loop()
    start = loop.time()
    assert until(lambda: "done" in text(dom) and text(dom), dom, timeout=5.0) == "done"
    assert 3.0 <= loop.time() - start < 3.2  # it stopped as soon as the check passed


def test_until_retries_a_failing_assertion(dom: MemoryDom) -> None:
    def says_done() -> None:
        assert text(dom) == "done"

    assert until(says_done, dom, timeout=5.0) is None
    assert text(dom) == "done"


def test_until_raises_the_last_failure_after_its_timeout(dom: MemoryDom) -> None:
    def says_done() -> bool:
        assert text(dom) == "done", f"the page says {text(dom)!r}"
        return True

    with pytest.raises(UntilTimeout) as failure:
        until(says_done, dom, timeout=1.0)
    assert str(failure.value).startswith("until() waited 1.0 virtual seconds; the last check")
    assert "the page says 'waiting'" in str(failure.value)
    assert isinstance(failure.value.__cause__, AssertionError)
    settle(dom, advance=3.0)  # the countdown ends: no task left pending


def test_until_says_when_the_check_only_returned_false(dom: MemoryDom) -> None:
    with pytest.raises(UntilTimeout, match="the check kept returning a false value"):
        until(lambda: False, dom, timeout=0.2)
    settle(dom, advance=3.0)


def test_other_errors_are_not_retried(dom: MemoryDom) -> None:
    def broken() -> bool:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        until(broken, dom)
    settle(dom, advance=3.0)
