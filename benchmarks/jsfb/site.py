"""The pages under test, built and served from one local origin.

One static server holds every implementation, so they share the stylesheet and (for startup)
the HTTP cache rules: `/framework/` (the jsfb app as `framework build` writes it), `/vanilla/`,
`/todo/` (apps/todo built), `/plain/` (a PyScript page with no framework) and `/css/`; for the
floor check (`build_floor_site`), only `/vanilla/`, `/css/` and jsfb's own `vanillajs-keyed` at
the path it has in jsfb's repository. Runtime files and wheels are cached as immutable,
everything else revalidates, as `framework serve` does.
A file with a precompressed `.br` or `.gz` sibling (what `framework build` writes) is sent
compressed to a browser that accepts it, as nginx's brotli_static/gzip_static do.
"""

from __future__ import annotations

import email.utils
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
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
COMPRESSED = ((".br", "br"), (".gz", "gzip"))  # preferred first


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
    _write_floor(root)
    build(find_app(str(HERE / "app")), root / "framework")
    todo = find_app(str(TODO_APP))
    build(todo, root / "todo")
    write_plain_page(todo, root / "plain", published_wheels=True)
    write_plain_page(todo, root / "plain-bytecode", published_wheels=False)
    return root


def _write_floor(root: Path) -> None:
    """A fresh root holding our vanilla page and the contract's stylesheet."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(HERE / "vanilla", root / "vanilla")
    shutil.copytree(HERE / "css", root / "css")
    bootstrap = bootstrap_dir()
    if bootstrap is not None:
        shutil.copytree(bootstrap, root / "css" / "bootstrap")


JSFB_VANILLA = "jsfb-vanillajs"  # the implementation's name in results
JSFB_VANILLA_PATH = "frameworks/keyed/vanillajs"  # in jsfb's repository, and on our server


def page_path(implementation: str) -> str:
    """Where an implementation's index.html is served, relative to the site's root."""
    return f"{JSFB_VANILLA_PATH}/" if implementation == JSFB_VANILLA else f"{implementation}/"


class FloorCheckError(ValueError):
    """The folder given to --floor-check is not jsfb's vanillajs-keyed."""


def jsfb_vanilla_folder(given: Path) -> Path:
    """jsfb's `frameworks/keyed/vanillajs` folder: given itself, or that folder inside a
    checkout of jsfb's repository. Its index.html loads a plain script (`src/Main.js`, no build
    step): every local script it names must be there."""
    for folder in (given / JSFB_VANILLA_PATH, given):
        if (folder / "index.html").is_file():
            break
    else:
        raise FloorCheckError(
            f"{given}: no index.html here nor in {JSFB_VANILLA_PATH}/; give the folder "
            f"{JSFB_VANILLA_PATH} of a checkout of krausest/js-framework-benchmark"
        )
    index = (folder / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"""<script[^>]*\ssrc=['"]([^'"]+)['"]""", index)
    missing = [s for s in scripts if "//" not in s and not (folder / s.lstrip("/")).is_file()]
    if not scripts or missing:
        raise FloorCheckError(
            f"{folder / 'index.html'}: scripts {missing or 'none'} not found; if this version "
            "needs a build step, run `npm ci && npm run build-prod` in that folder first"
        )
    return folder


def build_floor_site(root: Path, jsfb_vanilla: Path) -> Path:
    """Our vanilla page and jsfb's vanillajs-keyed (copied from the folder the user gave, never
    kept in this repository), served as jsfb serves it: at its repository path, with the
    contract's stylesheet at /css/. Returns root."""
    folder = jsfb_vanilla_folder(jsfb_vanilla)
    _write_floor(root)
    shutil.copytree(folder, root / JSFB_VANILLA_PATH, ignore=shutil.ignore_patterns("node_modules"))
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
    """What the server sent: responses, how many were 304 Not Modified, the bytes on the wire
    (status line, headers and bodies as sent, compressed where they were) and the bodies decoded
    (the files' own sizes)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    responses: int = 0
    not_modified: int = 0
    sent_bytes: int = 0
    decoded_bytes: int = 0

    def record(self, status: int, sent: int, decoded: int) -> None:
        with self.lock:
            self.responses += 1
            self.not_modified += status == HTTPStatus.NOT_MODIFIED
            self.sent_bytes += sent
            self.decoded_bytes += decoded

    def reset(self) -> None:
        with self.lock:
            self.responses = self.not_modified = self.sent_bytes = self.decoded_bytes = 0


def accepted_encodings(header: str) -> set[str]:
    """The codings an Accept-Encoding header accepts (`q=0` refuses one)."""
    accepted = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            if float(quality) > 0:
                accepted.add(name.strip().lower())
        except ValueError:
            continue
    return accepted


def precompressed(path: Path, accept_encoding: str) -> tuple[Path, str | None]:
    """The file to send for path and its Content-Encoding: `path.br`, else `path.gz`, when it
    exists and the client accepts it (nginx's brotli_static and gzip_static), else path itself."""
    accepted = accepted_encodings(accept_encoding)
    for suffix, coding in COMPRESSED:
        sibling = path.with_name(path.name + suffix)
        if coding in accepted and sibling.is_file():
            return sibling, coding
    return path, None


def has_precompressed(path: Path) -> bool:
    return any(path.with_name(path.name + suffix).is_file() for suffix, _ in COMPRESSED)


class _Handler(http.server.SimpleHTTPRequestHandler):
    traffic: Traffic

    def __init__(self, *args: Any, traffic: Traffic, **kwargs: Any) -> None:
        self.traffic = traffic
        self.extensions_map = MEDIA_TYPES
        self._counted: tuple[HTTPStatus, int, int] | None = None  # status, body sent, decoded
        super().__init__(*args, **kwargs)  # handles the request

    def send_head(self) -> Any:
        """A file, as the stock handler sends it, except that a precompressed sibling the
        client accepts is sent instead, with Content-Encoding and Vary."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()  # a directory's redirect, or a 404
        served, coding = precompressed(path, self.headers.get("Accept-Encoding", ""))
        modified = path.stat().st_mtime
        if self._not_modified_since(modified):
            self._counted = (HTTPStatus.NOT_MODIFIED, 0, 0)
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_vary(path)
            self.end_headers()
            return None
        size = served.stat().st_size
        self._counted = (HTTPStatus.OK, size, path.stat().st_size)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(size))
        self.send_header("Last-Modified", self.date_time_string(int(modified)))
        if coding is not None:
            self.send_header("Content-Encoding", coding)
        self._send_vary(path)
        self.end_headers()
        return served.open("rb")

    def _send_vary(self, path: Path) -> None:
        if has_precompressed(path):  # caches must keep one copy per encoding
            self.send_header("Vary", "Accept-Encoding")

    def _not_modified_since(self, modified: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if since is None or "If-None-Match" in self.headers:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when.tzinfo is not None and int(modified) <= when.timestamp()

    def end_headers(self) -> None:
        immutable = any(part in self.path for part in IMMUTABLE_PARTS)
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        self.send_header("Cache-Control", cache)
        super().end_headers()

    def flush_headers(self) -> None:
        """Counts a file's response before its first byte leaves, so a client that has it
        also finds it counted."""
        if self._counted is not None:
            status, body, decoded = self._counted
            headers = sum(len(line) for line in getattr(self, "_headers_buffer", []))
            self.traffic.record(status, headers + body, decoded)
            self._counted = None
        super().flush_headers()

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
