"""aio.event: the first of several events; listeners removed afterwards and on cancel (A12)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from framework import aio
from framework.aio.testing import run_sync


class FakeElement:
    """Records listeners the way a DOM element holds them."""

    def __init__(self) -> None:
        self.listeners: dict[str, list[Callable[[Any], None]]] = {}

    def addEventListener(self, name: str, listener: Callable[[Any], None]) -> None:
        self.listeners.setdefault(name, []).append(listener)

    def removeEventListener(self, name: str, listener: Callable[[Any], None]) -> None:
        self.listeners[name].remove(listener)

    def dispatch(self, name: str, event: Any) -> None:
        for listener in list(self.listeners.get(name, [])):
            listener(event)

    def count(self) -> int:
        return sum(len(found) for found in self.listeners.values())


def test_event_returns_the_event_and_removes_the_listener() -> None:
    element = FakeElement()

    async def main() -> tuple[Any, int]:
        loop = asyncio.get_running_loop()
        loop.call_later(1, element.dispatch, "blur", {"type": "blur", "value": "42"})
        event = await aio.event(element, "blur")
        return event, element.count()

    assert run_sync(main()) == ({"type": "blur", "value": "42"}, 0)


def test_the_first_of_several_events_wins_and_every_listener_goes() -> None:
    element = FakeElement()

    async def main() -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        loop.call_later(1, element.dispatch, "keydown", "key")
        loop.call_later(2, element.dispatch, "click", "click")
        event = await aio.event(element, "click", "keydown")
        return event, element.count()

    assert run_sync(main()) == ("key", 0)


def test_a12_cancelling_the_wait_removes_the_listeners() -> None:
    element = FakeElement()

    async def main() -> tuple[int, int, bool]:
        task = aio.run(aio.event(element, "click", "input"))
        await aio.sleep(1)
        while_waiting = element.count()
        task.cancel()
        await aio.sleep(0)
        element.dispatch("click", "late")  # nobody listens: nothing happens
        return while_waiting, element.count(), task.cancelled()

    assert run_sync(main()) == (2, 0, True)


def test_events_arriving_together_resolve_once() -> None:
    element = FakeElement()

    async def main() -> str:
        loop = asyncio.get_running_loop()
        loop.call_later(1, lambda: (element.dispatch("a", "first"), element.dispatch("a", "2nd")))
        return await aio.event(element, "a")

    assert run_sync(main()) == "first"


def test_the_binder_is_replaceable_and_its_unbind_always_runs() -> None:
    calls: list[str] = []

    def binder(element: Any, names: tuple[str, ...], listener: Any) -> Callable[[], None]:
        calls.append(f"bind {','.join(names)}")
        asyncio.get_running_loop().call_later(1, listener, "evt")
        return lambda: calls.append("unbind")

    async def main() -> Any:
        return await aio.event(FakeElement(), "x", "y")

    previous = aio.set_event_binder(binder)
    try:
        assert run_sync(main()) == "evt"
    finally:
        aio.set_event_binder(previous)
    assert calls == ["bind x,y", "unbind"]


@pytest.mark.parametrize(
    ("element", "names", "message"),
    [
        (FakeElement(), (), "at least one event name"),
        (FakeElement(), ("",), "non-empty strings"),
        (FakeElement(), (3,), "non-empty strings"),
        ("button", ("click",), "needs a DOM element"),
    ],
)
def test_bad_arguments_are_refused(element: Any, names: tuple[Any, ...], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        run_sync(aio.event(element, *names))
