"""The built TO-DO app offline and updated, in Chromium, behind a plain static server and behind
nginx with the generated config (docs/offline.md): after one visit the service worker answers,
a reload offline boots with the stored todos, Chromium finds the app installable; a second build
deployed over the first waits until the user accepts it, and then runs on its own files only.
And `framework serve` on the origin of a build removes the build's worker.

One persistent browser profile for the module (an incognito context is never installable); one
page per host, its tests in order: each continues where the previous one left the page.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, BrowserType, Page, Request, Response, expect

from tests.e2e.conftest import (
    BOOT_TIMEOUT_MS,
    SETTLED,
    Server,
    StaticServe,
    build_app,
    free_port,
    start_server,
)
from tests.e2e.nginx_host import nginx_serving, require_nginx

ROOT = Path(__file__).resolve().parents[2]
TODO = ROOT / "apps" / "todo"
TITLE = "framework • TodoMVC"
NEW_TITLE = "framework • TodoMVC, build 2"
WORKER_ACTIVE = """async () => {
  const activated = (async () => {
    const worker = (await navigator.serviceWorker.ready).active;
    if (worker.state !== "activated") {
      await new Promise((done) => worker.addEventListener("statechange", () =>
        worker.state === "activated" && done()));
    }
    return worker.scriptURL;
  })();
  const late = new Promise((_, fail) => setTimeout(() =>
    fail(new Error("the service worker did not activate within 60 s")), 60000));
  return Promise.race([activated, late]);
}"""
PRECACHED = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("framework-precache"));
  const keys = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) keys.push(request.url);
  }
  return { names, keys };
}"""


