"""`MockTransport`: answer requests with a Python function, no network (as httpx's does).

    def handler(request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(200, "OK", {"Content-Type": "text/plain"}, b"hello")

    aio.set_transport(MockTransport(handler))

The handler may be async (to hang, sleep or fail); the transport records every request it
saw and every request whose `send` was cancelled, as a server would see a disconnect.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

from framework.aio.transport import HTTPRequest, HTTPResponse

Handler = Callable[[HTTPRequest], HTTPResponse | Awaitable[HTTPResponse]]


class MockTransport:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[HTTPRequest] = []
        self.cancelled: list[HTTPRequest] = []

    async def send(self, request: HTTPRequest) -> HTTPResponse:
        self.requests.append(request)
        try:
            response = self.handler(request)
            if inspect.isawaitable(response):
                response = await response
        except asyncio.CancelledError:
            self.cancelled.append(request)
            raise
        return response


def text_response(
    status: int, text: str = "", headers: dict[str, str] | None = None, reason: str = ""
) -> HTTPResponse:
    all_headers = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
    return HTTPResponse(status, reason, all_headers, text.encode())


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> HTTPResponse:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return HTTPResponse(status, "", all_headers, json.dumps(value).encode())


async def never_answer(request: HTTPRequest) -> HTTPResponse:
    """A handler for a server that accepts the request and never answers."""
    await asyncio.get_running_loop().create_future()
    raise AssertionError("unreachable")
