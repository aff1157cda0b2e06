"""`framework preview DIR` (framework/cli/preview.py), run as a user runs it and asked over real
HTTP: every file with exactly the headers of the build's `_headers`, its precompressed copies by
Accept-Encoding, the page for a route's URL, at the root and under a sub-path; a folder that is
no build is refused with what to do."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.cli.headers import Rule
from framework.cli.main import main
from tests.e2e.nginx_host import free_port
from tests.host.hosting_site import check_served_as_the_rules_say, fetch, make_site


@pytest.fixture(scope="module", params=["/", "/apps/todo/"])
def previewed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, list[Rule], str]]:
    base: str = request.param
    folder = tmp_path_factory.mktemp("site") / "dist"
    rules = make_site(folder, base)
    port = free_port()
    command = [sys.executable, "-m", "framework", "preview", str(folder), "--port", str(port)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}{base}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "framework preview did not answer"
                time.sleep(0.1)
        yield url, folder, rules, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_preview_sends_what_the_headers_file_says(
    previewed: tuple[str, Path, list[Rule], str],
) -> None:
    url, folder, rules, base = previewed
    check_served_as_the_rules_say(url, folder, rules, base)
    if base != "/":  # only the site, under its base
        assert fetch(url.removesuffix(base) + "/index.html")[0] == 404


def test_preview_refuses_a_folder_that_is_no_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text("<p>hello</p>")
    assert main(["preview", str(tmp_path), "--port", str(free_port())]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path} has no _headers file" in error
    assert f"run `framework build -o {tmp_path}`" in error


def test_preview_refuses_a_damaged_headers_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "_headers").write_text("/*\n  X-Content-Type-Options: nosniff\nbroken line\n")
    assert main(["preview", str(tmp_path)]) == 2
    assert "_headers:3: 'broken line' is neither a path" in capsys.readouterr().err
