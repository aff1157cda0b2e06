"""Writes only from our own pages: a request that changes state from a foreign Origin is a 403.

A browser always sends `Origin` on a cross-site POST or DELETE, and `Sec-Fetch-Site` on modern
engines; tools such as curl send neither and are let through (they are not a CSRF vector). No CORS
headers are ever added, so other sites cannot read any answer either (matrix U20, D5).
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from server_lib.errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_foreign(headers: Headers, scheme: str, trusted: Collection[str]) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return headers.get("sec-fetch-site") == "cross-site"
    return origin != f"{scheme}://{headers.get('host', '')}" and origin not in trusted


class SameOriginWrites:
    """ASGI middleware refusing unsafe methods from foreign origins."""

    def __init__(self, app: ASGIApp, trusted: Collection[str] = ()) -> None:
        self.app, self.trusted = app, frozenset(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and is_foreign(Headers(scope=scope), scope["scheme"], self.trusted)
        ):
            response = error_response(
                403,
                "foreign_origin",
                "This request came from another site; only pages served by this server "
                "may change files. Open the app from this server's address.",
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
