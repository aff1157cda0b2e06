"""Stored files: generated names, all-or-nothing commit, listing and deletion.

Layout under the storage folder:
    tmp/<id>.part    a file being received (removed on any failure)
    files/<id>       the bytes, under a generated name (the client's name is never a path)
    files/<id>.json  its description: display name, size, kind, time

A file appears in the list only once both are in place; both are moved in with os.replace from
tmp/, which is on the same file system, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

STALE_TEMP_SECONDS = 600  # a temp file untouched this long belongs to a dead upload
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16)


@dataclass(frozen=True)
class StoredFile:
    id: str
    name: str
    size: int
    media_type: str
    created: float  # seconds since the epoch, UTC

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = root / "files"
        self.tmp = root / "tmp"

    def prepare(self) -> None:
        """Create the folders and sweep what a crashed or killed server left behind."""
        self.files.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STALE_TEMP_SECONDS
        for leftover in self.tmp.iterdir():
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    def new_temp(self) -> tuple[str, Path]:
        file_id = secrets.token_urlsafe(16)
        return file_id, self.tmp / f"{file_id}.part"

    def commit(self, file_id: str, temp: Path, name: str, media_type: str) -> StoredFile:
        stored = StoredFile(file_id, name, temp.stat().st_size, media_type, time.time())
        meta_temp = self.tmp / f"{file_id}.json.part"
        meta_temp.write_text(json.dumps(stored.to_json()), encoding="utf-8")
        os.replace(temp, self.files / file_id)
        os.replace(meta_temp, self.files / f"{file_id}.json")
        return stored

    def list(self) -> list[StoredFile]:
        """Every complete file, newest first."""
        found = []
        for meta in self.files.glob("*.json"):
            stored = self._read_meta(meta.stem)
            if stored is not None:
                found.append(stored)
        return sorted(found, key=lambda item: item.created, reverse=True)

    def find(self, file_id: str) -> tuple[StoredFile, Path] | None:
        stored = self._read_meta(file_id) if _ID.match(file_id) else None
        if stored is None:
            return None
        return stored, self.files / file_id

    def delete(self, file_id: str) -> bool:
        if self.find(file_id) is None:
            return False
        (self.files / f"{file_id}.json").unlink(missing_ok=True)  # out of the list first
        (self.files / file_id).unlink(missing_ok=True)
        return True

    def _read_meta(self, file_id: str) -> StoredFile | None:
        try:
            raw = json.loads((self.files / f"{file_id}.json").read_text(encoding="utf-8"))
            stored = StoredFile(**raw)
        except (OSError, ValueError, TypeError):
            return None
        return stored if (self.files / file_id).is_file() else None


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
