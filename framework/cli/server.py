"""The dev server: the page, the app, the framework, the runtime and the wheels, on Starlette.

Only files we know are served: runtime files listed in runtime.lock.json, wheels listed in
wheels.lock.json, and the app's own shippable files. Anything else, including every path that
tries to leave a folder, is a 404. An app with a `server.py` also gets its own API under /api
(framework/cli/api.py), reloaded in place when its code changes.

A change that brings a new package import has its wheels compiled at once, in the background,
so the reloaded page does not wait for it in its request (and the page's loader says what it
waits for if it gets there first).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import functools
import mimetypes
import socket
import sys
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from framework.cli import (
    assets,
    bytecode,
    compress,
    csp,
    history,
    lint,
    page,
    prerender,
    service_worker,
    snapshot,
)
from framework.cli.api import API_PREFIX, SERVER_MODULE, ApiHost
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
from framework.cli.errors import CliError
from framework.cli.reload import Message, ReloadHub, page_update, reload_message

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
        self._job: concurrent.futures.Future[None] | None = None  # the latest wheel preparation
        self.prerendered = PrerenderedViews()
        self.snapshots = snapshot.Background()
        self.last_check = ""  # what `framework check` last found (live reload only)

    def refresh(self) -> App:
        self.app = find_app(self.target, self.cwd)
        # A new package import (or a framework edit) needs another snapshot: made meanwhile.
        self.snapshots.start(page.snapshot_wheels(self.app))
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
        """A pinned wheel as served: compiled to bytecode once, then from the cache (after the
        background job that prepares it, if one does)."""
        job = self._job
        if job is not None and name not in self._wheels:
            job.result()
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
        self.prerendered.view(self.app)  # started now: ready for the first page, or soon after
        self.snapshots.start(page.snapshot_wheels(self.app))  # pages name it once it exists

    def held_wheels(self) -> frozenset[str]:
        """The app's wheels (file names) a request for which waits now, for the background job
        compiling them: a page made meanwhile does not preload them (page.preload_tags)."""
        job = self._job
        if job is None or job.done():
            return frozenset()
        return frozenset(
            w.filename for w in self.app.browser_wheels() if w.filename not in self._wheels
        )

    def prepare_new_wheels(self, waiting_for: Callable[[str], None]) -> None:
        """Compile, in the background and in one Pyodide run, the wheels the app needs now that
        were not served yet (a new import); a request for such a wheel waits for the job.
        `waiting_for` is told (from the job's thread) the packages it compiles, then ""."""
        previous, job = self._job, concurrent.futures.Future[None]()
        self._job = job
        app = self.app

        def run() -> None:
            compiling = []
            try:
                if previous is not None:
                    previous.result()  # one job at a time, in the order of the changes
                new = [w for w in app.browser_wheels() if w.filename not in self._wheels]
                paths = [assets.wheel_dir() / w.filename for w in new]
                archives = [bytecode.Archive(path.name, path.read_bytes()) for path in paths]
                for wheel, archive in zip(new, archives, strict=True):
                    if not bytecode.is_compiled(archive):
                        compiling.append(wheel.name)
                if compiling:
                    waiting_for(", ".join(compiling))
                compiled = bytecode.compiled_paths(archives) if archives else []
                for index, path in enumerate(paths):
                    self._wheels[path.name] = path if compiled is None else compiled[index]
            finally:  # on failure a request compiles the wheel itself, as before
                if compiling:
                    waiting_for("")
                job.set_result(None)

        # A daemon thread: Ctrl+C must not wait for a compile to end. Scanning the imports
        # (a fifth of a second) happens there too, off the server's loop.
        threading.Thread(target=run, name="framework-prepare", daemon=True).start()

    def app_zip(self) -> Bundle:
        app = self.app
        files = [app.root / rel for rel in app.modules()]
        return self.cached("app", source_stamp(files), lambda: build_app_zip(app))


class PrerenderedViews:
    """The app's prerendered first view (prerender.py), made in the background: a page is
    never kept waiting for it. A page request gets the view of the app as it is now if it is
    ready, else the page without one, and starts making it; one at a time, the latest."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: dict[object, prerender.View | None] = {}  # the latest stamp's only
        self._wanted: tuple[App, object] | None = None
        self._running = False

    def view(self, app: App) -> prerender.View | None:
        if not prerender.enabled(app):
            return None
        stamp = prerender.stamp(app)
        with self._lock:
            if stamp in self._ready:
                return self._ready[stamp]
            self._wanted = (app, stamp)
            if self._running:
                return None
            self._running = True
        # A daemon thread: Ctrl+C must not wait for Node.
        threading.Thread(target=self._run, name="framework-prerender", daemon=True).start()
        return None

    def _run(self) -> None:
        while True:
            with self._lock:
                wanted = self._wanted
                if wanted is None or wanted[1] in self._ready:
                    self._running = False
                    return
            app, stamp = wanted
            try:
                result = prerender.prerender(app)
            except Exception as error:  # noqa: BLE001 - the pages go on without a view
                result = prerender.Failure(f"the first view could not be prerendered: {error}")
            view = result if isinstance(result, prerender.View) else None
            if isinstance(result, prerender.Failure):
                print(f"framework: warning: {result.message}", file=sys.stderr, flush=True)
            with self._lock:
                self._ready = {stamp: view}


def framework_stamp() -> object:
    return source_stamp([FRAMEWORK_ROOT / rel for rel in browser_sources()])


def framework_wheel_with_bytecode() -> Bundle:
    wheel = build_framework_wheel()
    (data,) = bytecode.with_bytecode([bytecode.Archive(wheel.filename, wheel.data)])
    return Bundle(wheel.filename, data)


async def removal_worker(request: Request) -> Response:
    return Response(
        service_worker.removal_script(),
        media_type="text/javascript",
        headers={**SECURITY_HEADERS, "Cache-Control": REVALIDATE},
    )


def not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404, headers=SECURITY_HEADERS)


def file_response(path: Path, cache: str) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": cache}
    return FileResponse(path, media_type=media_type(path.name), headers=headers)


def compressed_file_response(request: Request, path: Path, cache: str) -> Response:
    """An immutable file in the coding the client accepts best (brotli, gzip), compressed once
    (compress.py caches by content), else as it is; `Vary` either way, for caches between."""
    headers = {**SECURITY_HEADERS, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    stat = path.stat()
    if not compress.worth_compressing(path.name, stat.st_size):
        return FileResponse(path, media_type=media_type(path.name), headers=headers)
    coding = compress.best_coding(request.headers.get("accept-encoding", ""), ("br", "gzip"))
    if coding is None:
        return FileResponse(path, media_type=media_type(path.name), headers=headers)
    data = _packed(path, stat.st_mtime_ns, stat.st_size, coding)
    headers["Content-Encoding"] = coding
    return Response(data, media_type=media_type(path.name), headers=headers)


@functools.lru_cache(maxsize=64)
def _packed(path: Path, mtime_ns: int, size: int, coding: str) -> bytes:
    return compress.compressed(path.read_bytes(), coding)


async def python_snapshot(request: Request) -> Response:
    """A snapshot made for a page (snapshot.py), by the name its plan gives."""
    found = snapshot.served_file(request.path_params["name"])
    if found is None:
        return not_found()
    return await asyncio.to_thread(compressed_file_response, request, found, IMMUTABLE)


def bundle_response(request: Request, bundle: Bundle) -> Response:
    etag = f'"{bundle.etag}"'
    headers = {**SECURITY_HEADERS, "Cache-Control": REVALIDATE, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(bundle.data, media_type=media_type(bundle.filename), headers=headers)


def wheel_names(app: App) -> set[str]:
    """The wheels a page of the app loads at start."""
    return {wheel.name for wheel in app.browser_wheels()}


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


class Reloader:
    """What a change of the app's files does: the API reloads if it is about server.py or what
    it imports, new wheels start compiling, and the pages swap the edited modules in while they
    run (hot reload) or load again (reload.page_update says which), unless only the API changed."""

    def __init__(self, site: Site, api: ApiHost) -> None:
        self.site, self.api = site, api
        self.hub: ReloadHub | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._wheels = wheel_names(site.app)  # what the open pages loaded

    def on_change(self, paths: set[Path]) -> Message | None:
        api_changed = any(self.api.uses(path) for path in paths)
        if api_changed:
            self._start(self._reload_api())
        try:
            app = self.site.refresh()
            shipped = {(app.root / relative).resolve() for relative in app.modules()}
            wheels = wheel_names(app)
        except CliError as error:
            return reload_message(f"the app cannot be served: {error}")  # the page shows it
        if api_changed and all(self.api.uses(p) and p not in shipped for p in paths):
            return None  # the page has nothing new: its state stays
        self.site.prepare_new_wheels(self._threadsafe_report("prepare"))
        if wheels != self._wheels:
            added = ", ".join(sorted(wheels - self._wheels)) or "fewer"
            self._wheels = wheels
            return reload_message(f"the app's packages changed ({added}): they load at start")
        return page_update(app.root, app.config.framework.entry, paths, shipped)

    async def _reload_api(self) -> None:
        error = await self.api.reload()
        name = self.site.app.root / SERVER_MODULE
        if error:
            print(f"framework: error: {error}", file=sys.stderr, flush=True)
        else:
            now = "reloaded" if self.api.has_api else "removed (no server.py)"
            print(f"framework: api {now}: {name}", file=sys.stderr, flush=True)
        if self.hub is not None:
            self.hub.report("api", error)

    def _threadsafe_report(self, event: str) -> Callable[[str], None]:
        loop = asyncio.get_running_loop()

        def report(text: str) -> None:
            if self.hub is not None:
                with contextlib.suppress(RuntimeError):  # the loop closed: the server stopped
                    loop.call_soon_threadsafe(self.hub.report, event, text)

        return report

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@contextlib.asynccontextmanager
async def running_api(api: ApiHost, reloader: Reloader) -> AsyncIterator[None]:
    await api.start()
    try:
        yield
    finally:
        await reloader.close()
        await api.stop()


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
    api = ApiHost(site.app.root)
    reloader = Reloader(site, api)
    hub = None
    if live_reload:
        hub = ReloadHub(
            [site.app.root, FRAMEWORK_ROOT],
            checker=lambda: _check(site),
            on_change=reloader.on_change,
        )
        reloader.hub = hub

    async def index(request: Request) -> Response:
        nonce = csp.new_nonce()
        view = site.prerendered.view(site.refresh())
        html = page.render_page(
            site.app, live_reload=live_reload, nonce=nonce, view=view, held=site.held_wheels()
        )
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
        return await asyncio.to_thread(
            compressed_file_response, request, assets.npm_root() / package / path, IMMUTABLE
        )

    async def wheel(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in {w.filename for w in assets.wheels("browser")}:
            return not_found()
        # Compiling, on a miss, takes seconds: in a thread, so other requests go on meanwhile.
        return await asyncio.to_thread(
            lambda: compressed_file_response(request, site.wheel_file(name), IMMUTABLE)
        )

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
            return route_page(request, relative)
        return file_response(found, REVALIDATE)

    def route_page(request: Request, relative: str) -> Response:
        """History-mode routes (framework/cli/history.py): a page load of a path that is no
        file (`/book/7`) gets the page, ready to boot at that depth; other requests a 404."""
        navigation = "text/html" in request.headers.get("accept", "")
        if not (navigation and history.is_page_route(relative)):
            return not_found()
        nonce = csp.new_nonce()
        app = site.refresh()  # before held_wheels, which reads the app's imports
        html = page.render_page(app, live_reload=live_reload, nonce=nonce, held=site.held_wheels())
        headers = {
            **SECURITY_HEADERS,
            "Cache-Control": REVALIDATE,
            "Content-Security-Policy": csp.policy(nonce),
        }
        return HTMLResponse(history.fallback_page(html), headers=headers)

    routes: list[BaseRoute] = [
        Route("/", index),
        Route(f"/{page.PREFIX}/runtime/{{package:path}}@{{version}}/{{path:path}}", runtime),
        Route(f"/{page.WHEELS}/{{name}}", wheel),
        Route(f"/{page.LIB}/{{name}}", framework_lib),
        Route(f"/{page.APP_ZIP}", app_archive),
        Route(f"/{snapshot.URL_DIR}/{{name}}", python_snapshot),
    ]
    if hub is not None:
        routes.append(Route(f"/{page.EVENTS}", hub.endpoint))
    routes.append(Mount(API_PREFIX, app=api))  # 404s while the app has no server.py
    routes += [
        # A build's worker left on this origin asks for its update here: it gets one that
        # removes itself, so the dev page is never served from a build's cache (offline.js).
        Route(f"/{service_worker.WORKER}", removal_worker),
        Route(f"/{page.PREFIX}/{{name}}", browser_file),
        Route("/{path:path}", app_file),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with running_api(api, reloader), watching(hub):
            yield

    return Starlette(routes=routes, lifespan=lifespan)


def serve(target: str | None, host: str, port: int, live_reload: bool) -> None:
    """`framework serve`: the port first (a busy one stops here, before any "serving" line),
    then the app, then the address to open."""
    import uvicorn

    listening = bind(host, port, target)
    try:
        app = create_app(target, live_reload=live_reload)
        print(f"framework: http://{host}:{port}/  (Ctrl+C to stop)", file=sys.stderr, flush=True)
        config = uvicorn.Config(
            app,
            log_level="warning",
            timeout_graceful_shutdown=1,
            # Synced stores send small JSON messages: compressing each one halved the server's
            # throughput and doubled its memory (zlib state per connection), measured in
            # benchmarks/RESULTS.md ("Synced stores under load").
            ws_per_message_deflate=False,
        )
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how it stops: not a failure
            server.run(sockets=[listening])
    finally:
        listening.close()
    if not server.started:
        raise CliError("the server did not start: see the error above.")


def bind(host: str, port: int, target: str | None = None) -> socket.socket:
    """A socket bound to host:port, or a CliError that says what to do (for `serve target`)."""
    try:
        return _bound(host, port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        command = " ".join(["framework serve", *([target] if target else []), "--port"])
        raise CliError(
            f"port {port} is in use on {host} (another `framework serve`, or another server). "
            f"Stop that one, or serve on another port: `{command} {_free_port(host, port)}`."
        ) from None


def _bound(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets created with it, and without
    # it a WebSocket message that follows another waits ~40 ms for the peer's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        # As uvicorn does: a restart may reuse a port left in TIME_WAIT; a port a running server
        # listens on still fails (on Linux and macOS).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _free_port(host: str, busy: int) -> int:
    """The first port after `busy` that is free now, to suggest."""
    for candidate in range(busy + 1, min(busy + 50, 65536)):
        try:
            _bound(host, candidate).close()
        except OSError:
            continue
        return candidate
    return busy + 1
