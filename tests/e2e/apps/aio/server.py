"""Endpoints for the aio/ajax end-to-end tests, served by `framework serve` under /api.

/hang never answers and records when the client goes away, so a test can ask the server
whether a cancelled or timed-out request was really aborted on the network.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

hangs: dict[str, dict[str, bool]] = {}
attempts: dict[str, list[float]] = {}


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "query": dict(request.query_params),
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
        }
    )


async def status(request: Request) -> Response:
    code = int(request.path_params["code"])
    return PlainTextResponse(f"body of a {code}", status_code=code)


async def slow(request: Request) -> Response:
    await asyncio.sleep(float(request.query_params.get("seconds", "1")))
    return PlainTextResponse("slow done")


class Hang:
    """Accept the request, never answer; note when the client disconnects."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Request(scope).query_params.get("id", "")
        hangs[key] = {"started": True, "disconnected": False}
        while (await receive())["type"] != "http.disconnect":
            pass
        hangs[key]["disconnected"] = True


async def hang_status(request: Request) -> Response:
    key = request.query_params.get("id", "")
    return JSONResponse(hangs.get(key, {"started": False, "disconnected": False}))


async def large(request: Request) -> Response:
    size = int(request.query_params.get("size", "1000000"))
    return Response(bytes(i % 251 for i in range(size)), media_type="application/octet-stream")


async def retry_after(request: Request) -> Response:
    """503 with Retry-After for the first `fails` attempts of `key`, then 200."""
    key = request.query_params["key"]
    fails = int(request.query_params.get("fails", "2"))
    seen = attempts.setdefault(key, [])
    seen.append(time.monotonic())
    if len(seen) <= fails:
        headers = {"Retry-After": request.query_params.get("after", "1")}
        return PlainTextResponse("busy", status_code=503, headers=headers)
    return PlainTextResponse(f"ok after {len(seen)}")


async def retry_log(request: Request) -> Response:
    return JSONResponse(attempts.get(request.query_params["key"], []))


async def bad_json(request: Request) -> Response:
    return Response('{"broken": tru', media_type="application/json")


async def upload(request: Request) -> Response:
    form = await request.form()
    fields: dict[str, Any] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields[name] = value
        else:
            content = await value.read()
            fields[name] = {"filename": value.filename, "size": len(content)}
    return JSONResponse(fields, status_code=201)


api = Starlette(
    routes=[
        Route("/echo", echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
        Route("/status/{code:int}", status, methods=["GET", "POST"]),
        Route("/slow", slow),
        Route("/hang", Hang(), methods=["GET", "POST"]),
        Route("/hang-status", hang_status),
        Route("/large", large),
        Route("/retry-after", retry_after, methods=["GET", "POST"]),
        Route("/retry-log", retry_log),
        Route("/bad-json", bad_json),
        Route("/upload", upload, methods=["POST", "PUT"]),
    ]
)
