"""framework.testing.settle: tasks components start run in tests, on the virtual clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from framework import Component, MemoryDom, Signal, aio, mount
from framework.aio import HTTPRequest, HTTPResponse, MockTransport
from framework.aio.mock import json_response, never_answer
from framework.testing import (
    NotSettled,
    finish_test_loop,
    pending_tasks,
    pending_warning,
    settle,
    start_test_loop,
)

BOOKS = [{"title": "Dune"}, {"title": "Emma"}]


class Books(Component):
    """Loads its rows in setup(), as an app would: loading, then the rows or the error."""

    def setup(self) -> None:
        self.books: Signal[list[dict[str, str]] | None] = Signal(None)
        self.error = Signal("")
        aio.run(self.load())

    async def load(self) -> None:
        try:
            request = await aio.get("/api/books", format="json", raise_for_status=True)
        except aio.HTTPError as error:
            self.error.value = f"failed: {error.status}"
            return
        self.books.value = request.data

    def render(self):
        if self.error.value:
            return t"<p>{self.error.value}</p>"
        if self.books.value is None:
            return t"<p>loading</p>"
        return t"<ul>{[t'<li>{book["title"]}</li>' for book in self.books.value]}</ul>"


def texts(dom: MemoryDom, tag: str) -> list[str]:
    return [element.text_content for element in dom.container("#app").find(tag)]


@pytest.fixture
def server() -> Iterator[list[HTTPRequest]]:
    """A mock API: /api/books answers the list, after 2 virtual seconds for /slow."""
    seen: list[HTTPRequest] = []

    async def handle(request: HTTPRequest) -> HTTPResponse:
        seen.append(request)
        if request.url.endswith("/slow"):
            await asyncio.sleep(2)
        return json_response(200, BOOKS)

    previous = aio.set_transport(MockTransport(handle))
    yield seen
    aio.set_transport(previous)


def test_a_component_loading_in_setup_renders_its_rows_after_settle(
    server: list[HTTPRequest],
) -> None:
    dom = MemoryDom()
    mount(Books(), "#app", backend=dom)
    assert texts(dom, "p") == ["loading"]  # the task has not run yet
    settle(dom)
    assert texts(dom, "li") == ["Dune", "Emma"]
    assert [request.url for request in server] == ["/api/books"]
    assert pending_tasks() == []


def test_settle_runs_the_timers_due_within_advance_and_moves_the_clock() -> None:
    fired: list[float] = []
    loop = asyncio.get_running_loop()
    for delay in (1, 2, 5):
        loop.call_later(delay, lambda: fired.append(loop.time()))
    settle()
    assert fired == []  # without advance the clock stays where it is
    settle(advance=2.5)
    assert (fired, loop.time()) == ([1, 2], 2.5)
    settle(advance=10)
    assert (fired, loop.time()) == ([1, 2, 5], 12.5)


def test_a_slow_answer_shows_loading_until_the_clock_gets_there() -> None:
    async def slow(request: HTTPRequest) -> HTTPResponse:
        await asyncio.sleep(2)
        return json_response(200, BOOKS)

    previous = aio.set_transport(MockTransport(slow))
    try:
        dom = MemoryDom()
        mount(Books(), "#app", backend=dom)
        settle(dom, advance=1)
        assert texts(dom, "p") == ["loading"]
        settle(dom, advance=1)
        assert texts(dom, "li") == ["Dune", "Emma"]
    finally:
        aio.set_transport(previous)


def test_settle_accepts_what_mount_returned() -> None:
    previous = aio.set_transport(MockTransport(lambda request: json_response(500, {})))
    try:
        app = mount(Books(), "#app", backend=MemoryDom())
        settle(app)
        assert isinstance(app.backend, MemoryDom)
        assert texts(app.backend, "p") == ["failed: 500"]
    finally:
        aio.set_transport(previous)


def test_settle_raises_what_a_task_did_not_handle() -> None:
    async def broken() -> None:
        await asyncio.sleep(0)
        raise ValueError("lost in a task")

    aio.run(broken())
    with pytest.raises(ValueError, match="lost in a task") as raised:
        settle()
    assert any("broken()" in note for note in raised.value.__notes__)


def test_settle_names_what_never_stops() -> None:
    async def spin() -> None:
        while True:
            await asyncio.sleep(0)

    task = aio.run(spin())
    with pytest.raises(NotSettled, match=r"(?s)loop iterations.*spin\(\) waiting at .*test_"):
        settle()
    assert [task.split(" ")[0] for task in pending_tasks()] == [
        "test_settle_names_what_never_stops.<locals>.spin()"
    ]
    task.cancel()
    settle()


def test_the_end_of_a_test_cancels_its_pending_tasks_and_names_them() -> None:
    transport = MockTransport(never_answer)
    previous = aio.set_transport(transport)
    try:
        mount(Books(), "#app", backend=MemoryDom())
        settle(advance=1)
        (pending,) = pending_tasks()
        ended = finish_test_loop()  # what the test runner calls when a test ends
        start_test_loop()  # the rest of this test runs on a fresh loop, as the runner expects
    finally:
        aio.set_transport(previous)
    assert ended == [pending]
    assert pending.startswith("Books.load() waiting at ")
    assert "mock.py:" in pending  # the innermost await: the server that never answers
    assert [request.url for request in transport.cancelled] == ["/api/books"]
    assert "Books.load() waiting at" in str(pending_warning(ended))


def test_settle_refuses_a_negative_advance() -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        settle(advance=-1)


def test_settle_inside_a_coroutine_says_what_to_await_instead() -> None:
    from framework.aio.testing import run_sync

    async def main() -> None:
        settle()

    with pytest.raises(RuntimeError, match=r"await aio.sleep\(0\)"):
        run_sync(main())
