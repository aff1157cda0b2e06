"""The nginx snippets a build writes (framework/cli/nginx_config.py), on Debian's real nginx:
`nginx -t` accepts them, and nginx sends every file with exactly the headers of the build's
`_headers` rules, its precompressed copies, and the page for a route's URL, at the root and
under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from framework.cli import headers, nginx_config
from framework.cli.headers import Rule
from tests.e2e import nginx_host
from tests.host.hosting_site import check_served_as_the_rules_say, fetch, make_site

BASES = ["/", "/apps/todo/"]
Site = tuple[Path, list[Rule], str]  # the build folder, its rules, its base


@pytest.fixture(scope="module", params=BASES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    base: str = request.param
    folder = tmp_path_factory.mktemp("site") / "dist"
    return folder, make_site(folder, base), base


@pytest.fixture(scope="module")
def served(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[nginx_host.NginxHost]:
    folder, _, base = site
    with nginx_host.nginx_serving(folder, tmp_path_factory.mktemp("nginx"), base) as host:
        yield host


@pytest.mark.parametrize("snippet", [nginx_config.SNIPPET, nginx_config.GZIP_ONLY_SNIPPET])
def test_nginx_accepts_both_snippets(site: Site, tmp_path: Path, snippet: str) -> None:
    folder, _, base = site
    if snippet == nginx_config.SNIPPET and not nginx_host.brotli_available():
        pytest.skip("nginx's brotli_static module is not installed (tasks.py installs it)")
    config = nginx_host.write_config(folder, tmp_path, nginx_host.free_port(), base, snippet)
    for kind in nginx_host.TEMP_KINDS:
        (tmp_path / kind).mkdir()
    assert "test is successful" in nginx_host.check_config(config, tmp_path)


def test_nginx_sends_what_the_headers_file_says(site: Site, served: nginx_host.NginxHost) -> None:
    folder, rules, base = site
    if not nginx_host.brotli_available():
        pytest.skip("nginx's brotli_static module is not installed (tasks.py installs it)")
    check_served_as_the_rules_say(served.url, folder, rules, base)
    if base != "/":  # only the site, under its base
        assert fetch(f"http://127.0.0.1:{served.port}/index.html")[0] == 404


def test_every_location_sends_the_security_headers_again(
    site: Site,
) -> None:
    """nginx drops a server's add_header in any location that has its own: each must repeat
    them (the served test above checks files; this checks every location, 404s included)."""
    folder, _, _ = site
    text = (folder / nginx_config.SNIPPET).read_text()
    blocks = text.split("\nlocation ")[1:]
    assert len(blocks) > 10
    for block in blocks:
        for name, _ in headers.SECURITY_HEADERS:
            assert f"add_header {name} " in block, block
        assert "add_header Content-Security-Policy " in block, block


def test_a_name_nginx_cannot_hold_is_refused() -> None:
    rules = [Rule("/*", ()), Rule('/a"b.css', (("Cache-Control", "no-cache"),))]
    with pytest.raises(ValueError, match="cannot be served by nginx"):
        nginx_config.snippet(rules, ['a"b.css'], "/")
