"""File kinds: the extensions the demo accepts, and the first bytes a real file of each has.

The client's Content-Type is never trusted (it is whatever the sender typed). The kind comes from
the display name's extension, and binary formats must also start with their signature, so an
"image" that is really HTML or script is refused (matrix U16). Downloads are attachments with
`nosniff` whatever the kind, so even an accepted text file is never rendered as a page.
"""

from __future__ import annotations

from dataclasses import dataclass

SNIFF_BYTES = 16  # enough for every signature below


@dataclass(frozen=True)
class Kind:
    media_type: str
    signatures: tuple[bytes, ...] = ()  # empty: any bytes (text formats)

    def matches(self, head: bytes) -> bool:
        if not self.signatures:
            return True
        return any(head.startswith(signature) for signature in self.signatures)


KINDS: dict[str, Kind] = {
    ".txt": Kind("text/plain"),
    ".md": Kind("text/markdown"),
    ".csv": Kind("text/csv"),
    ".json": Kind("application/json"),
    ".png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    ".pdf": Kind("application/pdf", (b"%PDF-",)),
}
DEFAULT_ALLOWED = frozenset(KINDS)
ANY_KIND = Kind("application/octet-stream")


def kind_of(suffix: str) -> Kind:
    """The kind for an extension; unknown extensions (allowed with `*`) are opaque bytes."""
    return KINDS.get(suffix, ANY_KIND)
