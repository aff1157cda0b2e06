"""History-mode routes in Chromium: a deep link to /book/7 loads that page with its title, under
`framework serve` and under a real nginx serving `framework build` with the config the build
generated; links, back and forward move between pages without a page load, and leaving a page
restores the title it set."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import APPS, AppPage, ServeApp, build_app
from tests.e2e.nginx_host import NginxHost, nginx_serving, require_nginx

APP = APPS / "history"


@pytest.fixture(scope="module")
def nginx_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxHost]:
    """`framework build` of the app, behind nginx with the generated config."""
    require_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    build_app(APP, folder / "dist")
    with nginx_serving(folder / "dist", folder) as host:
        yield host


def expect_page(app: AppPage, path: str, heading: str, title: str) -> None:
    expect(app.page.locator("h1")).to_have_text(heading)
    expect(app.page).to_have_title(title)
    assert app.page.evaluate("location.pathname") == path


def test_a_deep_link_under_serve_then_links_back_and_forward(
    served_app: ServeApp, module_page: AppPage
) -> None:
    server = served_app(APP)
    module_page.open(server.url + "book/7")
    assert module_page.ready, module_page.diagnostics()
    expect_page(module_page, "/book/7", "Book 7", "Book 7")
    description = module_page.page.locator('meta[name="description"]')
    expect(description).to_have_attribute("content", "About book 7")
    module_page.page.evaluate("window.sameDocument = true")  # gone if a link loaded a page

    module_page.page.click("#next")
    expect_page(module_page, "/book/8", "Book 8", "Book 8")
    module_page.page.click("#home")
    expect_page(module_page, "/", "Books", "Library")  # leaving the book restores the title
    expect(description).to_have_count(0)
    module_page.page.go_back()
    expect_page(module_page, "/book/8", "Book 8", "Book 8")
    module_page.page.go_back()
    expect_page(module_page, "/book/7", "Book 7", "Book 7")
    module_page.page.go_forward()
    expect_page(module_page, "/book/8", "Book 8", "Book 8")
    assert module_page.page.evaluate("window.sameDocument") is True
    assert module_page.error is None, module_page.diagnostics()


def test_a_deep_link_to_the_build_behind_nginx(
    nginx_build: NginxHost, module_page: AppPage
) -> None:
    module_page.open(nginx_build.url + "book/7")
    assert module_page.ready, module_page.diagnostics() + nginx_build.error_log()
    expect_page(module_page, "/book/7", "Book 7", "Book 7")
    module_page.page.click("#home")
    expect_page(module_page, "/", "Books", "Library")
    module_page.page.go_back()
    expect_page(module_page, "/book/7", "Book 7", "Book 7")
    assert module_page.error is None, module_page.diagnostics()


def test_nginx_answers_a_missing_framework_file_with_404(nginx_build: NginxHost) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(nginx_build.url + "_framework/nothing.js", timeout=5)
    assert raised.value.code == 404
