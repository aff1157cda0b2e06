"""Compressed copies of what a page downloads: `name.br` and `name.gz` beside each file of a
build (served by nginx's brotli_static / gzip_static, Netlify, most CDNs), and the same codings
from `framework serve`, chosen by the request's Accept-Encoding.

Pyodide's wasm (9.6 MB) goes over the wire as about 3 MB in brotli; a snapshot (31 MB, mostly an
empty heap) as a few MB. A compressed copy is written only when it is smaller than the file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import brotli

from framework.cli import assets

# Checked in this order: the first coding the client accepts whose copy exists is sent.
CODINGS = (("br", ".br"), ("gzip", ".gz"))
# Already compressed, or too small to gain: sent as they are.
SKIPPED_SUFFIXES = (".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2", ".avif")
MIN_BYTES = 1024


# Brotli's top quality (11) takes about 40 s for the 31 MB snapshot; 9 takes 1.5 s and is 4%
# larger. Results are cached by content, so a rebuild compresses only what changed.
BROTLI_QUALITY = 9
GZIP_LEVEL = 6


def compressed(data: bytes, coding: str) -> bytes:
    """data in that coding, from the cache when this content was compressed before."""
    key = hashlib.sha256(data).hexdigest()
    cached = assets.cache_dir() / "compressed" / f"{key}.{coding}"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    if coding == "br":
        packed = bytes(brotli.compress(data, quality=BROTLI_QUALITY))
    else:  # mtime 0: the same input gives the same bytes (builds are reproducible)
        packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
    partial.write_bytes(packed)
    os.replace(partial, cached)
    return packed


def worth_compressing(name: str, size: int) -> bool:
    return size >= MIN_BYTES and not name.lower().endswith(SKIPPED_SUFFIXES)


def write_siblings(path: Path) -> dict[str, int]:
    """Write path.br and path.gz where they save bytes; their sizes by coding."""
    data = path.read_bytes()
    if not worth_compressing(path.name, len(data)):
        return {}
    sizes = {}
    for coding, suffix in CODINGS:
        packed = compressed(data, coding)
        if len(packed) < len(data):
            path.with_name(path.name + suffix).write_bytes(packed)
            sizes[coding] = len(packed)
    return sizes


def accepted(accept_encoding: str) -> set[str]:
    """The codings an Accept-Encoding header accepts (`q=0` refuses one)."""
    found = set()
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            if float(quality) > 0:
                found.add(name.strip().lower())
        except ValueError:
            continue
    return found


def best_coding(accept_encoding: str, available: Iterable[str]) -> str | None:
    """The coding to send, of those available, that the client accepts; None: identity."""
    ok, offered = accepted(accept_encoding), set(available)
    return next((c for c, _ in CODINGS if c in ok and c in offered), None)
