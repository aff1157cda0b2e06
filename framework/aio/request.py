"""`Request`: what `await aio.ajax(...)` returns, as in Brython (a finished request)."""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

from framework.aio.errors import HTTPError, ResponseJSONError
from framework.aio.transport import HTTPResponse

Format = Literal["text", "binary", "dataURL", "json"]
FORMATS: tuple[Format, ...] = ("text", "binary", "dataURL", "json")


def charset(content_type: str | None, default: str = "utf-8") -> str:
    """The charset parameter of a Content-Type header."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"')
    return default


def data_url(body: bytes, content_type: str | None) -> str:
    """What FileReader.readAsDataURL gives for this body."""
    mime = (content_type or "").strip() or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(body).decode('ascii')}"


def decode_text(body: bytes, content_type: str | None, encoding: str | None = None) -> str:
    return body.decode(encoding or charset(content_type), errors="replace")


class Request:
    """A finished request: `status`, `statusText`, `response_headers`, `data` in the asked format.

    The body is read once, when the answer arrives, so `data`, `text` and `json()` can be read
    any number of times (no "body already used" error).
    """

    def __init__(self, method: str, response: HTTPResponse, fmt: Format, attempts: int = 1):
        self.method = method
        self.url = response.url
        self.status = response.status
        self.statusText = response.reason
        self.response_headers = dict(response.headers)
        self.content = response.body
        self.attempts = attempts
        self.format = fmt
        self._content_type = response.header("content-type")
        self._json: Any = _UNSET
        self.data: Any = self._decode(fmt)

    def _decode(self, fmt: Format) -> Any:
        if fmt == "binary":
            return self.content
        if fmt == "dataURL":
            return data_url(self.content, self._content_type)
        if fmt == "json":
            if self.status >= 400:  # error pages are often HTML: keep them readable as text
                try:
                    return self.json()
                except ResponseJSONError:
                    return self.text
            return self.json()
        return self.text

    @property
    def text(self) -> str:
        return decode_text(self.content, self._content_type)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    def json(self) -> Any:
        """The body parsed as JSON (parsed once); ResponseJSONError quotes a bad body."""
        if self._json is _UNSET:
            try:
                self._json = json.loads(self.text)
            except json.JSONDecodeError as error:
                raise ResponseJSONError(self.url, error) from None
        return self._json

    def raise_for_status(self) -> None:
        if self.status >= 400:
            raise HTTPError(self.status, self.statusText, self.url, self.content, self.attempts)

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url} {self.status}>"


_UNSET: Any = object()
