"""Display names: what a client calls its file, made safe to show, store in JSON and download as.

The stored file never uses this name (storage names are generated), so this only has to make the
name harmless for people and for the download dialog: no folders, no control or bidi characters,
no Windows device names, a bounded length, and the extension kept when the name is shortened.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 120
FALLBACK_NAME = "unnamed"
# Cc control, Cf format (bidi overrides such as U+202E, zero-width), Cs/Co/Cn: not text.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in range(1, 10)}
    | {f"LPT{n}" for n in range(1, 10)}
)


def display_name(raw: str) -> str:
    """The last path component of `raw`, cleaned; never empty, never a path."""
    name = unicodedata.normalize("NFC", raw)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = _last_component(name)
    name = name.strip(" .")  # leading dots hide files; trailing dots and spaces vanish on Windows
    if not name:
        return FALLBACK_NAME
    if name.split(".", 1)[0].upper() in _WINDOWS_DEVICES:
        name = f"_{name}"
    return _shorten(name)


def unescape_form_name(raw: str) -> str:
    """Undo the three escapes browsers apply to multipart names (WHATWG HTML, "multipart/form-data
    encoding algorithm"): `"` as %22, CR as %0D, LF as %0A. Nothing else is percent-decoded."""
    return raw.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


def extension(name: str) -> str:
    """The lower-case last suffix with its dot (`.png`), or "" when there is none."""
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem and suffix else ""


def _last_component(name: str) -> str:
    """Both separators count: POSIX basename alone keeps `..\\..\\win.ini` whole."""
    name = _DRIVE.sub("", name)
    parts = [part for part in re.split(r"[/\\]", name) if part not in ("", ".", "..")]
    return parts[-1] if parts else ""


def _shorten(name: str) -> str:
    if len(name) <= MAX_NAME_CHARS:
        return name
    suffix = extension(name)
    if len(suffix) > MAX_NAME_CHARS // 4:
        suffix = ""
    return name[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") + suffix
