"""Compressed copies: beside every downloaded file of a build, and from `framework serve` in the
coding the request accepts; either way they decompress to the file's own bytes."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from starlette.testclient import TestClient

from framework.cli import assets, compress, page
from framework.cli.app import find_app
from framework.cli.build import _is_lazy, build
from framework.cli.server import create_app

DECODE = {".br": brotli.decompress, ".gz": gzip.decompress}


@pytest.fixture(scope="module")
def built(app_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRAMEWORK_NO_SNAPSHOT", "1")  # the snapshot's own tests: test_snapshot.py
        output = tmp_path_factory.mktemp("out") / "dist"
        build(find_app(str(app_dir)), output)
    return output


def test_every_downloaded_runtime_file_has_br_and_gz_that_decompress_to_it(built: Path) -> None:
    runtime = [
        path
        for path in (built / page.PREFIX).rglob("*")
        if path.is_file()
        and path.suffix not in DECODE
        and not _is_lazy(path.as_posix())
        and "hosting" not in path.parts  # the host's own config: never served
    ]
    big = [
        path
        for path in runtime
        if path.stat().st_size >= compress.MIN_BYTES
        and not path.name.endswith(compress.SKIPPED_SUFFIXES)  # a PNG icon: compressed already
    ]
    assert any(path.name == "pyodide.asm.wasm" for path in big)
    for path in [*big, built / page.APP_ZIP, built / "index.html"]:
        for suffix, decode in DECODE.items():
            sibling = path.with_name(path.name + suffix)
            if path.suffix in (".whl", ".zip") and not sibling.exists():
                continue  # already deflated: a copy is written only when it is smaller
            assert decode(sibling.read_bytes()) == path.read_bytes(), sibling


def test_the_wasm_is_at_least_a_third_smaller_in_brotli(built: Path) -> None:
    (wasm,) = built.rglob("pyodide.asm.wasm")
    assert wasm.with_name(wasm.name + ".br").stat().st_size < wasm.stat().st_size * 2 / 3


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
def test_the_coding_chosen_is_the_best_the_client_accepts(accept: str, coding: str | None) -> None:
    assert compress.best_coding(accept, ("br", "gzip")) == coding


@pytest.fixture(scope="module")
def client(app_dir: Path) -> TestClient:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRAMEWORK_NO_SNAPSHOT", "1")
        return TestClient(create_app(str(app_dir), live_reload=False))


@pytest.mark.parametrize(("accept", "coding"), [("br", "br"), ("gzip", "gzip"), ("", None)])
def test_serve_sends_runtime_files_in_the_accepted_coding(
    client: TestClient, accept: str, coding: str | None
) -> None:
    url = "/" + page.runtime_url("pyodide", "pyodide-lock.json")
    response = client.get(url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == coding
    assert response.headers["vary"] == "Accept-Encoding"
    assert "immutable" in response.headers["cache-control"]
    # httpx decodes the body as the browser does: the file's own bytes either way
    assert response.content == (assets.npm_root() / "pyodide" / "pyodide-lock.json").read_bytes()


def test_serve_sends_the_wasm_as_application_wasm_cacheable_for_the_code_cache(
    client: TestClient,
) -> None:
    """V8 keeps compiled wasm between visits only for a streamed compile of an application/wasm
    response from the HTTP cache: immutable caching lets a returning visit reuse it."""
    url = "/" + page.runtime_url("pyodide", "pyodide.asm.wasm")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-type"] == "application/wasm"
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
