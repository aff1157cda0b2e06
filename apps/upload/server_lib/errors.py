"""Every failure of the upload API is JSON: a stable `error` code and a `message` for people."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class UploadError(Exception):
    """A refusal: HTTP status, a machine-readable code, and a sentence a person can act on."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=NO_STORE)


async def upload_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UploadError)
    return error_response(exc.status, exc.code, exc.message)


_HTTP_MESSAGES = {
    404: ("not_found", "Nothing here. The upload API has /files, /files/{id}, /limits, /health."),
    405: ("method_not_allowed", "This address does not accept that method; see the app README."),
}


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
    response = error_response(exc.status_code, code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def server_error_handler(request: Request, exc: Exception) -> Response:
    return error_response(
        500, "server_error", "The server failed on this request; try again, and see its log."
    )
