"""History-mode routes on the host: `framework serve` answers a route's URL with the page, and
`framework build` writes the fallback page and the host configs that do the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli import history
from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.errors import CliError
from framework.cli.server import create_app

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a page load sends
SECRET = "TOP-SECRET"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history") / "books"
    folder.mkdir()
    (folder / "main.py").write_text("print('books')\n")
    (folder / "style.css").write_text("body { margin: 0 }\n")
    (folder / "pyscript.toml").write_text(
        f'name = "books"\n# {SECRET}\n[framework]\nstylesheets = ["style.css"]\n'
    )
    (folder / ".env").write_text(f"TOKEN={SECRET}\n")
    return folder


@pytest.fixture(scope="module")
def client(app: Path) -> Iterator[TestClient]:
    with TestClient(create_app(app.name, cwd=app.parent, live_reload=False)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/book/7", "/book/7?tab=notes", "/a/b/c", "/.env"])
def test_serve_answers_a_page_load_of_a_route_with_the_page(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    text = response.text
    assert "./_framework/" not in text  # every framework URL absolute: it boots at any depth
    assert 'src="/_framework/boot.js"' in text
    assert SECRET not in text


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/book/7", {"accept": "*/*"}),  # a fetch(), not a page load
        ("/missing.png", {"accept": "image/avif,image/webp,*/*"}),
        ("/_framework/missing/file.js", HTML),
        ("/api/books", HTML),  # no server.py API here: the path stays the API's
    ],
)
def test_serve_keeps_404_for_what_is_no_page_load(
    client: TestClient, path: str, headers: dict[str, str]
) -> None:
    assert client.get(path, headers=headers).status_code == 404


def test_serve_still_serves_the_apps_files(client: TestClient) -> None:
    response = client.get("/style.css", headers=HTML)
    assert response.text == "body { margin: 0 }\n"


@pytest.mark.parametrize(
    ("page", "base", "expected"),
    [
        ('<script src="./_framework/boot.js">', "/", '<script src="/_framework/boot.js">'),
        (
            '<link href="./style.css"><img src=\'./logo.svg\'>{"app":"./_framework/app.zip"}',
            "/app/",
            '<link href="/app/style.css"><img src=\'/app/logo.svg\'>{"app":"/app/_framework/app.zip"}',
        ),
        ("config=&quot;./_framework/x&quot;", "/", "config=&quot;/_framework/x&quot;"),
        ('<a href="../_framework/x"><a href="https://x/./y">', "/", None),
        ('<a href="#top">./_framework is a folder</a>', "/", None),
    ],
    ids=["root", "sub-path", "escaped-json", "not-ours", "text"],
)
def test_the_fallback_page_boots_at_any_depth(page: str, base: str, expected: str | None) -> None:
    assert history.fallback_page(page, base) == (page if expected is None else expected)


@pytest.mark.parametrize(
    ("path", "page"),
    [("book/7", True), ("", True), ("api", False), ("api/books", False), ("_framework/x", False)],
)
def test_which_paths_may_get_the_page(path: str, page: bool) -> None:
    assert history.is_page_route(path) is page


@pytest.mark.parametrize("base", ["app", "/app", "app/", "//"])
def test_a_base_must_be_a_folder_path(base: str) -> None:
    with pytest.raises(ValueError, match="must start and end with '/'"):
        history.check_base(base)


@pytest.mark.parametrize("base", ["/", "/shelf/"])
def test_build_writes_the_fallback_page_and_the_host_configs(
    app: Path, tmp_path: Path, base: str
) -> None:
    output = tmp_path / "dist"
    build(find_app(str(app), app.parent), output, base=base)
    fallback = (output / "404.html").read_text()
    for url in re.findall(r'src="([^"]+)"', fallback):
        assert url.startswith(f"{base}_framework/"), url
        assert (output / url.removeprefix(base)).is_file(), url
    assert f'href="{base}style.css"' in fallback
    assert (output / "_redirects").read_text().splitlines()[1:] == [
        f"{base}_framework/*  {base}404.html  404",
        f"{base}*  {base}404.html  200",
    ]
    nginx = (output / "_framework/hosting/nginx.conf").read_text()
    assert f"try_files $uri $uri/ {base}404.html;" in nginx
    assert "./_framework/" in (output / "index.html").read_text(), "index.html stays portable"


def test_build_refuses_a_base_that_is_no_folder_path(app: Path, tmp_path: Path) -> None:
    with pytest.raises(CliError, match="must start and end with '/'"):
        build(find_app(str(app), app.parent), tmp_path / "dist", base="shelf")
