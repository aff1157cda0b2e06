"""The page's module loader for lazy routes (framework/lazy_routes.py): fetch a lazy module's
files into Python's file system on its route's first visit, so it can be imported.

`framework build` and `serve` leave the lazy routes' modules out of the app archive and list
them in the page's plan (`"lazy": {"pages.settings": ["pages/settings.py"]}`, paths relative to
the app's root, where the page serves them: framework/cli/lazy_modules.py). The archive is
unpacked into the working folder at boot; a lazy module's files go beside it, then the import
system is told to look again.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from pathlib import Path
from typing import Any

import js
from pyodide.http import pyfetch

from framework.lazy_routes import set_module_loader


class FetchingLoader:
    """A `ModuleLoader` over fetch: each lazy module's files, fetched once, all or none."""

    def __init__(self, files: dict[str, list[str]], app_url: str, root: str) -> None:
        self._files = dict(files)
        # The app's files are served beside the archive's folder (`./_framework/app.zip`); from
        # its URL, not the page's, so a history-mode route's page (`/book/7`) finds them too.
        self._base = str(js.URL.new("..", js.URL.new(app_url, js.document.baseURI).href))
        self._root = Path(root)

    async def __call__(self, module: str) -> None:
        paths = self._files.get(module)
        if not paths:
            return  # in the app archive (not a lazy route's module): importable already
        contents = await asyncio.gather(*(self._fetch(module, path) for path in paths))
        for path, data in zip(paths, contents, strict=True):  # written only once all arrived
            target = self._root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        del self._files[module]  # on disk now: a later import finds it without a request
        importlib.invalidate_caches()  # the folders' listings were cached before the files came

    async def _fetch(self, module: str, path: str) -> bytes:
        url = str(js.URL.new(path, self._base).href)
        try:
            response = await pyfetch(url)
        except Exception as error:  # a network failure: said as an import that failed
            raise ImportError(f"{module}: could not fetch {url}: {error}", name=module) from error
        if not response.ok:
            raise ImportError(f"{module}: {url} answered HTTP {response.status}", name=module)
        data: bytes = await response.bytes()
        return data


def install_lazy_modules(plan: dict[str, Any]) -> None:
    """Register the fetching loader for the plan's lazy modules (at boot, after the archive is
    unpacked into the working folder)."""
    set_module_loader(FetchingLoader(plan.get("lazy") or {}, plan["app"], os.getcwd()))
