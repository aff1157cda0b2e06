"""Every python block of docs/aio.md runs as written, with a mock server and a virtual clock."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from framework import aio
from framework.aio import HTTPRequest, HTTPResponse
from framework.aio.mock import json_response
from framework.aio.testing import run_sync
from tests.unit.aio_support import mock_server

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "aio.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def answer_everything(request: HTTPRequest) -> HTTPResponse:
    return json_response(200, {"method": request.method, "url": request.url})


def run_block(source: str) -> tuple[dict[str, Any], list[BaseException]]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    errors: list[BaseException] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda loop, context: errors.append(context["exception"])
        )
        exec(compile(source, str(GUIDE), "exec"), namespace)
        await aio.sleep(60)

    with mock_server() as server:
        server.route("/api/todos", answer_everything)
        server.route("/api/profile", answer_everything)
        run_sync(main())
    return namespace, errors


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_block_runs(source: str) -> None:
    namespace, errors = run_block(source)
    assert errors == []
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):
            value()  # the testing example is a test: run it


def test_error_handling_example_returns_the_data() -> None:
    block = next(b for b in BLOCKS if "load_profile" in b)
    namespace, _ = run_block(block)
    with mock_server() as server:
        server.route("/api/profile", answer_everything)
        assert run_sync(namespace["load_profile"]())["url"] == "/api/profile"
        assert server.requests[0].method == "GET"
    with mock_server():
        assert run_sync(namespace["load_profile"]()) == "the server refused: 404"


def test_futures_example_result() -> None:
    block = next(b for b in BLOCKS if "fut.then" in b)
    namespace, _ = run_block(block)
    assert run_sync(namespace["main"]()) == ("READY", [0, ""])
