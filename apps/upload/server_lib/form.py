"""A request body read as a form, streamed, counted and bounded at every level.

Starlette's `request.form()` spools file parts to disk without any size limit (matrix fact 10), so
the upload API feeds `request.stream()` through python-multipart's streaming parsers itself and
enforces, while the bytes arrive: the whole body's size (whatever Content-Length claims), each
file's size (413), the number of parts, files and fields, each field's size, and (through the
parser) the number and size of part headers. File parts go straight to temp files; on any failure,
including a client that disconnects, every temp file of the request is removed.

Parsing and disk writes run in a worker thread, in batches, so many concurrent uploads never stall
the event loop on a slow disk.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote_plus

import anyio
import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, QuerystringParser, parse_options_header

from server_lib.errors import UploadError
from server_lib.kinds import SNIFF_BYTES, kind_of
from server_lib.names import display_name, extension, unescape_form_name
from server_lib.settings import UploadSettings
from server_lib.storage import FileStore, discard

FILE_FIELD = "file"
BATCH_BYTES = 256 * 1024  # bytes handed to the worker thread at once
MAX_CONTENT_TYPE_CHARS = 1024
MAX_BOUNDARY_CHARS = 70  # RFC 2046 section 5.1.1


@dataclass
class ReceivedFile:
    id: str
    temp: Path
    name: str
    media_type: str
    size: int = 0


@dataclass
class ReceivedForm:
    files: list[ReceivedFile] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def human_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


class _FilePart:
    """One file part being written to its temp file."""

    def __init__(self, received: ReceivedFile, limit: int) -> None:
        self.received, self.limit = received, limit
        self.head = bytearray()
        self.handle: BinaryIO | None = received.temp.open("xb", buffering=0)

    def write(self, data: bytes, start: int, end: int) -> None:
        self.received.size += end - start
        if self.received.size > self.limit:
            raise UploadError(
                413,
                "file_too_large",
                f"“{self.received.name}” is larger than the {human_size(self.limit)} limit. "
                "Choose a smaller file.",
            )
        if len(self.head) < SNIFF_BYTES:
            self.head += data[start : min(end, start + SNIFF_BYTES - len(self.head))]
        assert self.handle is not None
        self.handle.write(memoryview(data)[start:end])

    def finish(self) -> None:
        self.close()
        name = self.received.name
        if self.received.size == 0:
            raise UploadError(
                400, "empty_file", f"“{name}” is empty (0 bytes). Choose a file with content."
            )
        if not kind_of(extension(name)).matches(bytes(self.head)):
            raise UploadError(
                400,
                "content_mismatch",
                f"“{name}” does not contain what its extension says "
                f"({self.received.media_type}). Upload the real file, or rename it.",
            )

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class _FieldPart:
    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit
        self.value = bytearray()

    def write(self, data: bytes, start: int, end: int) -> None:
        if len(self.value) + end - start > self.limit:
            raise UploadError(
                400,
                "part_too_large",
                f"Part exceeded maximum size: form field “{self.name}” is larger than "
                f"{human_size(self.limit)}. Send large content as a file.",
            )
        self.value += data[start:end]


class MultipartReceiver:
    """Callbacks for python-multipart's MultipartParser; every limit is checked as bytes arrive."""

    def __init__(self, boundary: bytes, settings: UploadSettings, store: FileStore) -> None:
        self.settings, self.store = settings, store
        self.form = ReceivedForm()
        self.ended = False
        self._parts = 0
        self._headers: list[tuple[bytearray, bytearray]] = []
        self._part: _FilePart | _FieldPart | None = None
        self.parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._on_part_begin,
                "on_header_begin": self._on_header_begin,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_end": self._on_end,
            },
            max_header_count=settings.max_part_headers,
            max_header_size=settings.max_header_bytes,
        )

    def write(self, data: bytes) -> None:
        try:
            self.parser.write(data)
        except FormParserError as error:
            raise UploadError(
                400, "malformed_multipart", f"The upload is not valid multipart/form-data: {error}."
            ) from error

    def finish(self) -> None:
        if not self.ended:
            raise UploadError(
                400,
                "incomplete_body",
                "The upload ended before its closing boundary: the body was cut short. "
                "Send it again.",
            )

    def close(self) -> None:
        if isinstance(self._part, _FilePart):
            self._part.close()

    def _on_part_begin(self) -> None:
        self._parts += 1
        limit = self.settings.max_files + self.settings.max_fields
        if self._parts > limit:
            raise UploadError(
                400, "too_many_parts", f"Too many parts: an upload may hold at most {limit}."
            )
        self._headers = []
        self._part = None

    def _on_header_begin(self) -> None:
        self._headers.append((bytearray(), bytearray()))

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._headers[-1][0].extend(data[start:end])

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._headers[-1][1].extend(data[start:end])

    def _on_headers_finished(self) -> None:
        disposition = next(
            (bytes(v) for k, v in self._headers if k.lower() == b"content-disposition"), b""
        )
        kind, options = parse_options_header(disposition)
        if kind != b"form-data" or not options.get(b"name"):
            raise UploadError(
                400,
                "part_without_name",
                "A part has no `Content-Disposition: form-data; name=...` header. "
                "Build the body with FormData so every part is named.",
            )
        name = options[b"name"].decode("utf-8", "replace")
        if b"filename" in options:
            self._part = self._open_file(name, options[b"filename"].decode("utf-8", "replace"))
        else:
            self._part = self._open_field(name)

    def _open_file(self, field_name: str, raw_name: str) -> _FilePart:
        if field_name != FILE_FIELD:
            raise UploadError(
                400,
                "unexpected_file_field",
                f"A file came in the field “{field_name}”; send files in the field “{FILE_FIELD}”.",
            )
        if len(self.form.files) >= self.settings.max_files:
            raise UploadError(
                400,
                "too_many_files",
                f"Too many files: send at most {self.settings.max_files} in one upload.",
            )
        if not raw_name:  # what a form sends for a file input left empty
            raise UploadError(
                400, "no_file_chosen", "A file part has no file name: choose a file, then send."
            )
        name = display_name(unescape_form_name(raw_name))
        self._check_allowed(name)
        file_id, temp = self.store.new_temp()
        received = ReceivedFile(file_id, temp, name, kind_of(extension(name)).media_type)
        self.form.files.append(received)  # listed before opening: cleanup always finds it
        return _FilePart(received, self.settings.max_file_bytes)

    def _open_field(self, name: str) -> _FieldPart:
        if len(self.form.fields) >= self.settings.max_fields:
            raise UploadError(
                400,
                "too_many_fields",
                f"Too many fields: send at most {self.settings.max_fields} in one upload.",
            )
        return _FieldPart(name, self.settings.max_field_bytes)

    def _check_allowed(self, name: str) -> None:
        allowed = self.settings.allowed_extensions
        suffix = extension(name)
        if allowed is not None and suffix not in allowed:
            what = f"a {suffix} file" if suffix else "a file without an extension"
            raise UploadError(
                415,
                "type_not_allowed",
                f"“{name}” is {what}; this server accepts {', '.join(sorted(allowed))}.",
            )

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._part is not None:
            self._part.write(data, start, end)

    def _on_part_end(self) -> None:
        part, self._part = self._part, None
        if isinstance(part, _FilePart):
            part.finish()
        elif isinstance(part, _FieldPart):
            self.form.fields[part.name] = part.value.decode("utf-8", "replace")

    def _on_end(self) -> None:
        self.ended = True


