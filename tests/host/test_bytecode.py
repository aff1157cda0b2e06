"""framework.cli.bytecode: archives compiled by the real Pyodide under Node, cached, and served
unchanged (with one warning) when compiling cannot run."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest

from framework.cli import bytecode

SOURCES = {
    "pkg/__init__.py": b"VALUE = 1\n",
    "pkg/mod.py": b"def double(x):\n    return 2 * x\n",
    "pkg/old.py": b"print 'python 2'\n",  # does not compile: stays source only
    "pkg/data.txt": b"not python\n",
}
RECORD = "pkg-1.0.dist-info/RECORD"


def make_wheel() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in SOURCES.items():
            archive.writestr(name, data)
        archive.writestr(RECORD, "".join(f"{name},,\n" for name in SOURCES))
    return buffer.getvalue()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A compiled-archive cache of the test's own; the runtime (Pyodide) is the real one."""
    folder = tmp_path / "compiled"
    monkeypatch.setattr(bytecode, "compiled_dir", lambda: folder)
    monkeypatch.setattr(bytecode, "_warned", set())
    return folder


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One real compile for the tests that only read its result (Pyodide takes seconds)."""
    folder = tmp_path_factory.mktemp("compiled")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bytecode, "compiled_dir", lambda: folder)
        (data,) = bytecode.with_bytecode(
            [bytecode.Archive("pkg-1.0-py3-none-any.whl", make_wheel())]
        )
    return entries(data)


def test_each_module_that_compiles_gets_a_pyc_beside_it(compiled: dict[str, bytes]) -> None:
    pycs = sorted(name for name in compiled if name.endswith(".pyc"))
    assert pycs == [
        "pkg/__pycache__/__init__.cpython-314.pyc",
        "pkg/__pycache__/mod.cpython-314.pyc",
    ]
    assert {name: compiled[name] for name in SOURCES} == SOURCES  # the sources stay, unchanged


def test_the_pycs_are_unchecked_hash_for_python_3_14(compiled: dict[str, bytes]) -> None:
    header = compiled["pkg/__pycache__/mod.cpython-314.pyc"][:16]
    assert int.from_bytes(header[4:8], "little") == 1  # PEP 552: hash-based, source not checked
    magic = int.from_bytes(header[:2], "little")
    assert 3600 <= magic < 3700  # CPython 3.14's magic numbers, whatever the host runs
    assert header[:4] != importlib.util.MAGIC_NUMBER  # not the host's own bytecode


def test_record_lists_each_pyc_with_its_hash(compiled: dict[str, bytes]) -> None:
    lines = compiled[RECORD].decode().splitlines()
    for name in ("pkg/__pycache__/__init__.cpython-314.pyc", "pkg/__pycache__/mod.cpython-314.pyc"):
        data = compiled[name]
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert f"{name},sha256={digest},{len(data)}" in lines


def test_a_compiled_archive_is_reused_without_running_node_again(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = bytecode.Archive("pkg-1.0-py3-none-any.whl", make_wheel())
    (first,) = bytecode.with_bytecode([archive])
    monkeypatch.setenv("FRAMEWORK_NODE", "/nonexistent/node")  # compiling again would fail
    (again,) = bytecode.with_bytecode([archive])
    assert again == first != archive.data
    assert [p.name for p in own_cache.iterdir()] == [bytecode.cache_path(archive).name]


def test_without_node_the_archive_is_served_as_it_is_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRAMEWORK_NODE", "/nonexistent/node")
    archive = bytecode.Archive("pkg-1.0-py3-none-any.whl", make_wheel())
    assert bytecode.with_bytecode([archive]) == [archive.data]
    assert bytecode.with_bytecode([archive]) == [archive.data]
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "without bytecode" in warnings[0] and "/nonexistent/node" in warnings[0]


def test_a_damaged_cached_copy_is_compiled_again() -> None:
    archive = bytecode.Archive("pkg-1.0-py3-none-any.whl", make_wheel())
    (first,) = bytecode.with_bytecode([archive])
    cached = bytecode.cache_path(archive)
    cached.write_bytes(first[: len(first) // 2])  # a disk or a copy that went wrong
    (again,) = bytecode.with_bytecode([archive])
    assert again == first


def test_a_wheel_file_is_served_from_the_cache_once_compiled(tmp_path: Path) -> None:
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    wheel.write_bytes(make_wheel())
    served = bytecode.wheel_with_bytecode(wheel)
    assert served != wheel
    assert "pkg/__pycache__/mod.cpython-314.pyc" in entries(served.read_bytes())
