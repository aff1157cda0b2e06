"""An app's own HTTP API: `server.py` beside `main.py` defines `api`, served under `/api`.

`server.py` runs on the host (CPython), never in the browser: the app zip leaves it out. `api` is
any ASGI application, typically a Starlette instance with its own routes. When it is a Starlette
app, its lifespan runs with the dev server's, so it can open and close what it needs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from framework.cli.errors import CliError

SERVER_MODULE = "server.py"
API_ATTRIBUTE = "api"
API_PREFIX = "/api"

AsgiApp = Callable[..., Any]


def load_api(app_root: Path) -> AsgiApp | None:
    """The `api` object of app_root/server.py, or None when the app has no server.py."""
    path = app_root / SERVER_MODULE
    if not path.is_file():
        return None
    module = _import_server(path)
    api = getattr(module, API_ATTRIBUTE, None)
    if api is None or not callable(api):
        raise CliError(
            f"{path}: defines no `{API_ATTRIBUTE}`. Define `{API_ATTRIBUTE}` as an ASGI app, "
            f"for example `{API_ATTRIBUTE} = Starlette(routes=[...])`; it is served under "
            f"{API_PREFIX}/."
        )
    return api  # type: ignore[no-any-return]


def _import_server(path: Path) -> Any:
    """Import server.py under a private name, with its folder importable for its helpers."""
    name = f"_framework_app_server_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CliError(f"{path}: cannot be imported as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        trace = "".join(traceback.format_exception(error))
        raise CliError(f"{path} failed to import; fix it and restart:\n{trace}") from error
    finally:
        sys.path.remove(str(path.parent))
    return module


@contextlib.asynccontextmanager
async def api_lifespan(api: AsgiApp | None) -> AsyncIterator[None]:
    """Run a Starlette api's own lifespan (Mount alone would skip it)."""
    if not isinstance(api, Starlette):
        yield
        return
    async with api.router.lifespan_context(api):
        yield
