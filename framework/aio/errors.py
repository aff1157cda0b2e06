"""What can go wrong with a request, as exceptions a caller can tell apart.

A network failure, a timeout and a cancellation are three different things: the first is an
`OSError` (`NetworkError`), the second a `TimeoutError` (`RequestTimeout`), the third asyncio's
`CancelledError`. An HTTP error status is not an exception unless the caller asks for one.
"""

from __future__ import annotations

import json


class NetworkError(OSError):
    """The request never got an HTTP answer: connection refused, DNS failure, CORS refusal."""

    def __init__(self, method: str, url: str, reason: str) -> None:
        super().__init__(f"{method} {url} failed before any HTTP answer: {reason}")
        self.method, self.url, self.reason = method, url, reason
        self.attempts = 1


class RequestTimeout(TimeoutError):
    """The whole request (every attempt, body included) took longer than `timeout` seconds."""

    def __init__(self, method: str, url: str, seconds: float) -> None:
        super().__init__(
            f"{method} {url} got no complete answer within {seconds:g} s "
            "(pass timeout=... to allow longer, or timeout=None for no limit)"
        )
        self.method, self.url, self.seconds = method, url, seconds
        self.attempts = 1


class HTTPError(OSError):
    """An error status (4xx/5xx), raised only when the caller asked for it."""

    def __init__(self, status: int, reason: str, url: str, body: bytes, attempts: int = 1) -> None:
        kind = "Client Error" if status < 500 else "Server Error"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        super().__init__(f"{status} {kind}: {reason or 'no reason given'} for url: {url}{tries}")
        self.status, self.reason, self.url, self.body = status, reason, url, body
        self.attempts = attempts

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class ResponseJSONError(json.JSONDecodeError):
    """The body was asked for as JSON but is not JSON; the message quotes its start."""

    SNIPPET = 80

    def __init__(self, url: str, error: json.JSONDecodeError) -> None:
        snippet = error.doc[: self.SNIPPET]
        more = "..." if len(error.doc) > self.SNIPPET else ""
        super().__init__(
            f"the body of {url} is not JSON ({error.msg}): {snippet!r}{more}", error.doc, error.pos
        )
        self.url = url


class BlockingNotSupported(RuntimeError):
    """Brython's blocking (synchronous) requests: they would freeze the page under Pyodide."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what}: blocking requests are not supported. Brython can block because it compiles "
            "to JavaScript; Pyodide runs on the page's main thread, where waiting would freeze "
            "the page. Use a callback (oncomplete=...) or `await aio.get(...)` instead."
        )
