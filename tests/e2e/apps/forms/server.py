"""The sign-up endpoint of the forms end-to-end tests, served by `framework serve` under /api.

POST /accounts answers 201 with the account it was sent, or 422 in FastAPI's shape (a `loc`
starting with "body") when the email is taken: the page must put that message on its field.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TAKEN = "taken@example.com"


async def accounts(request: Request) -> Response:
    account = await request.json()
    if account.get("email") == TAKEN:
        detail = [
            {
                "loc": ["body", "email"],
                "msg": "Value error, Email already registered",
                "type": "value_error",
            }
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    return JSONResponse(account, status_code=201)


api = Starlette(routes=[Route("/accounts", accounts, methods=["POST"])])
