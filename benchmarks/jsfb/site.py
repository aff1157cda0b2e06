"""The pages under test, built and served from one local origin.

One static server holds every implementation, so they share the stylesheet and (for startup)
the HTTP cache rules: `/framework/` (the jsfb app as `framework build` writes it), `/vanilla/`,
`/todo/` (apps/todo built), `/plain/` (a PyScript page with no framework) and `/css/`. Runtime
files and wheels are cached as immutable, everything else revalidates, as `framework serve` does.
"""

from __future__ import annotations

import gzip
import html
import http.server
import json
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from framework.cli import assets, page
from framework.cli.app import App, find_app
from framework.cli.build import build

HERE = Path(__file__).parent
REPO = HERE.parent.parent
TODO_APP = REPO / "apps" / "todo"
IMMUTABLE_PARTS = (f"/{page.RUNTIME}/", f"/{page.WHEELS}/")
MEDIA_TYPES = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".wasm": "application/wasm",  # exactly, or instantiateStreaming refuses it
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".whl": "application/zip",
}


def bootstrap_dir() -> Path | None:
    """Bootstrap 3 (the contract's stylesheet), installed once with `npm ci` into the cache.

    None when npm cannot fetch it: both pages then run unstyled, which keeps the checks working
    but changes layout and paint times, so the runner says so.
    """
    target = assets.cache_dir() / "bench-npm"
    found = target / "node_modules" / "bootstrap"
    if (found / "dist" / "css" / "bootstrap.min.css").is_file():
        return found
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / "npm" / name, target / name)
    npm = shutil.which("npm") or "npm"
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    try:
        subprocess.run(command, cwd=target, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"warning: no Bootstrap 3 ({error}); the pages run unstyled", file=sys.stderr)
        return None
    return found


def build_site(root: Path) -> Path:
    """Write every page under root; returns root."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    build(find_app(str(HERE / "app")), root / "framework")
    shutil.copytree(HERE / "vanilla", root / "vanilla")
    shutil.copytree(HERE / "css", root / "css")
    bootstrap = bootstrap_dir()
    if bootstrap is not None:
        shutil.copytree(bootstrap, root / "css" / "bootstrap")
    todo = find_app(str(TODO_APP))
    build(todo, root / "todo")
    write_plain_page(todo, root / "plain", published_wheels=True)
    write_plain_page(todo, root / "plain-bytecode", published_wheels=False)
    return root


def write_plain_page(todo: App, folder: Path, published_wheels: bool) -> None:
    """PyScript with no framework, on the TO-DO build's runtime files and the same packages.

    It does the Python work any app needing those packages does: pydantic, when the TO-DO app
    imports it, is imported and validates one model. With `published_wheels` the wheels are the
    files PyPI publishes, as a PyScript page without the framework loads them ("plain"); else
    they are the TO-DO build's, compiled to bytecode ("plain-bytecode"), so what is left
    between it and the TO-DO app is the framework's own cost.
    """
    folder.mkdir(parents=True)
    if published_wheels:
        served = folder / page.WHEELS  # cached as immutable, like the TO-DO build's wheels
        served.mkdir(parents=True)
        for wheel in todo.browser_wheels():
            shutil.copyfile(assets.wheel_dir() / wheel.filename, served / wheel.filename)
        wheels = [f"./{page.WHEELS}/{w.filename}" for w in todo.browser_wheels()]
    else:
        wheels = [f"../todo/{page.WHEELS}/{w.filename}" for w in todo.browser_wheels()]
    config = {
        "interpreter": "../todo/" + page.runtime_url("pyodide", "pyodide.mjs"),
        "packages": wheels,
        "packages_cache": "passthrough",
    }
    uses_pydantic = any(w.name == "pydantic" for w in todo.browser_wheels())
    work = (HERE / "plain" / ("pydantic_work.py" if uses_pydantic else "no_work.py")).read_text()
    core = "../todo/" + page.runtime_url("@pyscript/core", "dist/core.js")
    css = "../todo/" + page.runtime_url("@pyscript/core", "dist/core.css")
    (folder / "main.py").write_text(work)
    (folder / "index.html").write_text(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<title>plain PyScript</title>\n<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{css}">\n'
        f'<script type="module" src="{core}"></script>\n</head>\n<body>\n<div id="app"></div>\n'
        f'<script type="py" src="./main.py" config="{html.escape(json.dumps(config))}"></script>\n'
        "</body>\n</html>\n"
    )


@dataclass
class Traffic:
    """Response body bytes the server sent, as sent and as gzip would send them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    files: int = 0
    raw: int = 0
    gzipped: int = 0
    _gzip_sizes: dict[Path, int] = field(default_factory=dict)

    def record(self, path: Path, size: int) -> None:
        with self.lock:
            if path not in self._gzip_sizes:
                self._gzip_sizes[path] = len(gzip.compress(path.read_bytes(), 6))
            self.files += 1
            self.raw += size
            self.gzipped += self._gzip_sizes[path]

    def reset(self) -> None:
        with self.lock:
            self.files = self.raw = self.gzipped = 0


class _Handler(http.server.SimpleHTTPRequestHandler):
    traffic: Traffic

    def __init__(self, *args: Any, traffic: Traffic, **kwargs: Any) -> None:
        self.traffic = traffic
        self.extensions_map = MEDIA_TYPES
        super().__init__(*args, **kwargs)  # handles the request

    def end_headers(self) -> None:
        immutable = any(part in self.path for part in IMMUTABLE_PARTS)
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        self.send_header("Cache-Control", cache)
        super().end_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        self.traffic.record(path, path.stat().st_size)
        super().copyfile(source, outputfile)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a benchmark run makes thousands of requests."""


@dataclass
class Site:
    root: Path
    server: http.server.ThreadingHTTPServer
    traffic: Traffic

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(root: Path) -> Site:
    """Serve root on a free loopback port from a background thread."""
    traffic = Traffic()
    handler = partial(_Handler, directory=str(root), traffic=traffic)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Site(root, server, traffic)
