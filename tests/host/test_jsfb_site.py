"""The benchmarks' static server sends precompressed files as nginx's brotli_static/gzip_static
do, so the startup benchmark's bytes are what a deployed `framework build` sends."""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.jsfb.site import Site, accepted_encodings, serve

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
