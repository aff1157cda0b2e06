"""Who may open a sync connection, who it is, and how fast it may write.

* **Origin.** A browser sends the page's origin with every WebSocket handshake, and a page of
  another site can open a WebSocket to this server with the user's cookies (cross-site
  WebSocket hijacking): a handshake is refused unless its Origin is the server's own (the Host
  it was sent to, same scheme) or one the app allows.
* **Identity.** By default, each browser is one anonymous identity: a random token in an
  HttpOnly, SameSite=Strict cookie that the server sets on the first handshake (the browser
  keeps a cookie set on the WebSocket handshake response like any other). The identity is a
  hash of the token, so the database never holds the token itself.
* **Rate.** A token bucket per connection: `rate` mutations per second on average, bursts up
  to `burst`.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable

from starlette.websockets import WebSocket

__all__ = [
    "IDENTITY_COOKIE",
    "TokenBucket",
    "anonymous_identity",
    "new_identity_cookie",
    "origin_allowed",
]

IDENTITY_COOKIE = "framework_sync_id"
COOKIE_PATH = "/api"  # the sync endpoint lives under the app's API
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie (Chrome's cap)


def origin_allowed(websocket: WebSocket, allowed: Iterable[str]) -> bool:
    """True when the handshake's Origin is the server's own origin or one of `allowed`.

    A handshake without Origin is not from a browser page (a script, a test): no page can be
    hijacking it, and the identity hook still decides who it is."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    if origin in set(allowed):
        return True
    host = websocket.headers.get("host", "")
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    return origin == f"{scheme}://{host}"


def anonymous_identity(websocket: WebSocket) -> str | None:
    """The default identity: the browser's anonymous cookie, hashed; None without one (the
    server then sets one, see `new_identity_cookie`)."""
    token = websocket.cookies.get(IDENTITY_COOKIE)
    if not token or len(token) > 100:
        return None
    return identity_of(token)


def identity_of(token: str) -> str:
    return "anon-" + hashlib.sha256(token.encode()).hexdigest()[:32]


def new_identity_cookie(secure: bool) -> tuple[str, str]:
    """A new anonymous identity and the Set-Cookie header value that gives it to the browser."""
    token = secrets.token_urlsafe(32)
    cookie = (
        f"{IDENTITY_COOKIE}={token}; Path={COOKIE_PATH}; Max-Age={COOKIE_MAX_AGE}; "
        "HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
    )
    return identity_of(token), cookie


class TokenBucket:
    """Allows `rate` a second on average and `burst` at once; `take(n)` is all or nothing."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._tokens = burst
        self._time = time.monotonic()

    def take(self, count: int) -> bool:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._time) * self.rate)
        self._time = now
        if count > self._tokens:
            return False
        self._tokens -= count
        return True
