"""Runs INSIDE Pyodide (`pyodide_compile.mjs`): adds each module's bytecode to zip archives.

Standard library only: this is Python 3.14 in WebAssembly, the page's own interpreter, so the
bytecode and its magic number are exactly what the page's importer expects.

For each job `{"source": path, "target": path}` it writes a copy of the archive (a wheel or
the app's zip) in which every `.py` that compiles has `__pycache__/<module>.cpython-314.pyc`
beside it. The pycs are unchecked-hash (PEP 552): the importer loads them without comparing
the source's timestamp, which after unpacking is the install time, not the build's. A wheel's
RECORD lists the new files with their hashes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import marshal
import zipfile

# PEP 552 flags: bit 0 = hash-based, bit 1 = check the source. Hash-based, never checked.
UNCHECKED_HASH = (1).to_bytes(4, "little")
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same input gives the same bytes


def pyc_bytes(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    header = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH + importlib.util.source_hash(source)
    return header + marshal.dumps(code)


def record_line(name: str, data: bytes) -> bytes:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n".encode()


def compile_archive(data: bytes) -> bytes:
    """The archive with bytecode added. A module that does not compile here (another Python's
    syntax) is left as source, as the importer would."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    added: list[tuple[str, bytes]] = []
    record: zipfile.ZipInfo | None = None
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.endswith(".dist-info/RECORD"):
                record = info  # written last, with the new files
                continue
            content = source.read(info)
            target.writestr(info, content)
            if not info.filename.endswith(".py"):
                continue
            try:
                compiled = pyc_bytes(content, info.filename)
            except (SyntaxError, ValueError):
                continue
            name = importlib.util.cache_from_source(info.filename)
            entry = zipfile.ZipInfo(name, date_time=EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, compiled)
            added.append((name, compiled))
        if record is not None:
            lines = source.read(record) + b"".join(record_line(n, d) for n, d in added)
            target.writestr(record, lines)
    return out.getvalue()


def main(config_json: str) -> None:
    """Run every job: read each source archive, write its compiled copy to the target."""
    for job in json.loads(config_json)["jobs"]:
        with open(job["source"], "rb") as stream:
            compiled = compile_archive(stream.read())
        with open(job["target"], "wb") as stream:
            stream.write(compiled)
