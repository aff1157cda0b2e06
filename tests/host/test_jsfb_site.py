"""The benchmarks' static server sends precompressed files as nginx's brotli_static/gzip_static
do, so the startup benchmark's bytes are what a deployed `framework build` sends; and it serves
jsfb's own vanillajs-keyed, from a folder the user gives, for the floor check."""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.jsfb import site as site_module
from benchmarks.jsfb.site import (
    JSFB_VANILLA,
    JSFB_VANILLA_PATH,
    FloorCheckError,
    Site,
    accepted_encodings,
    build_floor_site,
    jsfb_vanilla_folder,
    page_path,
    serve,
)

BODY = b"console.log('ready');\n" * 50


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    (tmp_path / "app.js").write_bytes(BODY)
    (tmp_path / "app.js.gz").write_bytes(gzip.compress(BODY, mtime=0))
    (tmp_path / "app.js.br").write_bytes(b"pretend brotli")
    (tmp_path / "plain.js").write_bytes(BODY)
    served = serve(tmp_path)
    yield served
    served.stop()


def fetch(site: Site, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(site.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


@pytest.mark.parametrize(
    ("accept", "encoding", "body"),
    [
        ("gzip, deflate, br, zstd", "br", b"pretend brotli"),
        ("gzip, br;q=0", "gzip", gzip.compress(BODY, mtime=0)),
        ("identity", None, BODY),
        ("", None, BODY),
    ],
)
def test_a_precompressed_sibling_is_sent_when_accepted(
    site: Site, accept: str, encoding: str | None, body: bytes
) -> None:
    status, headers, received = fetch(site, "app.js", **{"Accept-Encoding": accept})
    assert status == 200
    assert headers.get("Content-Encoding") == encoding
    assert headers["Content-Type"] == "text/javascript"  # the file's own type, not gzip's
    assert headers["Vary"] == "Accept-Encoding"
    assert received == body
    assert site.traffic.sent_bytes > len(received)  # status line and headers counted too
    assert site.traffic.decoded_bytes == len(BODY)


def test_a_file_without_siblings_is_sent_as_is_and_revalidates(site: Site) -> None:
    status, headers, received = fetch(site, "plain.js", **{"Accept-Encoding": "br, gzip"})
    assert (status, received, "Content-Encoding" in headers, "Vary" in headers) == (
        200, BODY, False, False,
    )  # fmt: skip
    status, _, _ = fetch(site, "plain.js", **{"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    assert (site.traffic.responses, site.traffic.not_modified) == (2, 1)
    assert site.traffic.decoded_bytes == len(BODY)


def test_accepted_encodings_reads_quality_values() -> None:
    assert accepted_encodings("gzip;q=0.5, br;q=0, zstd") == {"gzip", "zstd"}


def write_jsfb_vanilla(folder: Path, script: str = "src/Main.js") -> Path:
    """A folder shaped like jsfb's published frameworks/keyed/vanillajs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"<body><script src='{script}'></script></body>")
    (folder / "src").mkdir()
    (folder / "src" / "Main.js").write_text("'use strict';\n")
    return folder


@pytest.mark.parametrize("given", [".", JSFB_VANILLA_PATH])
def test_the_floor_check_takes_a_jsfb_checkout_or_its_vanillajs_folder(
    tmp_path: Path, given: str
) -> None:
    folder = write_jsfb_vanilla(tmp_path / JSFB_VANILLA_PATH)
    assert jsfb_vanilla_folder(tmp_path / given) == folder


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("nothing", "no index.html"),
        ("unbuilt", "needs a build step"),
    ],
)
def test_the_floor_check_says_what_is_missing(tmp_path: Path, layout: str, message: str) -> None:
    if layout == "unbuilt":
        write_jsfb_vanilla(tmp_path, script="dist/main.js")
    with pytest.raises(FloorCheckError, match=message):
        jsfb_vanilla_folder(tmp_path)


def test_jsfb_vanilla_is_served_at_its_repository_path_next_to_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site_module, "bootstrap_dir", lambda: None)  # no npm in a unit test
    jsfb = write_jsfb_vanilla(tmp_path / "checkout" / JSFB_VANILLA_PATH)
    served = serve(build_floor_site(tmp_path / "site", tmp_path / "checkout"))
    try:
        for implementation, script in ((JSFB_VANILLA, "src/Main.js"), ("vanilla", "main.js")):
            status, _, body = fetch(served, page_path(implementation) + script)
            assert status == 200
            assert body
        assert (
            fetch(served, page_path(JSFB_VANILLA) + "src/Main.js")[2]
            == (jsfb / "src" / "Main.js").read_bytes()
        )
        assert fetch(served, "css/currentStyle.css")[0] == 200
    finally:
        served.stop()