class UrlencodedReceiver:
    """A bounded `application/x-www-form-urlencoded` body: fields only (WHATWG: `&` separates)."""

    def __init__(self, settings: UploadSettings) -> None:
        self.settings = settings
        self.form = ReceivedForm()
        self._name = bytearray()
        self._value = bytearray()
        self.parser = QuerystringParser(
            callbacks={
                "on_field_start": self._on_field_start,
                "on_field_name": self._on_field_name,
                "on_field_data": self._on_field_data,
                "on_field_end": self._on_field_end,
            }
        )

    def write(self, data: bytes) -> None:
        try:
            self.parser.write(data)
        except FormParserError as error:
            raise UploadError(
                400, "malformed_form", f"The form body is not valid: {error}."
            ) from error

    def finish(self) -> None:
        self.parser.finalize()

    def close(self) -> None:
        """Nothing to close: fields live in memory, bounded by count and size."""

    def _on_field_start(self) -> None:
        if len(self.form.fields) >= self.settings.max_fields:
            raise UploadError(
                400,
                "too_many_fields",
                f"Too many fields: send at most {self.settings.max_fields} in one request.",
            )
        self._name.clear()
        self._value.clear()

    def _grow(self, buffer: bytearray, data: bytes, start: int, end: int) -> None:
        if len(self._name) + len(self._value) + end - start > self.settings.max_field_bytes:
            raise UploadError(
                400,
                "part_too_large",
                f"A form field is larger than {human_size(self.settings.max_field_bytes)}.",
            )
        buffer.extend(data[start:end])

    def _on_field_name(self, data: bytes, start: int, end: int) -> None:
        self._grow(self._name, data, start, end)

    def _on_field_data(self, data: bytes, start: int, end: int) -> None:
        self._grow(self._value, data, start, end)

    def _on_field_end(self) -> None:
        name = unquote_plus(self._name.decode("latin-1"), encoding="utf-8", errors="replace")
        value = unquote_plus(self._value.decode("latin-1"), encoding="utf-8", errors="replace")
        self.form.fields[name] = value


