"""The upload app's server API (apps/upload/server.py, under /api), called through framework.aio.

Every error the server sends is JSON `{"error": code, "message": sentence}`; `error_message`
turns any failed answer into that sentence for the UI.
"""

from collections.abc import Callable
from typing import Any, TypedDict

from rules import Limits

from framework import aio

API = "/api"
MIN_BYTES_PER_SECOND = 50_000  # an upload slower than this has stalled: time it out


async def load_limits() -> Limits:
    request = await aio.get(f"{API}/limits", format="json", raise_for_status=True)
    return Limits.from_json(request.data)


class StoredFile(TypedDict):
    """One file of the server's list (GET /api/files)."""

    id: str
    name: str
    size: int
    media_type: str
    created: float  # seconds since the epoch, UTC


async def list_stored() -> list[StoredFile]:
    request = await aio.get(f"{API}/files", format="json")
    if request.status != 200:
        raise ApiError(error_message(request))
    return list(request.data["files"])


async def send_file(file: Any, on_progress: Callable[[aio.Progress], None]) -> aio.Request:
    """POST one browser File as multipart/form-data with progress; cancelling aborts it."""
    seconds = 30 + int(file.size) / MIN_BYTES_PER_SECOND
    return await aio.post(
        f"{API}/files",
        format="json",
        data=aio.Form((("file", file),)),
        timeout=seconds,
        on_upload_progress=on_progress,
    )


async def delete_stored(file_id: str) -> None:
    # format="text": a 204 has no body, which format="json" cannot decode.
    request = await aio.delete(f"{API}/files/{file_id}")
    if request.status != 204:
        raise ApiError(error_message(request))


def download_url(file_id: str) -> str:
    return f"{API}/files/{file_id}"


def error_message(request: aio.Request) -> str:
    try:
        data = request.json()
    except ValueError:  # not JSON: a proxy's error page, say
        data = None
    message = data.get("message") if isinstance(data, dict) else None
    if isinstance(message, str):
        return message
    return f"The server answered {request.status} {request.statusText}; try again later."


class ApiError(Exception):
    """A failed API call, with the server's sentence as its message."""
