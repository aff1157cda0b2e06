"""The one seam between the request logic and the network: a `Transport` sends one request.

The core builds an `HTTPRequest`, hands it to the installed transport and gets an
`HTTPResponse` back (the whole body, as bytes). Timeouts, retries, decoding and Brython's
formats live above this line, so they are unit-tested with `MockTransport`; the browser
transport (fetch / XMLHttpRequest) lives in `framework.browser.transport` and is installed at
boot. Cancelling the task that awaits `send` must abort the request: that is how timeouts and
user cancellation reach the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol


class Progress(NamedTuple):
    """Bytes moved so far; `total` is None when the size is unknown (no Content-Length)."""

    loaded: int
    total: int | None

    @property
    def fraction(self) -> float | None:
        return self.loaded / self.total if self.total else None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Form:
    """Fields sent as multipart/form-data; values are str or browser File/Blob objects."""

    fields: tuple[tuple[str, Any], ...]


# What a request body can be: nothing, bytes, text, form fields, or a browser object (FormData,
# Blob, File, URLSearchParams) that the transport passes through untouched.
Body = bytes | str | Form | Any | None


@dataclass
class HTTPRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = None
    cache: bool = False
    on_upload_progress: ProgressCallback | None = None
    on_download_progress: ProgressCallback | None = None


@dataclass
class HTTPResponse:
    status: int
    reason: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    url: str = ""

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return default


class Transport(Protocol):
    async def send(self, request: HTTPRequest) -> HTTPResponse:
        """Send request; raise NetworkError when no HTTP answer came; abort when cancelled."""
        ...


_transport: Transport | None = None


def set_transport(transport: Transport | None) -> Transport | None:
    """Install the transport every request uses (None removes it); returns the previous one."""
    global _transport
    previous, _transport = _transport, transport
    return previous


def get_transport() -> Transport:
    if _transport is None:
        raise RuntimeError(
            "no HTTP transport is installed. In the browser the framework installs one when the "
            "app boots; in tests install one: aio.set_transport(MockTransport(handler))."
        )
    return _transport
