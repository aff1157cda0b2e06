"""Turning Brython's `data=` (a str or a dict) and friends into a URL and a request body."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from framework.aio.transport import Body, Form

# Values that a form-urlencoded body can carry; anything else in a dict (a browser File) makes
# the body multipart, as Brython's `send({"upload": file})` does.
_PLAIN = (str, int, float, bool)


def with_query(url: str, data: str | Mapping[str, Any]) -> str:
    query = data if isinstance(data, str) else urlencode(dict(data))
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def encode_body(data: Any, headers: dict[str, str]) -> Body:
    """The body for `data`; sets Content-Type for dicts unless the caller set one."""
    if data is None:
        return None
    if isinstance(data, Mapping):
        if all(isinstance(v, _PLAIN) for v in data.values()):
            set_default_header(headers, "Content-Type", "application/x-www-form-urlencoded")
            return urlencode(dict(data))
        return Form(tuple(data.items()))
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    return data  # str, bytes, Form, or a browser object (FormData, Blob, File)


def encode_json(value: Any, headers: dict[str, str]) -> str:
    set_default_header(headers, "Content-Type", "application/json")
    return jsonlib.dumps(value, ensure_ascii=False)


def has_header(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name.lower() for key in headers)


def set_default_header(headers: dict[str, str], name: str, value: str) -> None:
    if not has_header(headers, name):
        headers[name] = value
