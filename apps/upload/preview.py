"""A local preview, read before anything is sent: the start of a text file, or an image.

As in Brython's "read the content of a file" example, a FileReader is started and its `load`
event awaited, here with `framework.aio.event` instead of a callback.
"""

from dataclasses import dataclass
from typing import Any

from pyscript import window
from rules import extension

from framework import aio

TEXT_BYTES = 2048  # the start of a text file is enough to recognise it
IMAGE_BYTES = 5 * 1024 * 1024  # larger images are not previewed (a data: URL of it is big)
TEXT_EXTENSIONS = frozenset({".txt", ".md", ".csv", ".json", ".log", ".py", ".html", ".xml"})
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


@dataclass(frozen=True)
class Preview:
    kind: str  # "text", "image" or "none"
    content: str


def preview_kind(name: str, media_type: str) -> str:
    suffix = extension(name)
    if suffix in IMAGE_EXTENSIONS:
        return "image"
    if suffix in TEXT_EXTENSIONS or media_type.startswith("text/"):
        return "text"
    return "none"


async def read_preview(file: Any) -> Preview:
    kind = preview_kind(str(file.name), str(file.type))
    if kind == "none":
        return Preview("none", "No preview for this kind of file.")
    if kind == "image" and int(file.size) > IMAGE_BYTES:
        return Preview("none", "This image is too large to preview.")
    reader = window.FileReader.new()
    if kind == "image":
        reader.readAsDataURL(file)
    else:
        reader.readAsText(file.slice(0, TEXT_BYTES))
    event = await aio.event(reader, "load", "error")
    if event.type == "error":
        return Preview("none", "This file could not be read for a preview.")
    return Preview(kind, str(reader.result))
