"""`framework preview DIR`: a build served locally as a production host serves it.

The headers are the build's own, read from its `_headers` file (headers.py), so what you see
here is what nginx with the build's snippet and the static hosts that read `_headers` send. As
nginx does with that snippet:

- a file's precompressed copy (`name.br`, `name.gz`) is sent when the request accepts its
  coding, with `Content-Encoding` and `Vary: Accept-Encoding`;
- a path under the build's base that is no file (a history-mode route's URL) is answered with
  `404.html`, the page that boots at any depth, with that page's headers and status 200; a
  missing file under `_framework/` is a 404 (a static build has no `api/`: like nginx, this
  answers it with the page);
- an unchanged file is a 304 to a request that names its ETag (`Cache-Control: no-cache` files
  are revalidated on every visit).

The base (`/` or `/apps/todo/`, as given to `framework build --base`) is read from `_headers`
too: its first rule covers the whole site.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from framework.cli import compress, headers, history, page
from framework.cli.errors import CliError
from framework.cli.headers import Rule
from framework.cli.server import contained_file


def load_rules(folder: Path) -> list[Rule]:
    """The build's header rules; a CliError says what to do if folder is no build."""
    source = folder / headers.HEADERS_FILE
    if not folder.is_dir():
        raise CliError(f"{folder} is not a folder; give the folder `framework build` wrote.", 2)
    if not source.is_file():
        raise CliError(
            f"{folder} has no {headers.HEADERS_FILE} file: it is not a `framework build` folder "
            f"(or one from before headers were written); run `framework build -o {folder}`.",
            2,
        )
    try:
        rules = headers.parse_headers_file(source.read_text(encoding="utf-8"), str(source))
    except headers.HeadersFileError as error:
        raise CliError(str(error), 2) from None
    if not rules or not rules[0].is_folder:
        raise CliError(f"{source}: its first rule must cover the site (`/*`); rebuild it.", 2)
    return rules


def site_base(rules: list[Rule]) -> str:
    return rules[0].path.removesuffix("*")


def create_app(folder: Path) -> Starlette:
    rules = load_rules(folder)
    base = site_base(rules)

    def respond(request: Request) -> Response:
        path = request.url.path
        if path == base.rstrip("/"):  # as nginx does: the page's relative URLs need the slash
            return RedirectResponse(base, status_code=301)
        if not path.startswith(base):
            return _not_found(rules, path)
        relative = path[len(base) :]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        found = contained_file(folder, relative)
        if found is not None:
            return _file(request, found, headers.headers_for(rules, base + relative))
        fallback = folder / history.FALLBACK_PAGE
        if not relative.startswith(f"{page.PREFIX}/") and fallback.is_file():
            # a route's URL: the page that boots there, with that page's headers
            url = base + history.FALLBACK_PAGE
            return _file(request, fallback, headers.headers_for(rules, url))
        return _not_found(rules, path)

    async def endpoint(request: Request) -> Response:
        return respond(request)

    routes = [Route("/{path:path}", endpoint, methods=["GET", "HEAD"])]
    return Starlette(routes=routes)


def _not_found(rules: list[Rule], path: str) -> Response:
    sent = headers.headers_for(rules, path)
    sent.pop("Content-Type", None)
    return PlainTextResponse("Not Found", status_code=404, headers=sent)


def _file(request: Request, path: Path, sent: dict[str, str]) -> Response:
    """path, or its copy in the best coding the request accepts, or a 304."""
    media_type = sent.pop("Content-Type", None) or headers.media_type(path.name)
    available = [
        c for c, suffix in compress.CODINGS if path.with_name(path.name + suffix).is_file()
    ]
    served = path
    if available:
        sent["Vary"] = "Accept-Encoding"
        coding = compress.best_coding(request.headers.get("accept-encoding", ""), available)
        if coding is not None:
            served = path.with_name(path.name + dict(compress.CODINGS)[coding])
            sent["Content-Encoding"] = coding
    stat = served.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    sent["ETag"] = etag
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=sent)
    return FileResponse(served, media_type=media_type, headers=sent, stat_result=stat)


def preview(folder: Path, host: str, port: int) -> None:
    """Serve the build in folder until Ctrl+C."""
    import uvicorn

    app = create_app(folder)  # a folder that is no build fails here, before the port is taken
    listening = _listen(host, port, folder)
    try:
        base = site_base(load_rules(folder))
        print(
            f"framework: previewing {folder} at http://{host}:{port}{base}  (Ctrl+C to stop)",
            file=sys.stderr,
            flush=True,
        )
        config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[listening])
    finally:
        listening.close()


def _listen(host: str, port: int, folder: Path) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        raise CliError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; stop what uses it, or "
            f"preview on another port: `framework preview {folder} --port {port + 1}`."
        ) from None
