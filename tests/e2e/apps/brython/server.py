"""Endpoints the Brython documentation examples post to (the docs leave `url` to the reader)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route


async def echo(request: Request) -> Response:
    body = (await request.body()).decode()
    return PlainTextResponse(f"{request.method} {request.headers.get('content-type')} {body}")


async def upload(request: Request) -> Response:
    form = await request.form()
    stored = {}
    for name, value in form.multi_items():
        if not isinstance(value, str):
            stored[name] = {"filename": value.filename, "size": len(await value.read())}
    return JSONResponse(stored, status_code=201)


api = Starlette(
    routes=[Route("/echo", echo, methods=["POST"]), Route("/upload", upload, methods=["POST"])]
)
