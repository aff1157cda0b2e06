"""The checks the browser makes before sending anything, with the limits the server announces.

The server applies the same rules (and more); checking here first spares the user a long upload
that would be refused, and says why in words. Pure Python: no browser needed to test it.
"""

from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = DEFAULT_MAX_BYTES
    allowed_extensions: tuple[str, ...] | None = None  # None: any

    @classmethod
    def from_json(cls, data: Any) -> Limits:
        allowed = data.get("allowed_extensions")
        return cls(int(data["max_file_bytes"]), None if allowed is None else tuple(allowed))

    def describe(self) -> str:
        kinds = ", ".join(self.allowed_extensions) if self.allowed_extensions else "any type"
        return f"Up to {human_size(self.max_file_bytes)} per file; {kinds}."

    @property
    def accept(self) -> str | None:
        """The file picker's `accept` attribute."""
        return ",".join(self.allowed_extensions) if self.allowed_extensions else None


def human_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def extension(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem and suffix else ""


def problem_with(name: str, size: int, limits: Limits) -> str | None:
    """Why this file will not be accepted, in words; None when it looks acceptable."""
    if size == 0:
        return f"“{name}” is empty (0 bytes). Choose a file with content."
    if size > limits.max_file_bytes:
        return (
            f"“{name}” is {human_size(size)}; the limit is {human_size(limits.max_file_bytes)}. "
            "Choose a smaller file."
        )
    allowed = limits.allowed_extensions
    suffix = extension(name)
    if allowed is not None and suffix not in allowed:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        return f"“{name}” is {what}; the server accepts {', '.join(allowed)}."
    return None
