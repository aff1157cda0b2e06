"""A mock users API for the tests of data loading (resource(), Suspense)."""

from __future__ import annotations

import asyncio

from framework.aio import HTTPRequest, HTTPResponse, MockTransport
from framework.aio.mock import json_response


class Api:
    """A mock server: /api/users/<id> answers `user <id>` after delays[id] virtual seconds;
    ids in `missing` answer 404."""

    def __init__(self) -> None:
        self.delays: dict[str, float] = {}
        self.missing: set[str] = set()
        self.transport = MockTransport(self.answer)

    async def answer(self, request: HTTPRequest) -> HTTPResponse:
        user = request.url.rsplit("/", 1)[1]
        await asyncio.sleep(self.delays.get(user, 0))
        if user in self.missing:
            return json_response(404, {"detail": "no such user"})
        return json_response(200, {"name": f"user {user}"})

    @property
    def asked(self) -> list[str]:
        return [request.url for request in self.transport.requests]

    @property
    def aborted(self) -> list[str]:
        return [request.url for request in self.transport.cancelled]
