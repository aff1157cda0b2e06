"""The profiles' API: /api/users/<name> answers {"name": "User <name>"}, but holds a name listed
in /api/hold until /api/release?name=<name> lets it go; /api/answered lists the names answered."""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

held: dict[str, asyncio.Event] = {}
answered: list[str] = []


async def user(request: Request) -> Response:
    name = request.path_params["name"]
    if name in held:
        await held[name].wait()
    answered.append(name)
    return JSONResponse({"name": f"User {name}"})


async def hold(request: Request) -> Response:
    held[request.query_params["name"]] = asyncio.Event()
    answered.clear()
    return JSONResponse({"held": sorted(held)})


async def release(request: Request) -> Response:
    event = held.pop(request.query_params["name"], None)
    if event is not None:
        event.set()
    return JSONResponse({"held": sorted(held)})


async def answered_names(request: Request) -> Response:
    return JSONResponse(answered)


api = Starlette(
    routes=[
        Route("/users/{name}", user),
        Route("/hold", hold),
        Route("/release", release),
        Route("/answered", answered_names),
    ]
)
