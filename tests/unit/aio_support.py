"""Shared by the aio/ajax unit tests: a mock server installed as the transport."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from framework.aio import HTTPRequest, HTTPResponse, MockTransport, set_transport
from framework.aio.mock import never_answer, text_response

Route = Callable[[HTTPRequest], HTTPResponse | Awaitable[HTTPResponse]]


class Server:
    """Routes by path (query ignored); unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/hang": never_answer}
        self.transport = MockTransport(self.handle)

    def route(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def handle(self, request: HTTPRequest) -> HTTPResponse | Awaitable[HTTPResponse]:
        path = request.url.split("?")[0]
        route = self.routes.get(path)
        if route is None:
            return text_response(404, f"no route {path}", reason="Not Found")
        return route(request)

    @property
    def requests(self) -> list[HTTPRequest]:
        return self.transport.requests

    @property
    def cancelled(self) -> list[HTTPRequest]:
        return self.transport.cancelled


@contextmanager
def mock_server() -> Iterator[Server]:
    server = Server()
    previous = set_transport(server.transport)
    try:
        yield server
    finally:
        set_transport(previous)


def collect_loop_errors(errors: list[BaseException]) -> None:
    """Send the running loop's unhandled errors to `errors` (call inside a coroutine)."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        error = context.get("exception")
        assert isinstance(error, BaseException), context
        errors.append(error)

    asyncio.get_running_loop().set_exception_handler(handler)
