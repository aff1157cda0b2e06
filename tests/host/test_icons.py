"""The default icon (framework/cli/icons.py): a valid PNG of the asked size, in the theme
colour, with its mark inside the part an operating system keeps when it crops the icon."""

from __future__ import annotations

import struct
import zlib

import pytest

from framework.cli import icons


def pixels(png: bytes) -> list[list[tuple[int, int, int]]]:
    """Decode an 8-bit RGB PNG written without filters (what default_icon writes)."""
    assert png.startswith(icons.PNG_SIGNATURE)
    position, data, size = 8, b"", (0, 0)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        (checksum,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert checksum == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
            assert body[8:10] == b"\x08\x02"  # 8-bit RGB
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height = size
    raw = zlib.decompress(data)
    stride = 1 + 3 * width
    rows = []
    for y in range(height):
        row = raw[y * stride : (y + 1) * stride]
        assert row[0] == 0  # no filter
        rows.append([tuple(row[1 + 3 * x : 4 + 3 * x]) for x in range(width)])
    return rows  # type: ignore[return-value]


@pytest.mark.parametrize("size", [192, 512])
def test_the_default_icon_is_a_png_of_its_size(size: int) -> None:
    png = icons.default_icon(size)
    assert icons.png_size(png) == (size, size)
    assert len(pixels(png)) == size


@pytest.mark.parametrize(("color", "rgb"), [("#b83f45", (184, 63, 69)), ("#fff", (255, 255, 255))])
def test_the_default_icon_is_drawn_on_the_theme_colour(color: str, rgb: tuple[int, ...]) -> None:
    image = pixels(icons.default_icon(48, color))
    assert image[0][0] == rgb  # the corner: background
    assert image[24][24] != rgb or rgb == (255, 255, 255)  # the middle: the disc
    # Nothing but background outside the middle 80% (the safe zone of a cropped icon).
    border = [image[y][x] for y in range(48) for x in range(48) if min(x, y, 47 - x, 47 - y) < 5]
    assert set(border) == {rgb}


def test_png_size_refuses_what_is_no_png() -> None:
    assert icons.png_size(b"GIF89a" + bytes(30)) is None