Receiver = MultipartReceiver | UrlencodedReceiver


def receiver_for(content_type: str, settings: UploadSettings, store: FileStore) -> Receiver:
    """The parser for this Content-Type, after checking the header itself is sane."""
    if len(content_type) > MAX_CONTENT_TYPE_CHARS:
        raise UploadError(400, "bad_content_type", "The Content-Type header is too long.")
    media_type, options = parse_options_header(content_type)
    if media_type == b"multipart/form-data":
        boundary = options.get(b"boundary", b"")
        if not 0 < len(boundary) <= MAX_BOUNDARY_CHARS:
            raise UploadError(
                400,
                "bad_boundary",
                "The multipart Content-Type needs a boundary of 1 to 70 characters "
                "(RFC 2046). Let the browser set it: send a FormData body.",
            )
        return MultipartReceiver(boundary, settings, store)
    if media_type == b"application/x-www-form-urlencoded":
        return UrlencodedReceiver(settings)
    raise UploadError(
        415,
        "unsupported_media_type",
        "Send files as multipart/form-data (a FormData body with a “file” field).",
    )


def check_declared_length(value: str | None, settings: UploadSettings) -> None:
    """Refuse early when Content-Length already says too much (the counter still decides)."""
    if value is not None and value.isdigit() and int(value) > settings.max_body_bytes:
        raise UploadError(
            413,
            "body_too_large",
            f"The upload is larger than {human_size(settings.max_body_bytes)} in all; "
            f"each file may be up to {human_size(settings.max_file_bytes)}.",
        )


async def read_form(
    receiver: Receiver,
    chunks: AsyncIterator[bytes],
    settings: UploadSettings,
    threads: anyio.CapacityLimiter | None = None,
) -> ReceivedForm:
    """Feed the body to `receiver` in worker threads (at most `threads` at once, over all
    requests); on any failure remove every temp file."""
    try:
        await _feed(receiver, chunks, settings.max_body_bytes, threads)
        return receiver.form
    except BaseException:  # also cancellation and disconnects: never leave temp files
        receiver.close()
        for received in receiver.form.files:
            discard(received.temp)
        raise


async def _feed(
    receiver: Receiver,
    chunks: AsyncIterator[bytes],
    limit: int,
    threads: anyio.CapacityLimiter | None,
) -> None:
    pending: list[bytes] = []
    pending_size = total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise UploadError(
                413, "body_too_large", f"The upload is larger than {human_size(limit)} in all."
            )
        pending.append(chunk)
        pending_size += len(chunk)
        if pending_size >= BATCH_BYTES or total == pending_size:  # the first chunk at once:
            # its part headers decide early whether the type and field are acceptable
            await anyio.to_thread.run_sync(receiver.write, b"".join(pending), limiter=threads)
            pending, pending_size = [], 0
    if pending:
        await anyio.to_thread.run_sync(receiver.write, b"".join(pending), limiter=threads)
    receiver.finish()
