"""The TO-DO app deployed as docs/deploy.md says: `framework build --base /apps/todo/`, served
under that sub-path by Debian's real nginx with the snippet the build wrote. One build and one
nginx for the module (a build of the TO-DO app takes most of a minute here).

What a visitor's browser gets: the production headers (the hash-based CSP, `application/wasm`,
brotli for the big files, immutable caching only where a URL names its content), and an app
that boots and is used under that policy with no violation, from its page and from a route's
URL (the fallback page), its service worker included.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Response, expect

from framework.cli import headers
from tests.e2e.conftest import AppPage
from tests.e2e.nginx_host import NginxHost, nginx_serving, require_nginx
from tests.e2e.todo_pages import TODO_APP, Todos

BASE = "/apps/todo/"
ACTIVE_WORKER_SCOPE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  return registration?.active ? registration.scope : null;
}"""
WASM = "_framework/runtime/pyodide@314.0.7/pyodide.asm.wasm"
# Every `securitypolicyviolation` of the page, from before its first script runs.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_nginx()
    output = tmp_path_factory.mktemp("deploy") / "dist"
    command = [sys.executable, "-m", "framework", "build", str(TODO_APP), "-o", str(output)]
    done = subprocess.run([*command, "--base", BASE], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return output


@pytest.fixture(scope="module")
def nginx(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxHost]:
    with nginx_serving(built, tmp_path_factory.mktemp("nginx"), base=BASE) as host:
        yield host


def head(url: str, accept_encoding: str = "br, gzip") -> Message:
    request = urllib.request.Request(
        url, method="HEAD", headers={"Accept-Encoding": accept_encoding}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        sent: Message = response.headers
        return sent


def test_nginx_sends_the_production_headers(built: Path, nginx: NginxHost) -> None:
    page = head(nginx.url)
    policy = page["Content-Security-Policy"]
    assert policy.startswith("script-src 'self' 'sha256-"), policy
    assert "require-trusted-types-for 'script'" in policy
    assert page["Cache-Control"] == "no-cache"

    wasm = head(nginx.url + WASM)
    assert wasm["Content-Type"] == "application/wasm"
    assert wasm["Content-Encoding"] == "br"
    assert head(nginx.url + WASM, "gzip")["Content-Encoding"] == "gzip"
    assert head(nginx.url + WASM, "identity")["Content-Encoding"] is None
    assert "Accept-Encoding" in wasm["Vary"]

    cached_for_ever = []
    for relative in headers.site_files(built):
        sent = head(nginx.url + urllib.request.pathname2url(relative))
        if sent["Cache-Control"] == headers.IMMUTABLE:
            cached_for_ever.append(relative)
        else:
            assert sent["Cache-Control"] == "no-cache", relative
        big = (built / relative).stat().st_size > 100_000
        if big and not relative.endswith((".whl", ".zip")):  # those two are deflated already
            assert sent["Content-Encoding"] == "br", relative
    assert cached_for_ever == [name for name in headers.site_files(built) if is_named(name)]
    assert any(name.startswith("_framework/snapshot/") for name in cached_for_ever)
    for never in ("index.html", "404.html", "sw.js", "manifest.webmanifest", "_framework/app.zip"):
        assert never not in cached_for_ever
    assert head(nginx.url + "manifest.webmanifest")["Content-Type"] == "application/manifest+json"


def is_named(relative: str) -> bool:
    """A URL that names its content: a pinned runtime version, a wheel's version, a digest."""
    return relative.startswith(
        ("_framework/runtime/", "_framework/wheels/", "_framework/snapshot/")
    )


@pytest.fixture(scope="module")
def watched(module_page: AppPage) -> AppPage:
    module_page.page.add_init_script(WATCH_VIOLATIONS)
    return module_page


def open_page(app: AppPage, url: str) -> Response:
    response = app.page.goto(url)
    assert response is not None
    app.wait_settled()
    assert app.ready, app.diagnostics()
    return response


def expect_no_violation(app: AppPage) -> None:
    assert app.page.evaluate("window.__violations") == [], app.diagnostics()
    errors = [line for line in app.console if line.startswith("error")]
    assert errors == [], app.diagnostics()


def test_the_app_boots_and_is_used_under_the_policy(nginx: NginxHost, watched: AppPage) -> None:
    compressed: dict[str, str | None] = {}
    watched.page.on(
        "response",
        lambda response: compressed.__setitem__(
            response.url, response.headers.get("content-encoding")
        ),
    )
    response = open_page(watched, nginx.url)
    assert "content-security-policy" in response.headers  # Playwright's names are lower case
    todos = Todos(watched.page)
    todos.add("deployed", "on nginx")
    todos.item(0).locator("input.toggle").check()
    expect(todos.item(0)).to_have_class("completed")
    expect(todos.count).to_contain_text("1")
    expect_no_violation(watched)
    snapshot = [url for url in compressed if "/_framework/snapshot/" in url]
    assert snapshot and compressed[snapshot[0]] == "br"
    assert compressed[nginx.url + WASM] == "br"

    # A route's URL under the sub-path: nginx answers with the fallback page, which boots
    # with the same policy (its own inline scripts hashed too) and the stored todos.
    open_page(watched, nginx.url + "some/route")
    expect(todos.items).to_have_text(["deployed", "on nginx"])
    expect_no_violation(watched)


def test_the_service_worker_runs_under_the_policy(nginx: NginxHost, watched: AppPage) -> None:
    """The worker gets the site's policy too (a host's `_headers` cannot give it another): its
    importScripts are script URLs under Trusted Types, which it must vouch for itself."""
    if not watched.page.url.startswith(nginx.url):
        open_page(watched, nginx.url)
    deadline = time.monotonic() + 10
    scope: str | None = None
    failures: list[str] = []
    while scope is None and not failures and time.monotonic() < deadline:
        scope = watched.page.evaluate(ACTIVE_WORKER_SCOPE)
        failures = [line for line in watched.console if "service worker" in line.lower()]
        watched.page.wait_for_timeout(100)
    assert scope == nginx.url, (
        "the service worker did not run under the site's policy: its importScripts(url) needs a "
        "Trusted Types `default` policy in sw.js whose createScriptURL passes its own same-origin "
        "imports (`trusted-types ... default` allows that name)\n"
        + ("\n".join(failures) or watched.diagnostics())
    )
    expect_no_violation(watched)