@dataclass(frozen=True)
class Builds:
    first: Path
    second: Path

    def precache(self, build: Path) -> dict[str, str | None]:
        """url -> revision, from the build's sw.js."""
        body = re.findall(r"const PRECACHE = \[\n(.*?)\n\];", (build / "sw.js").read_text(), re.S)
        return {e["url"]: e["revision"] for e in json.loads(f"[{body[0]}]")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """The TO-DO app built, and built again after a change: its title and a module."""
    root = tmp_path_factory.mktemp("offline")
    build_app(TODO, root / "build1")
    build_app(changed_todo(root), root / "build2")
    return Builds(root / "build1", root / "build2")


def changed_todo(root: Path) -> Path:
    """A copy of the TO-DO app under root with its title and one module changed (build 2; also
    benchmarks/returning_visit.py's)."""
    changed = root / "todo"
    shutil.copytree(TODO, changed, ignore=shutil.ignore_patterns("__pycache__", "tests", "dist"))
    config = changed / "pyscript.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(TITLE, NEW_TITLE), "utf-8")
    with (changed / "model.py").open("a", encoding="utf-8") as module:
        module.write("# build 2\n")
    return changed


@pytest.fixture(scope="module")
def context(
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("profile")
    persistent = browser_type.launch_persistent_context(str(profile), **browser_type_launch_args)
    yield persistent
    persistent.close()


@dataclass
class Site:
    """A build served from `folder` at `url`, and the page that visits it."""

    folder: Path
    url: str
    page: Page
    fetched: list[str] = field(default_factory=list)  # what reached the network, by URL
    console: list[str] = field(default_factory=list)

    def deploy(self, build: Path) -> None:
        """Put a build in place of the served one, as a deploy copies it."""
        for child in self.folder.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(build, self.folder, dirs_exist_ok=True)

    def wait_settled(self) -> None:
        self.page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
        assert self.page.get_attribute("html", "data-error") is None, "\n".join(self.console)

    def relative(self, url: str) -> str:
        return url.removeprefix(self.url).split("?")[0] or "index.html"


def record_network(site: Site, context: BrowserContext) -> None:
    """The requests the network answered (not the worker), the worker's own included."""

    def finished(request: Request) -> None:
        response = request.response() if request.url.startswith(site.url) else None
        if response is not None and not response.from_service_worker:
            site.fetched.append(site.relative(request.url))

    context.on("requestfinished", finished)
    site.page.on("console", lambda message: site.console.append(f"{message.type}: {message.text}"))
    site.page.on("requestfailed", lambda request: site.console.append(f"failed: {request.url}"))


@pytest.fixture(scope="module", params=["static server", "nginx"])
def site(
    request: pytest.FixtureRequest,
    builds: Builds,
    context: BrowserContext,
    static_server: StaticServe,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("site")
    folder = work / "site"
    shutil.copytree(builds.first, folder)
    page = context.new_page()
    if request.param == "static server":
        site = Site(folder, static_server(folder).url, page)
        record_network(site, context)
        yield site
    else:
        require_nginx()
        with nginx_serving(folder, work) as host:
            site = Site(folder, host.url, page)
            record_network(site, context)
            yield site
    page.close()


def test_after_one_visit_the_app_opens_offline_with_its_todos(
    site: Site, context: BrowserContext
) -> None:
    site.page.goto(site.url)
    site.wait_settled()
    site.page.fill(".new-todo", "pack for the plane")
    site.page.press(".new-todo", "Enter")
    assert site.page.evaluate(WORKER_ACTIVE) == site.url + "sw.js"
    errors = context.new_cdp_session(site.page).send("Page.getInstallabilityErrors")
    assert errors["installabilityErrors"] == []
    context.set_offline(True)
    try:
        site.page.reload()
        site.wait_settled()
        assert site.page.evaluate("navigator.serviceWorker.controller !== null")
        assert site.page.locator(".todo-list li").all_inner_texts() == ["pack for the plane"]
        assert site.page.title() == TITLE
    finally:
        context.set_offline(False)


def test_a_new_build_waits_for_the_user_then_runs_on_its_own_files(
    site: Site, builds: Builds
) -> None:
    old, new = builds.precache(builds.first), builds.precache(builds.second)
    changed = {url for url, revision in new.items() if url not in old or old[url] != revision}
    site.fetched.clear()
    site.deploy(builds.second)
    site.page.reload()  # the browser checks sw.js on a page load; the page is still build 1
    site.wait_settled()
    notice = site.page.locator(".update-notice")
    notice.wait_for(timeout=BOOT_TIMEOUT_MS)
    assert " ".join(notice.inner_text().split()) == "A new version is available - reload"
    assert site.page.title() == TITLE
    # A returning visit asked for the new worker (and the Workbox files it imports, which the
    # browser revalidates) and downloaded the files that changed, nothing else.
    update_check = {"sw.js", *(url for url in new if "/workbox-" in url)}
    assert set(site.fetched) <= update_check | changed, sorted(set(site.fetched) - changed)
    assert {"index.html", "_framework/app.zip"} <= set(site.fetched)  # the new worker's install

    served: dict[str, str] = {}  # what the new page got, by file: the sha256 of its body

    def keep(response: Response) -> None:
        # From the new page's own document on: the old page's last responses are gone with it.
        if response.request.is_navigation_request() and response.frame == site.page.main_frame:
            served.clear()
            served["navigated"] = ""
        if "navigated" in served and response.url.startswith(site.url) and response.ok:
            served[site.relative(response.url)] = hashlib.sha256(response.body()).hexdigest()

    site.page.on("response", keep)
    site.page.click(".apply-update")
    expect(site.page).to_have_title(NEW_TITLE, timeout=BOOT_TIMEOUT_MS)
    site.wait_settled()
    site.page.remove_listener("response", keep)
    assert site.page.locator(".todo-list li").all_inner_texts() == ["pack for the plane"]
    del served["navigated"]
    assert {"index.html", "_framework/app.zip"} <= set(served)
    expected = {
        rel: hashlib.sha256((builds.second / rel).read_bytes()).hexdigest() for rel in served
    }
    assert served == expected  # every file of the page as build 2 has it
    cached = site.page.evaluate(PRECACHED)
    assert len(cached["names"]) == 1
    assert len(cached["keys"]) == len(new)  # build 1's revisions are gone
    assert site.page.locator(".update-notice").count() == 0


def test_framework_serve_removes_a_builds_worker_from_its_origin(
    builds: Builds, context: BrowserContext, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    work = tmp_path_factory.mktemp("serve")
    static = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server: Server = start_server(static, port, work / "static.log", cwd=builds.first)
    page = context.new_page()
    try:
        page.goto(server.url)
        page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
        page.evaluate(WORKER_ACTIVE)
    finally:
        server.stop()
    dev = [
        sys.executable,
        "-m",
        "framework",
        "serve",
        str(TODO),
        "--port",
        str(port),
        "--no-reload",
    ]
    server = start_server(dev, port, work / "serve.log", cwd=ROOT)
    try:
        # The build's worker answers this page load from its cache; its update check gets the
        # dev server's sw.js, which removes it and reloads the page from the dev server.
        page.goto(server.url)
        page.wait_for_function(
            # A function, not an expression: Playwright would eval() that, which Trusted Types
            # forbid in the dev server's pages.
            "() => JSON.parse(document.getElementById('framework-plan').textContent).dev === true",
            timeout=BOOT_TIMEOUT_MS,
        )
        page.wait_for_selector(SETTLED, state="attached", timeout=BOOT_TIMEOUT_MS)
        # The dev page's offline.js unregisters any worker, and registers none.
        page.wait_for_function(
            "() => navigator.serviceWorker.getRegistrations().then((found) => found.length === 0)",
            timeout=BOOT_TIMEOUT_MS,
        )
        assert page.evaluate("navigator.serviceWorker.controller") is None
        assert page.evaluate(PRECACHED)["names"] == []
    finally:
        page.close()
        server.stop()
