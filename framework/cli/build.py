"""`framework build`: a static folder that runs from any static file server, with no CDN.

Besides the page (`index.html`, which works from any folder), it writes what a host needs for
history-mode routes (framework/cli/history.py): `404.html`, the page as served for a route's URL
under `base`, with a Netlify `_redirects` and an nginx config that answer routes with it; and
the headers a host should send (headers.py): a `_headers` file and the nginx snippets.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from framework.cli import (
    assets,
    bytecode,
    compress,
    headers,
    history,
    nginx_config,
    page,
    prerender,
    service_worker,
    snapshot,
    web_manifest,
)
from framework.cli.app import App
from framework.cli.bundle import FRAMEWORK_ROOT, build_app_zip, build_framework_wheel
from framework.cli.errors import CliError

# PyScript chunks a page never loads (editors, terminals, games): not part of a first visit.
LAZY_CHUNKS = assets.PYSCRIPT_UNUSED_CHUNKS


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    total_bytes: int
    first_visit_bytes: int
    first_visit_compressed_bytes: int = 0  # brotli where the copy exists (as nginx sends it)
    returning_visit_bytes: int = 0  # compressed: what a changed app re-downloads (page, app.zip)


def _is_lazy(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name.startswith(LAZY_CHUNKS)


def _worker(app: App, output: Path) -> str:
    """sw.js: the precaching worker (docs/offline.md), or with offline off one that removes
    the worker an earlier build left in visitors' browsers."""
    if not app.config.framework.offline:
        return service_worker.removal_script()
    files = service_worker.read_build(output)
    return service_worker.worker_script(service_worker.precache_list(files))


def _check_output(app: App, output: Path) -> None:
    """Refuse an output folder whose removal would lose anything but a previous build."""
    if app.root.resolve().is_relative_to(output.resolve()):
        raise CliError(f"-o {output} holds the app itself; choose a folder outside it.", 2)
    if not output.exists():
        return
    previous_build = (output / "index.html").is_file() and (output / page.PREFIX).is_dir()
    if not output.is_dir() or (any(output.iterdir()) and not previous_build):
        raise CliError(f"{output} exists and is not a previous build; choose another -o.", 2)


def _check_packages(app: App) -> None:
    """A build whose page would fail on a missing package is refused, naming the imports."""
    missing = app.missing_packages()
    if missing:
        raise CliError("\n".join(str(problem) for problem in missing), 1)


def build(app: App, output: Path, base: str = "/") -> BuildReport:
    """Write the build to output; `base` is the URL path the site is served under (`/app/`
    for `https://host/app/`), for the history-mode fallback page and host configs."""
    try:
        history.check_base(base)
    except ValueError as error:
        raise CliError(str(error), 2) from None
    assets.ensure("browser")
    _check_output(app, output)
    _check_packages(app)
    service_worker.check_app_files(app, (service_worker.WORKER, web_manifest.MANIFEST))
    icons = web_manifest.build_icons(app)  # the app's own icons are checked before any work
    if output.exists():
        shutil.rmtree(output)
    written: dict[str, int] = {}

    def write(relative: str, data: bytes) -> None:
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[relative] = len(data)

    # Made (or found in the cache) before the page is rendered: the page's plan names it.
    shipped = snapshot.ensure(page.snapshot_wheels(app))
    # The home view, rendered ahead of time; never in 404.html (a deep link's page).
    view = prerender.view_or_warn(app)
    index = page.render_page(app, live_reload=False, dev=False, view=view)
    plain = index if view is None else page.render_page(app, live_reload=False, dev=False)
    write("index.html", index.encode())
    for relative in app.modules():  # app's static files (images, css) next to the page
        write(relative.as_posix(), (app.root / relative).read_bytes())
    for name in page.BROWSER_FILES:
        write(f"{page.PREFIX}/{name}", (FRAMEWORK_ROOT / "browser" / name).read_bytes())
    for item in assets.runtime_files():
        source = assets.npm_root() / item.package / item.path
        write(page.runtime_url(item.package, item.path), source.read_bytes())
    if shipped is not None:
        write(shipped.url.removeprefix("./"), shipped.path.read_bytes())
    # What the page imports, with its bytecode: compiled in one Pyodide run (or from the cache).
    archives = {
        f"{page.WHEELS}/{wheel.filename}": bytecode.Archive(
            wheel.filename, (assets.wheel_dir() / wheel.filename).read_bytes()
        )
        for wheel in app.browser_wheels()
    }
    lib = build_framework_wheel()
    archives[f"{page.LIB}/{lib.filename}"] = bytecode.Archive(lib.filename, lib.data)
    archives[page.APP_ZIP] = bytecode.Archive("app.zip", build_app_zip(app).data)
    compiled = bytecode.with_bytecode(list(archives.values()))
    for served_at, data in zip(archives, compiled, strict=True):
        write(served_at, data)
    write(web_manifest.MANIFEST, web_manifest.manifest_text(app, icons).encode())
    for icon_path, data in web_manifest.written_icons(icons).items():
        write(icon_path, data)
    visited = [
        rel for rel in written
        if not _is_lazy(rel) and (rel.startswith(page.PREFIX) or rel == "index.html")
    ]  # fmt: skip
    first_visit = sum(written[rel] for rel in visited)
    packed = {rel: compress.write_siblings(output / rel) for rel in visited}
    first_visit_packed = sum(packed[rel].get("br", written[rel]) for rel in visited)
    returning = sum(packed[rel].get("br", written[rel]) for rel in ("index.html", page.APP_ZIP))
    # For history-mode routes; not part of a first visit (a deep link gets 404.html instead).
    write(history.FALLBACK_PAGE, history.fallback_page(plain, base).encode())
    write(history.NETLIFY_REDIRECTS, history.netlify_redirects(base).encode())
    write(service_worker.WORKER, _worker(app, output).encode())  # last: it lists the others
    # After every file: the headers hash the pages' inline scripts and name each file.
    for rel in headers.site_files(output):  # compressed copies of the rest (404.html, ...)
        if rel not in packed:
            compress.write_siblings(output / rel)
    nginx_config.write(output, headers.write(output, base), base)
    return BuildReport(
        output, len(written), sum(written.values()), first_visit, first_visit_packed, returning
    )
