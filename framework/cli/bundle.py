"""What the browser loads besides the runtime: the framework as a wheel and the app as a zip.

Both are built in memory from the source folders, deterministically (fixed timestamps, sorted
names), so the same source gives the same bytes and the same ETag. The framework wheel leaves out
`framework/cli/` and `framework/server/` (host-side code is never shipped to the browser).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import framework
from framework.cli.app import App

FRAMEWORK_ROOT = Path(framework.__file__).parent
HOST_ONLY = ("cli", "server")  # the CLI and dev server; the sync server
BROWSER_SUFFIXES = (".py", ".json")
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Bundle:
    filename: str
    data: bytes

    @property
    def etag(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:32]


def framework_wheel_name() -> str:
    return f"framework-{framework.__version__}-py3-none-any.whl"


def browser_sources() -> list[Path]:
    """The framework's files that the browser's Python needs (its modules, and data they read
    such as dom/protocol.json), relative to the package folder."""
    return sorted(
        path.relative_to(FRAMEWORK_ROOT)
        for path in FRAMEWORK_ROOT.rglob("*")
        if path.suffix in BROWSER_SUFFIXES
        and path.relative_to(FRAMEWORK_ROOT).parts[0] not in HOST_ONLY
        and "__pycache__" not in path.parts
    )


def source_stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """A cheap fingerprint (name, size, mtime) to know when to rebuild."""
    return tuple((str(path), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in paths)


def files_digest(files: list[tuple[str, Path]], salt: str = "") -> str:
    """One sha256 of `salt` and each file's label and content, in order. The dev server asks
    for it on every page, so the files are read again only when one's size or time changes."""
    labelled = tuple(files)
    return _files_digest(salt, labelled, source_stamp([path for _, path in labelled]))


@functools.lru_cache(maxsize=16)  # a few callers, each keeping its latest digest or two
def _files_digest(salt: str, files: tuple[tuple[str, Path], ...], stamp: object) -> str:
    digest = hashlib.sha256(salt.encode())
    for label, path in files:
        digest.update(f"\0{label}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_framework_wheel() -> Bundle:
    dist_info = f"framework-{framework.__version__}.dist-info"
    entries = [
        (f"framework/{rel.as_posix()}", (FRAMEWORK_ROOT / rel).read_bytes())
        for rel in browser_sources()
    ]
    entries.append((f"{dist_info}/METADATA", _metadata().encode()))
    entries.append((f"{dist_info}/WHEEL", _wheel_file().encode()))
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    return Bundle(framework_wheel_name(), _zip(entries))


def build_app_zip(app: App) -> Bundle:
    """The app's files, but the lazy routes' modules: their first visit fetches them."""
    from framework.cli.lazy_modules import left_out  # it reads this module's source_stamp

    later = left_out(app)
    files = [rel for rel in app.modules() if rel.as_posix() not in later]
    entries = [(rel.as_posix(), (app.root / rel).read_bytes()) for rel in files]
    return Bundle("app.zip", _zip(entries))


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _metadata() -> str:
    return (
        "Metadata-Version: 2.1\n"
        "Name: framework\n"
        f"Version: {framework.__version__}\n"
        "Summary: Browser part of the framework (no CLI).\n"
    )


def _wheel_file() -> str:
    return "Wheel-Version: 1.0\nGenerator: framework\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
