"""The upload API as a Starlette app: /files (POST, GET), /files/{id} (GET, DELETE), /limits,
/health. `framework serve` mounts it under /api.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from server_lib.errors import (
    NO_STORE,
    UploadError,
    error_response,
    http_error_handler,
    server_error_handler,
    upload_error_handler,
)
from server_lib.form import FILE_FIELD, ReceivedFile, check_declared_length, read_form, receiver_for
from server_lib.guard import SameOriginWrites
from server_lib.settings import UploadSettings
from server_lib.storage import FileStore, StoredFile, discard

DOWNLOAD_HEADERS = {
    **NO_STORE,
    # Even if a browser were talked into rendering it, the page could do nothing.
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


PARSER_THREADS = 4  # parsing holds the GIL: more threads would only crowd the event loop


class Runtime:
    """What the API needs once it runs, made on the first request (Starlette's Mount does not run
    a sub-app's lifespan): the prepared store, and the limit on parsing threads."""

    def __init__(self, store: FileStore) -> None:
        self.store = store
        self.parsers: anyio.CapacityLimiter | None = None
        self._lock = anyio.Lock()

    async def ready(self) -> tuple[FileStore, anyio.CapacityLimiter]:
        async with self._lock:
            if self.parsers is None:
                await anyio.to_thread.run_sync(self.store.prepare)
                self.parsers = anyio.CapacityLimiter(PARSER_THREADS)
        return self.store, self.parsers


def commit_all(store: FileStore, files: list[ReceivedFile]) -> list[StoredFile]:
    """All files of a request or none of them."""
    stored: list[StoredFile] = []
    try:
        for received in files:
            stored.append(
                store.commit(received.id, received.temp, received.name, received.media_type)
            )
    except BaseException:
        for done in stored:
            store.delete(done.id)
        for item in files:
            discard(item.temp)
        raise
    return stored


def create_api(settings: UploadSettings) -> Starlette:
    runtime = Runtime(FileStore(settings.storage))

    async def upload(request: Request) -> Response:
        check_declared_length(request.headers.get("content-length"), settings)
        store, parsers = await runtime.ready()
        receiver = receiver_for(request.headers.get("content-type", ""), settings, store)
        try:
            form = await read_form(receiver, request.stream(), settings, parsers)
        except ClientDisconnect:
            return error_response(400, "client_disconnected", "The upload was interrupted.")
        if not form.files:
            raise UploadError(
                400,
                "no_file",
                f"The upload holds no file. Send files as multipart/form-data in the field "
                f"“{FILE_FIELD}”.",
            )
        stored = await anyio.to_thread.run_sync(commit_all, store, form.files)
        body = {"files": [item.to_json() for item in stored]}
        return JSONResponse(body, status_code=201, headers=NO_STORE)

    async def list_files(request: Request) -> Response:
        store, _ = await runtime.ready()
        files = await anyio.to_thread.run_sync(store.list)
        return JSONResponse({"files": [item.to_json() for item in files]}, headers=NO_STORE)

    async def download(request: Request) -> Response:
        store, _ = await runtime.ready()
        found = await anyio.to_thread.run_sync(store.find, request.path_params["file_id"])
        if found is None:
            raise _missing()
        stored, path = found
        return FileResponse(
            path,
            media_type="application/octet-stream",
            filename=stored.name,
            content_disposition_type="attachment",
            headers=DOWNLOAD_HEADERS,
        )

    async def delete(request: Request) -> Response:
        store, _ = await runtime.ready()
        if not await anyio.to_thread.run_sync(store.delete, request.path_params["file_id"]):
            raise _missing()
        return Response(status_code=204, headers=NO_STORE)

    async def limits(request: Request) -> Response:
        allowed = settings.allowed_extensions
        return JSONResponse(
            {
                "max_file_bytes": settings.max_file_bytes,
                "max_files": settings.max_files,
                "allowed_extensions": None if allowed is None else sorted(allowed),
            },
            headers=NO_STORE,
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    return Starlette(
        routes=[
            Route("/files", upload, methods=["POST"]),
            Route("/files", list_files, methods=["GET"]),
            Route("/files/{file_id}", download, methods=["GET"]),
            Route("/files/{file_id}", delete, methods=["DELETE"]),
            Route("/limits", limits, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ],
        middleware=[Middleware(SameOriginWrites, trusted=settings.trusted_origins)],
        exception_handlers={
            UploadError: upload_error_handler,
            HTTPException: http_error_handler,
            500: server_error_handler,
        },
    )


def _missing() -> UploadError:
    return UploadError(
        404, "file_not_found", "No such file: it may have been deleted. Refresh the list."
    )
