"""App icons: the default one `framework build` draws, and the size of an app's own PNG.

The default icon is a disc on a square of the app's theme colour, written as a PNG with zlib and
struct (no imaging library on the host). The disc stays inside the middle 80%, the part an
operating system keeps when it crops an icon to its own shape.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFAULT_SIZES = (192, 512)  # what Chromium asks of an installable app: 192 and 512 px
DEFAULT_COLOR = "#3b6ea5"


def rgb(color: str) -> tuple[int, int, int]:
    """`#rrggbb` or `#rgb` (validated by config.py) as three bytes."""
    digits = color.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return red, green, blue


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def default_icon(size: int, color: str | None = None) -> bytes:
    """A size x size opaque RGB PNG: a light disc on the colour (the theme's, or a blue)."""
    background = bytes(rgb(color or DEFAULT_COLOR))
    disc = bytes(round(channel + (255 - channel) * 0.85) for channel in background)
    centre, radius = (size - 1) / 2, size * 0.3
    rows = []
    for y in range(size):
        # Each row: a filter byte (0: none), then the background, the disc's span, background.
        half = (radius * radius - (y - centre) ** 2) ** 0.5 if abs(y - centre) < radius else -1
        start = max(0, round(centre - half)) if half >= 0 else size
        end = min(size, round(centre + half) + 1) if half >= 0 else size
        rows.append(b"\x00" + background * start + disc * (end - start) + background * (size - end))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    pixels = zlib.compress(b"".join(rows), 9)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header; None if the bytes are not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)
