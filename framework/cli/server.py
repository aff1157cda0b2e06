"""The dev server: the page, the app, the framework, the runtime and the wheels, on Starlette.

Only files we know are served: runtime files listed in runtime.lock.json, wheels listed in
wheels.lock.json, and the app's own shippable files. Anything else, including every path that
tries to leave a folder, is a 404. An app with a `server.py` also gets its own API under /api
(framework/cli/api.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from framework.cli import assets, bytecode, csp, lint, page
from framework.cli.api import API_PREFIX, api_lifespan, load_api
from framework.cli.app import App, find_app
from framework.cli.bundle import (
    FRAMEWORK_ROOT,
    Bundle,
    browser_sources,
    build_app_zip,
    build_framework_wheel,
    framework_wheel_name,
    source_stamp,
)
from framework.cli.reload import ReloadHub

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
MEDIA_TYPES = {
    ".wasm": "application/wasm",  # exactly, or instantiateStreaming refuses it
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".py": "text/x-python",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".css": "text/css",
}


def media_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


class Site:
    """The app being served; re-read on each page request so config edits apply at once."""

    def __init__(self, target: str | None, cwd: Path) -> None:
        self.target, self.cwd = target, cwd
        self.app = find_app(target, cwd)
        self._bundles: dict[str, tuple[object, Bundle]] = {}
        self._wheels: dict[str, Path] = {}  # wheel name -> the file to serve (with bytecode)
        self.last_check = ""  # what `framework check` last found (live reload only)

    def refresh(self) -> App:
        self.app = find_app(self.target, self.cwd)
        return self.app

    def cached(self, key: str, stamp: object, build: Callable[[], Bundle]) -> Bundle:
        hit = self._bundles.get(key)
        if hit is None or hit[0] != stamp:
            hit = (stamp, build())
            self._bundles[key] = hit
        return hit[1]

    def framework_wheel(self) -> Bundle:
        return self.cached("framework", framework_stamp(), framework_wheel_with_bytecode)

    def wheel_file(self, name: str) -> Path:
        """A pinned wheel as served: compiled to bytecode once, then from the cache."""
        found = self._wheels.get(name)
        if found is None:
            found = self._wheels[name] = bytecode.wheel_with_bytecode(assets.wheel_dir() / name)
        return found

    def prepare(self) -> None:
        """Compile what the first page needs in one Pyodide run, before serving it, and keep
        the results as the files to serve (the originals, if compiling failed)."""
        wheels = [assets.wheel_dir() / w.filename for w in self.app.browser_wheels()]
        stamp, lib = framework_stamp(), build_framework_wheel()
        archives = [bytecode.Archive(path.name, path.read_bytes()) for path in wheels]
        paths = bytecode.compiled_paths([*archives, bytecode.Archive(lib.filename, lib.data)])
        for index, wheel in enumerate(wheels):
            self._wheels[wheel.name] = wheel if paths is None else paths[index]
        served = lib if paths is None else Bundle(lib.filename, paths[-1].read_bytes())
        self._bundles["framework"] = (stamp, served)

    def app_zip(self) -> Bundle:
        app = self.app
        files = [app.root / rel for rel in app.modules()]
        return self.cached("app", source_stamp(files), lambda: build_app_zip(app))


def framework_stamp() -> object:
    return source_stamp([FRAMEWORK_ROOT / rel for rel in browser_sources()])


def framework_wheel_with_bytecode() -> Bundle:
    wheel = build_framework_wheel()
    (data,) = bytecode.with_bytecode([bytecode.Archive(wheel.filename, wheel.data)])
    return Bundle(wheel.filename, data)


def not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404, headers=SECURITY_HEADERS)


def file_response(path: Path, cache: str) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": cache}
    return FileResponse(path, media_type=media_type(path.name), headers=headers)


def bundle_response(request: Request, bundle: Bundle) -> Response:
    etag = f'"{bundle.etag}"'
    headers = {**SECURITY_HEADERS, "Cache-Control": REVALIDATE, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(bundle.data, media_type=media_type(bundle.filename), headers=headers)


def contained_file(root: Path, relative: str) -> Path | None:
    """root/relative if it is a regular file inside root (after symlinks), else None."""
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    try:
        candidate = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
        return None
    return candidate


def _check(site: Site) -> str:
    """`framework check` of the served app, told in the terminal when its verdict changes; the
    pages get it through the live-reload events."""
    text = lint.check_text(site.target, site.cwd)
    if text != site.last_check:
        shown = f"found problems:\n{text}" if text else "ok"
        print(f"framework: check {shown}", file=sys.stderr, flush=True)
    site.last_check = text
    return text


@contextlib.asynccontextmanager
async def watching(hub: ReloadHub | None) -> AsyncIterator[None]:
    """Watch the app's files for live reload while the server runs."""
    if hub is None:
        yield
        return
    watcher = asyncio.create_task(hub.watch())
    try:
        yield
    finally:
        hub.close()
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def create_app(
    target: str | None = None,
    cwd: Path | None = None,
    live_reload: bool = True,
) -> Starlette:
    """The ASGI app for `framework serve`."""
    assets.ensure("browser")
    site = Site(target, (cwd or Path.cwd()).resolve())
    site.prepare()
    hub = None
    if live_reload:
        hub = ReloadHub([site.app.root, FRAMEWORK_ROOT], checker=lambda: _check(site))
    api = load_api(site.app.root)

    async def index(request: Request) -> Response:
        nonce = csp.new_nonce()
        html = page.render_page(site.refresh(), live_reload=live_reload, nonce=nonce)
        headers = {
            **SECURITY_HEADERS,
            "Cache-Control": REVALIDATE,
            "Content-Security-Policy": csp.policy(nonce),
        }
        return HTMLResponse(html, headers=headers)

    async def browser_file(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in page.BROWSER_FILES:
            return not_found()
        return file_response(FRAMEWORK_ROOT / "browser" / name, REVALIDATE)

    async def runtime(request: Request) -> Response:
        params = request.path_params
        package, version, path = params["package"], params["version"], params["path"]
        item = assets.runtime_file(package, path)
        if item is None or assets.npm_versions().get(package) != version:
            return not_found()
        return file_response(assets.npm_root() / package / path, IMMUTABLE)

    async def wheel(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in {w.filename for w in assets.wheels("browser")}:
            return not_found()
        # Compiling, on a miss, takes seconds: in a thread, so other requests go on meanwhile.
        return file_response(await asyncio.to_thread(site.wheel_file, name), IMMUTABLE)

    async def framework_lib(request: Request) -> Response:
        if request.path_params["name"] != framework_wheel_name():
            return not_found()
        return bundle_response(request, await asyncio.to_thread(site.framework_wheel))

    async def app_archive(request: Request) -> Response:
        return bundle_response(request, site.app_zip())

    async def app_file(request: Request) -> Response:
        relative = request.path_params["path"]
        app = site.app
        found = contained_file(app.root, relative)
        if found is None or found.relative_to(app.root.resolve()) not in set(app.modules()):
            return not_found()
        return file_response(found, REVALIDATE)

    routes: list[BaseRoute] = [
        Route("/", index),
        Route(f"/{page.PREFIX}/runtime/{{package:path}}@{{version}}/{{path:path}}", runtime),
        Route(f"/{page.WHEELS}/{{name}}", wheel),
        Route(f"/{page.LIB}/{{name}}", framework_lib),
        Route(f"/{page.APP_ZIP}", app_archive),
    ]
    if hub is not None:
        routes.append(Route(f"/{page.EVENTS}", hub.endpoint))
    if api is not None:
        routes.append(Mount(API_PREFIX, app=api))
    routes += [
        Route(f"/{page.PREFIX}/{{name}}", browser_file),
        Route("/{path:path}", app_file),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with api_lifespan(api), watching(hub):
            yield

    return Starlette(routes=routes, lifespan=lifespan)
