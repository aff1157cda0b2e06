"""A folder as a zip archive, and a zip archive in a folder's place: validated, all or nothing.

`export_zip` copies the folder's files in one synchronous call: Python in the page has one
thread, so no handler writes while it reads, and the archive is the folder at one moment.
`replace_folder` refuses an archive (ImportRefused, the folder untouched) unless every entry is
a plain file or folder inside the folder, within the limits (checked on the sizes the archive
declares, then on the bytes it actually decompresses to), and every SQLite database in it
passes `pragma integrity_check`. framework.files adds the save after it (docs/files.md), and
imports this module when first used: zipfile, sqlite3 and urllib.parse are not loaded at boot.

The archive is extracted to a temporary folder inside the folder, not beside it: a persistent
folder is a mount point, which cannot be renamed (EBUSY), and a rename from beside it would
cross file systems (EXDEV). The swap renames the old entries aside and the new ones in, and
puts the old back if a rename fails.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from framework.files import ExportRefused, ImportLimits, ImportRefused

__all__ = ["DATABASE_SUFFIXES", "export_zip", "replace_folder"]

SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
# Beside a database, a journal or write-ahead log that is not empty: a write transaction is
# open (the default rollback journal exists only while one is).
TRANSACTION_SUFFIXES = ("-journal", "-wal")
STAGING_PREFIX = ".framework-import-"
ASIDE_PREFIX = ".framework-replaced-"
CHUNK_BYTES = 1 << 16
MEGABYTE = 1_000_000  # as ImportLimits counts
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# -- export ------------------------------------------------------------------------------------


def export_zip(folder: str | os.PathLike[str]) -> bytes:
    """The folder's files and folders as a zip archive, in sorted order, paths relative to it.

    Raises ExportRefused if the folder holds a symbolic link (an import refuses them) or a
    SQLite database with a write transaction open (commit it first)."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder: nothing to export")
    entries = sorted(_entries(root))
    _refuse_open_transactions(root, entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in entries:
            _add(archive, root, name)
    return buffer.getvalue()


def _entries(root: Path) -> Iterator[str]:
    """Relative POSIX paths: folders end with "/"; a symbolic link is refused."""
    for top, folders, names in os.walk(root):
        for name in folders + names:
            path = Path(top, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                raise ExportRefused(
                    f"{relative} in {root} is a symbolic link, which an import refuses: "
                    "replace it with the file it points to, or remove it, then export"
                )
            yield f"{relative}/" if path.is_dir() else relative


def _refuse_open_transactions(root: Path, entries: list[str]) -> None:
    for name in entries:
        if _is_open_transaction(root / name):
            database = name.rsplit("-", 1)[0]
            raise ExportRefused(
                f"a write transaction is open on {database} in {root} ({name} is not empty): "
                "commit it (`with connection:` around the writes, or connection.commit()) "
                "before exporting"
            )


def _is_open_transaction(path: Path) -> bool:
    return path.name.endswith(TRANSACTION_SUFFIXES) and path.stat().st_size > 0


def _add(archive: zipfile.ZipFile, root: Path, name: str) -> None:
    path = root / name
    status = path.stat()
    info = zipfile.ZipInfo(name, date_time=_zip_time(status.st_mtime))
    info.external_attr = (stat.S_IMODE(status.st_mode) | stat.S_IFMT(status.st_mode)) << 16
    if name.endswith("/"):
        archive.writestr(info, b"")
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, path.read_bytes())


def _zip_time(timestamp: float) -> tuple[int, int, int, int, int, int]:
    year, month, day, hour, minute, second = time.gmtime(timestamp)[:6]
    return max((year, month, day, hour, minute, second), EARLIEST_ZIP_TIME)


# -- import ------------------------------------------------------------------------------------


def replace_folder(
    folder: str | os.PathLike[str], data: bytes, limits: ImportLimits | None = None
) -> None:
    """Put the archive's files in place of the folder's, or refuse (ImportRefused) and leave
    the folder as it was. An OSError during the swap puts the old files back and is raised."""
    root = Path(folder)
    with _opened(data) as archive:
        limits = limits or ImportLimits()
        members = _checked_members(archive, root, limits)
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            _extract(archive, members, staging, limits)
            _check_databases(staging, members)
            try:
                _swap_in(root, staging)
            except OSError as error:
                raise OSError(
                    error.errno,
                    f"the import could not replace the files of {root}, which are as they "
                    f"were: {error.strerror or error}",
                ) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _opened(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRefused(
            f"the file is not a zip archive ({error}): choose an archive exported from this "
            "app (files.export_zip)"
        ) from None


def _checked_members(
    archive: zipfile.ZipFile, root: Path, limits: ImportLimits
) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > limits.max_entries:
        raise ImportRefused(
            f"the archive has {len(members)} entries, over the limit of {limits.max_entries}: "
            "import a smaller archive, or raise max_entries"
        )
    seen: set[str] = set()
    declared = 0
    for member in members:
        name = _checked_name(member, root)
        if name in seen:
            raise ImportRefused(f"{name} is in the archive twice: export the folder again")
        seen.add(name)
        _check_size(member.filename, member.file_size, limits.max_file_bytes, "declares")
        declared += member.file_size
        _check_total(declared, limits.max_total_bytes, "declare")
    _refuse_files_used_as_folders(members)
    return members


def _checked_name(member: zipfile.ZipInfo, root: Path) -> str:
    name = member.filename
    escape = _escape(name)
    if escape is not None:
        raise ImportRefused(
            f"{name!r} is {escape}, which could write outside {root}: an archive for import "
            "holds paths relative to the folder only; export the folder again"
        )
    if stat.S_ISLNK(member.external_attr >> 16):
        raise ImportRefused(
            f"{name} is a symbolic link, which could point outside {root}: an archive for "
            "import holds plain files and folders only"
        )
    if member.flag_bits & 0x1:
        raise ImportRefused(f"{name} is encrypted: import an archive without a password")
    return name


def _escape(name: str) -> str | None:
    """Why the name could lead outside the folder, or None."""
    parts = name.removesuffix("/").split("/")
    if name.startswith(("/", "\\")) or name[1:2] == ":":
        return "an absolute path"
    if ".." in parts:
        return "a path with '..'"
    if "\\" in name or "\0" in name or any(part in ("", ".") for part in parts):
        return "a path with a backslash, a NUL or an empty or '.' part"
    return None


def _refuse_files_used_as_folders(members: list[zipfile.ZipInfo]) -> None:
    files = {member.filename for member in members if not member.is_dir()}
    for member in members:
        for parent in PurePosixPath(member.filename.rstrip("/")).parents:
            if str(parent) in files:
                raise ImportRefused(
                    f"{parent} is a file and also the folder of {member.filename}: "
                    "export the folder again"
                )


def _check_size(name: str, size: int, limit: int, how: str) -> None:
    if size > limit:
        raise ImportRefused(
            f"{name} {how} {size / MEGABYTE:.1f} MB, over the limit of "
            f"{limit / MEGABYTE:.1f} MB per file: import a smaller archive, or raise "
            "max_file_bytes"
        )


def _check_total(total: int, limit: int, how: str) -> None:
    if total > limit:
        raise ImportRefused(
            f"the archive's files {how} more than {limit / MEGABYTE:.1f} MB in all, over the "
            "limit: import a smaller archive, or raise max_total_bytes"
        )


def _extract(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    staging: Path,
    limits: ImportLimits,
) -> None:
    total = 0
    for member in members:
        target = staging / member.filename
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            total = _copy_out(archive, member, target, total, limits)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as error:
            raise ImportRefused(
                f"{member.filename} cannot be read from the archive ({error}): the archive "
                "is damaged or made by an unsupported tool; export the folder again"
            ) from None


def _copy_out(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    target: Path,
    total: int,
    limits: ImportLimits,
) -> int:
    """Decompress one file, counting its actual bytes against the limits (an archive can
    declare less than it holds). Returns the new total."""
    written = 0
    with archive.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(CHUNK_BYTES):
            written += len(chunk)
            total += len(chunk)
            _check_size(member.filename, written, limits.max_file_bytes, "decompresses to")
            _check_total(total, limits.max_total_bytes, "decompress to")
            sink.write(chunk)
    return total


def _check_databases(staging: Path, members: list[zipfile.ZipInfo]) -> None:
    extracted = [staging / member.filename for member in members if not member.is_dir()]
    # Journals first: opening a database beside an unfinished one would roll it back.
    for path in extracted:
        if _is_open_transaction(path):
            raise ImportRefused(
                f"{path.relative_to(staging).as_posix()} is an unfinished SQLite transaction: "
                "export the folder again after the app has committed"
            )
    for path in extracted:
        problem = _integrity_problem(path) if _is_database(path) else None
        if problem is not None:
            raise ImportRefused(
                f"{path.relative_to(staging).as_posix()} is not a sound SQLite database "
                f"({problem}): import an archive exported before it was damaged"
            )


def _is_database(path: Path) -> bool:
    if path.suffix.lower() in DATABASE_SUFFIXES:
        return True
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _integrity_problem(path: Path) -> str | None:
    """None if `pragma integrity_check` says ok; read-only, so the file stays as imported."""
    try:
        with closing(sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)) as db:
            found = [str(row[0]) for row in db.execute("pragma integrity_check")]
    except sqlite3.Error as error:
        return str(error)
    return None if found == ["ok"] else "; ".join(found[:3])


def _swap_in(root: Path, staging: Path) -> None:
    aside = Path(tempfile.mkdtemp(prefix=ASIDE_PREFIX, dir=root))
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in sorted(os.listdir(root)):
            if name not in (staging.name, aside.name):
                os.rename(root / name, aside / name)
                moved_out.append(name)
        for name in sorted(os.listdir(staging)):
            os.rename(staging / name, root / name)
            moved_in.append(name)
    except OSError:
        for name in reversed(moved_in):
            os.rename(root / name, staging / name)
        for name in reversed(moved_out):
            os.rename(aside / name, root / name)
        aside.rmdir()
        raise
    shutil.rmtree(aside)
