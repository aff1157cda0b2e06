"""The upload app's configuration, read from environment variables (the host has no other input:
pyscript.toml belongs to PyScript and refuses unknown tables).

- FRAMEWORK_UPLOAD_DIR: where files are stored
  (default $XDG_DATA_HOME/framework/upload-demo, else ~/.local/share/framework/upload-demo)
- FRAMEWORK_UPLOAD_MAX_BYTES: the largest accepted file, e.g. 10MiB (the default), 500KiB, 2000000
- FRAMEWORK_UPLOAD_TYPES: allowed extensions, e.g. ".txt,.png", or "*" for any
  (default .txt .md .csv .json .png .jpg .jpeg .gif .pdf)
- FRAMEWORK_UPLOAD_ORIGINS: extra origins allowed to upload and delete, comma-separated
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from server_lib.kinds import DEFAULT_ALLOWED

KIB = 1024
MIB = 1024 * KIB
_UNITS = {"": 1, "B": 1, "KIB": KIB, "KB": 1000, "MIB": MIB, "MB": 1000**2, "GIB": 1024 * MIB}
_SIZE = re.compile(r"^\s*(\d+)\s*([A-Za-z]*)\s*$")


class SettingsError(ValueError):
    """An environment variable holds a value the upload server cannot use."""


@dataclass(frozen=True)
class UploadSettings:
    storage: Path
    max_file_bytes: int = 10 * MIB
    allowed_extensions: frozenset[str] | None = DEFAULT_ALLOWED  # None: any extension
    trusted_origins: frozenset[str] = field(default_factory=frozenset)
    max_files: int = 20  # per request; the demo client sends one file per request
    max_fields: int = 20  # non-file parts per request
    max_field_bytes: int = 64 * KIB
    max_part_headers: int = 8
    max_header_bytes: int = 4 * KIB

    @property
    def max_body_bytes(self) -> int:
        """Every allowed part at its largest plus generous framing: bounds preamble and epilogue."""
        files = self.max_files * (self.max_file_bytes + 16 * KIB)
        return files + self.max_fields * (self.max_field_bytes + 16 * KIB) + MIB


def default_storage(environ: Mapping[str, str]) -> Path:
    """Outside any served tree and any repository: the user's data folder."""
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "framework" / "upload-demo"


def settings_from_env(environ: Mapping[str, str] = os.environ) -> UploadSettings:
    storage = environ.get("FRAMEWORK_UPLOAD_DIR") or str(default_storage(environ))
    return UploadSettings(
        storage=Path(storage).expanduser().resolve(),
        max_file_bytes=parse_size(environ.get("FRAMEWORK_UPLOAD_MAX_BYTES", "10MiB")),
        allowed_extensions=parse_extensions(environ.get("FRAMEWORK_UPLOAD_TYPES")),
        trusted_origins=frozenset(_split(environ.get("FRAMEWORK_UPLOAD_ORIGINS", ""))),
    )


def parse_size(text: str) -> int:
    match = _SIZE.match(text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS or int(match.group(1)) < 1:
        raise SettingsError(
            f"FRAMEWORK_UPLOAD_MAX_BYTES={text!r} is not a size. "
            "Give a positive number of bytes, optionally with a unit: 5000000, 10MiB, 500KiB."
        )
    return int(match.group(1)) * _UNITS[unit]


def parse_extensions(text: str | None) -> frozenset[str] | None:
    if text is None or not text.strip():
        return DEFAULT_ALLOWED
    if text.strip() == "*":
        return None
    extensions = frozenset("." + item.lower().lstrip(".") for item in _split(text))
    if any(not re.fullmatch(r"\.[a-z0-9]{1,10}", item) for item in extensions):
        raise SettingsError(
            f"FRAMEWORK_UPLOAD_TYPES={text!r} is not a list of extensions. "
            "Give comma-separated extensions such as '.txt,.png', or '*' for any type."
        )
    return extensions


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def ensure_not_served(settings: UploadSettings, served_root: Path) -> None:
    """Refuse a storage folder inside the app folder: the dev server would publish its files."""
    served = served_root.resolve()
    if settings.storage == served or settings.storage.is_relative_to(served):
        raise SettingsError(
            f"FRAMEWORK_UPLOAD_DIR={settings.storage} is inside the app folder {served}, "
            "which the dev server publishes. Choose a folder outside it."
        )
