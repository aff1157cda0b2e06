"""An app's own HTTP API: `server.py` beside `main.py` defines `api`, served under `/api`.

`server.py` runs on the host (CPython), never in the browser: the app zip leaves it out. `api` is
any ASGI application, typically a Starlette instance with its own routes. When it is a Starlette
app, its lifespan runs with the dev server's, so it can open and close what it needs.

Under `framework serve` the API is an `ApiHost`: when `server.py`, or a module of the app folder
it imported, changes, the host imports them afresh, starts the new api's lifespan, sends new
requests to it, lets the old api finish the requests it has, then shuts its lifespan down. A
`server.py` that no longer loads leaves the old api serving, and says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import sys
import traceback
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse

from framework.cli.errors import CliError

SERVER_MODULE = "server.py"
HOST_FOLDER = "server_lib"  # helpers of server.py, never shipped
API_ATTRIBUTE = "api"
API_PREFIX = "/api"
DRAIN_SECONDS = 5.0  # how long an old api may finish its requests before its lifespan ends

AsgiApp = Callable[..., Any]
_IMPORTED: set[str] = set()  # names of the app-folder modules server.py files have imported


@dataclass(frozen=True)
class LoadedApi:
    """server.py's `api`, and the app-folder files that went into it (a change to one of them
    means the api must be loaded again)."""

    app: AsgiApp
    files: frozenset[Path]


def load_api(app_root: Path) -> AsgiApp | None:
    """The `api` object of app_root/server.py, or None when the app has no server.py."""
    loaded = import_api(app_root)
    return None if loaded is None else loaded.app


def import_api(app_root: Path) -> LoadedApi | None:
    """Import app_root/server.py afresh, with the app-folder modules a previous import left in
    sys.modules purged first, so each of them runs its current source."""
    path = app_root / SERVER_MODULE
    _purge_app_modules(app_root)
    if not path.is_file():
        return None
    before = set(sys.modules)
    try:
        module = _import_server(path)
    finally:
        imported = set(sys.modules) - before
        files = _app_files(app_root, imported)
        _IMPORTED.update(name for name in imported if _app_files(app_root, [name]))
    api = getattr(module, API_ATTRIBUTE, None)
    if api is None or not callable(api):
        raise CliError(
            f"{path}: defines no `{API_ATTRIBUTE}`. Define `{API_ATTRIBUTE}` as an ASGI app, "
            f"for example `{API_ATTRIBUTE} = Starlette(routes=[...])`; it is served under "
            f"{API_PREFIX}/."
        )
    return LoadedApi(api, frozenset({path.resolve(), *files}))


def _server_module_name(path: Path) -> str:
    return f"_framework_app_server_{abs(hash(path.resolve()))}"


def _import_server(path: Path) -> Any:
    """Import server.py under a private name, with its folder importable for its helpers.

    Its source is compiled as it is now: a cached .pyc of an edit made within the same second
    (same mtime and size) would be taken for current."""
    name = _server_module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CliError(f"{path}: cannot be imported as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic and dataclasses look their module up by name
    sys.path.insert(0, str(path.parent))
    importlib.invalidate_caches()  # a helper created a moment ago must be found
    try:
        code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 - running the app's own server.py is the point
    except Exception as error:
        sys.modules.pop(name, None)
        raise CliError(f"{path} failed to import:\n{_user_trace(error)}") from error
    finally:
        sys.path.remove(str(path.parent))
    return module


def _user_trace(error: BaseException) -> str:
    """The traceback from the app's own code on: this module's frames say nothing to the user."""
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next
    return "".join(traceback.format_exception(type(error), error, frames))


def _app_files(app_root: Path, names: Iterable[str]) -> set[Path]:
    """The files of the app folder among the modules `names` (not the packages installed in a
    virtual environment that happens to live inside it)."""
    root, environments = app_root.resolve(), {Path(sys.prefix), Path(sys.base_prefix)}
    found = set()
    for name in names:
        file = getattr(sys.modules.get(name), "__file__", None)
        if not file:
            continue
        path = Path(file).resolve()
        if path.is_relative_to(root) and not any(path.is_relative_to(e) for e in environments):
            found.add(path)
    return found


def _purge_app_modules(app_root: Path) -> None:
    """Forget the modules imported from an app folder (this one, or another one loaded before in
    this process, whose `helper` would shadow this app's), and their bytecode (_import_server)."""
    root = app_root.resolve()
    server_name = _server_module_name(root / SERVER_MODULE)
    for name, module in list(sys.modules.items()):
        if name == server_name or name in _IMPORTED or _app_files(root, [name]):
            del sys.modules[name]
            _IMPORTED.discard(name)
            cached = getattr(module, "__cached__", None)
            if cached:
                Path(cached).unlink(missing_ok=True)


@contextlib.asynccontextmanager
async def api_lifespan(api: AsgiApp | None) -> AsyncIterator[None]:
    """Run a Starlette api's own lifespan (Mount alone would skip it)."""
    if not isinstance(api, Starlette):
        yield
        return
    async with api.router.lifespan_context(api):
        yield


class _Running:
    """One api with its lifespan running in a task of its own (started and stopped from
    different tasks, which an `async with` could not be), and a count of its open requests."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app
        self.requests = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        started = asyncio.Event()

        async def run() -> None:
            async with api_lifespan(self.app):
                started.set()
                await self._stop.wait()

        self._task = asyncio.create_task(run())
        waiting = asyncio.create_task(started.wait())
        await asyncio.wait({self._task, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if not started.is_set():
            await self._task  # raises what the lifespan's start raised

    async def stop(self, drain: float = DRAIN_SECONDS) -> None:
        deadline = asyncio.get_running_loop().time() + drain
        while self.requests and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        self._stop.set()
        if self._task is not None:
            await self._task


class ApiHost:
    """The ASGI app mounted at /api: whichever api is current, swapped in place on reload."""

    def __init__(self, app_root: Path) -> None:
        self.root = app_root
        loaded = import_api(app_root)  # a broken server.py at start stops serve: nothing to keep
        self._loaded = loaded
        self._current: _Running | None = None if loaded is None else _Running(loaded.app)
        self.error = ""  # why the last reload failed; "" when the current api is up to date
        self._swap = asyncio.Lock()

    @property
    def has_api(self) -> bool:
        return self._current is not None

    def uses(self, path: Path) -> bool:
        """True when a change to path (absolute, resolved) concerns the api."""
        root = self.root.resolve()
        if path == root / SERVER_MODULE or path.is_relative_to(root / HOST_FOLDER):
            return True
        if self.error and path.suffix == ".py" and path.is_relative_to(root):
            return True  # a failed load: any module may be the one that fixes it
        return self._loaded is not None and path in self._loaded.files

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        running = self._current  # a swap meanwhile does not change which api this request has
        if running is None:
            response = PlainTextResponse("Not Found", status_code=404)
            await response(scope, receive, send)
            return
        running.requests += 1
        try:
            await running.app(scope, receive, send)
        finally:
            running.requests -= 1

    async def start(self) -> None:
        if self._current is not None:
            await self._current.start()

    async def stop(self) -> None:
        if self._current is not None:
            await self._current.stop()

    async def reload(self) -> str:
        """Load server.py again and swap the new api in; on failure keep the old one. Returns
        the failure ("" on success), which is also kept as `error`."""
        async with self._swap:
            try:
                loaded = await asyncio.to_thread(import_api, self.root)
                fresh = None if loaded is None else _Running(loaded.app)
                if fresh is not None:
                    await fresh.start()
            except CliError as error:
                self.error = f"{error}\nThe previous API keeps running."
                return self.error
            except Exception as error:  # noqa: BLE001 - the new lifespan failed to start
                self.error = f"{self.root / SERVER_MODULE}: the api's lifespan failed to start:\n"
                self.error += f"{_user_trace(error)}\nThe previous API keeps running."
                return self.error
            old, self._current, self._loaded, self.error = self._current, fresh, loaded, ""
            if old is not None:
                try:
                    await old.stop()
                except Exception as error:  # noqa: BLE001 - the new api serves already
                    trace = "".join(traceback.format_exception(error))
                    print(
                        f"framework: the previous api's lifespan failed to stop:\n{trace}",
                        file=sys.stderr,
                        flush=True,
                    )
            return ""
