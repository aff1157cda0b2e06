"""The HTML page that boots an app, and the URL layout shared by `serve` and `build`.

URLs are relative (`./_framework/...`), so a built folder works under any path of any static
server. JSON embedded in the page is escaped so that no value can close the script element.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from framework.cli import assets, bundle, lazy_modules, service_worker, snapshot, web_manifest
from framework.cli.app import App
from framework.cli.bundle import FRAMEWORK_ROOT, framework_wheel_name
from framework.cli.config import ConfigError
from framework.cli.prerender import View

PREFIX = "_framework"
RUNTIME = f"{PREFIX}/runtime"
WHEELS = f"{PREFIX}/wheels"
LIB = f"{PREFIX}/lib"
APP_ZIP = f"{PREFIX}/app.zip"
EVENTS = f"{PREFIX}/events"
BROWSER_FILES = (  # from framework/browser/
    "trusted_types.js", "sanitize.js", "boot.js", "applier.js", "boot.css", "bootstrap.py",
    "pyodide_boot.mjs", "files.js", "offline.js", "focus.js",
)  # fmt: skip
# Inlined into the page, so they run before anything is downloaded (framework/browser/):
# replay.js, first in <head>, records what the user does on the prerendered UI until Python is
# ready; view.js, after the container, puts back the user's own last view (issue 18).
HEAD_INLINE = "replay.js"
BODY_INLINE = "view.js"
# The first frame waits until the parser is past view.js (the loader follows it): else the
# browser may paint the prerendered view while view.js waits for the stylesheets, and then
# the user's own view, a flash of the wrong list. Without the loader, until the page is parsed.
FIRST_FRAME = '<link rel="expect" href="#framework-loading" blocking="render">\n'

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def runtime_url(package: str, path: str) -> str:
    return f"{RUNTIME}/{package}@{assets.npm_versions()[package]}/{path}"


def safe_json(value: Any) -> str:
    """JSON that is safe inside <script> and attributes: no <, >, & or ' characters."""
    text = json.dumps(value, separators=(",", ":"))
    return re.sub(r"[<>&']", lambda m: _JSON_ESCAPES[m.group()], text)


def boot_plan(app: App, live_reload: bool, dev: bool = True) -> dict[str, Any]:
    """The wheels (PyScript loads them, see pyscript_config), the app archive, the entry.

    `dev` (serve; a build is not) turns on the checks that cost time in the page, such as
    a Store's in-place edit detection, and shows page errors in the overlay. `missing` lists
    the imports no wheel provides: the page reports them before the app runs."""
    wheel_urls = [f"./{WHEELS}/{w.filename}" for w in app.browser_wheels()]
    wheel_urls.append(f"./{LIB}/{framework_wheel_name()}")
    return {
        "wheels": wheel_urls,
        "app": f"./{APP_ZIP}",
        "lazy": lazy_modules.lazy_files(app),  # fetched on first use (browser/lazy_modules.py)
        "entry": app.config.framework.entry,
        "events": f"./{EVENTS}" if live_reload else None,
        "dev": dev,
        "missing": [str(problem) for problem in app.missing_packages()],
        "build": build_version(app, wheel_urls),
        "runtime": runtime_plan(app),
        "persist": app.config.framework.persist,  # mounted by files.js before the entry runs
        "offline": offline_plan(app, dev),
    }


def offline_plan(app: App, dev: bool) -> dict[str, str] | None:
    """For offline.js: a build with `offline` on registers its service worker with Workbox's
    window module (its URL relative to offline.js); any other page removes a worker."""
    if dev or not app.config.framework.offline:
        return None
    return {"window": service_worker.window_module()}


def snapshot_wheels(app: App) -> list[Path]:
    """The wheels a page of the app loads (the framework's aside), as the snapshot knows them."""
    return [assets.wheel_dir() / wheel.filename for wheel in app.browser_wheels()]


def runtime_plan(app: App) -> dict[str, Any]:
    """For the interpreter module (framework/browser/pyodide_boot.mjs): where Pyodide is, and
    the snapshot to start Python from, if one was made for this app (snapshot.py)."""
    found = snapshot.cached(snapshot_wheels(app))
    return {
        "pyodide": "./" + runtime_url("pyodide", "pyodide.mjs"),
        "snapshot": None if found is None else found.plan(),
    }


def build_version(app: App, wheels: list[str]) -> str:
    """What the page's rendered DOM depends on, as one digest: the app's files, the framework's
    own (host-side cli/ aside), the runtime's versions and the wheels. A view saved by the page
    (view.js) is restored only under the same version, in `serve` (a changed file changes it)
    as in `build`."""
    files = [(f"app/{name.as_posix()}", app.root / name) for name in app.modules()]
    files += sorted(
        (f"framework/{path.relative_to(FRAMEWORK_ROOT).as_posix()}", path)
        for path in FRAMEWORK_ROOT.rglob("*")
        if path.is_file()
        and path.relative_to(FRAMEWORK_ROOT).parts[0] != "cli"
        and "__pycache__" not in path.parts
    )
    runtime = (tuple(sorted(assets.npm_versions().items())), tuple(wheels))
    return bundle.files_digest(files, salt=repr(runtime))[:20]


PLUGINS_OFF = [f"!{name}" for name in assets.PYSCRIPT_PLUGINS_OFF]  # PyScript's spelling


def pyscript_config(app: App, wheels: list[str]) -> dict[str, Any]:
    """PyScript's config. The wheels go to PyScript as package URLs ("passthrough": straight to
    Pyodide's loadPackage, no micropip), so they download while the interpreter starts rather
    than after it: about a second sooner to a ready page."""
    config = app.config.for_pyscript()
    # Pyodide through our module, which can start it from a snapshot (PyScript cannot).
    config["interpreter"] = f"./{PREFIX}/pyodide_boot.mjs"
    config["packages"] = wheels
    config["packages_cache"] = "passthrough"
    config["plugins"] = PLUGINS_OFF
    return config


def stylesheet_url(app: App, name: str) -> str:
    """An app file as itself; `package/path` of a runtime package as its versioned URL."""
    if Path(name) in set(app.modules()):
        return "./" + name
    for item in assets.runtime_files():
        if name == f"{item.package}/{item.path}":
            return "./" + runtime_url(item.package, item.path)
    packages = ", ".join(sorted(assets.npm_versions()))
    raise ConfigError(
        f"{app.config_path}: key 'framework.stylesheets': {name!r} is neither a file of the app "
        f"nor a file of a runtime package ({packages}); give a path inside {app.root} or "
        "`package/file.css`."
    )


def inline_script(name: str, nonce: str | None) -> str:
    """A file of framework/browser/ as an inline script (no request before it runs)."""
    source = (FRAMEWORK_ROOT / "browser" / name).read_text(encoding="utf-8")
    return f"<script{_nonce(nonce)}>{source}</script>\n"


def head_tags(
    app: App,
    nonce: str | None = None,
    *,
    dev: bool = True,
    held: Collection[str] = (),
) -> str:
    """Stylesheets, then the scripts in the order they run (all deferred): the Trusted Types
    policies, DOMPurify and the sanitiser that uses it, before the applier and PyScript; the
    service worker's (offline.js) last. A build's page links its web app manifest. `held`:
    wheels not to preload (`preload_tags`)."""
    core = "./" + runtime_url("@pyscript/core", "dist/core.js")
    purify = "./" + runtime_url("dompurify", "dist/purify.min.js")
    css = "./" + runtime_url("@pyscript/core", "dist/core.css")
    own = "".join(
        f'<link rel="stylesheet" href="{html.escape(stylesheet_url(app, name), quote=True)}">\n'
        for name in app.config.framework.stylesheets
    )
    return (
        inline_script(HEAD_INLINE, nonce)
        + FIRST_FRAME
        + preload_tags(app, nonce, held)
        + f'<link rel="stylesheet" href="{css}">\n{own}'
        f'<link rel="stylesheet" href="./{PREFIX}/boot.css">\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/trusted_types.js"></script>\n'
        f'<script defer{_nonce(nonce)} src="{purify}"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/sanitize.js"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/boot.js"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/applier.js"></script>\n'
        + files_tag(app, nonce)
        + f'<script type="module"{_nonce(nonce)} src="{core}"></script>\n'
        + f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/offline.js"></script>\n'
        + ("" if dev else manifest_tags(app))
    )


def manifest_tags(app: App) -> str:
    """The web app manifest a build writes (web_manifest.py), and the theme colour."""
    color = app.config.framework.theme_color
    theme = f'<meta name="theme-color" content="{color}">\n' if color else ""
    return f'<link rel="manifest" href="./{web_manifest.MANIFEST}">\n' + theme


def files_tag(app: App, nonce: str | None) -> str:
    """files.js, for an app with persistent folders only (docs/files.md)."""
    if not app.config.framework.persist:
        return ""
    return f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/files.js"></script>\n'


def preload_tags(app: App, nonce: str | None = None, held: Collection[str] = ()) -> str:
    """Hints that start the big downloads with the page's first bytes, in parallel, instead of
    one after another as each script finds the next: the snapshot, Pyodide's stdlib and
    lockfile, the wheels and the app archive (all fetched with fetch(): `as="fetch"` and
    `crossorigin` make the later fetch reuse the download), and Pyodide's modules.

    Not the `held` wheels (file names): the dev server answers them only once it has compiled
    them (a new import, seconds). A browser opens six connections per server, and live reload's
    event stream keeps one: a held preload per wheel could take all the others, and the page's
    own scripts (one a module imports is found late) and Pyodide's runtime would wait for the
    compile instead of starting meanwhile. Pyodide asks for those wheels when it loads them."""
    plan = runtime_plan(app)
    fetched = [runtime_url("pyodide", name) for name in PRELOADED_RUNTIME]
    fetched += [
        url.removeprefix("./")
        for url in boot_plan_wheels(app)
        if url.rsplit("/", 1)[-1] not in held
    ]
    fetched.append(APP_ZIP)
    if plan["snapshot"] is not None:
        fetched.insert(0, str(plan["snapshot"]["url"]).removeprefix("./"))
    # focus.js: applier.js imports it, so without a hint it is found only once applier.js is in
    modules = [f"{PREFIX}/focus.js", f"{PREFIX}/pyodide_boot.mjs"]
    modules.append(runtime_url("pyodide", "pyodide.mjs"))
    modules.append(runtime_url("pyodide", "pyodide.asm.mjs"))
    return "".join(
        f'<link rel="preload" href="./{url}" as="fetch" crossorigin>\n' for url in fetched
    ) + "".join(f'<link rel="modulepreload"{_nonce(nonce)} href="./{url}">\n' for url in modules)


# Fetched by Pyodide itself; its .mjs files are imported (modulepreload above). Not the wasm:
# compiled from a preloaded response, Chromium keeps no code cache for it, and every visit
# compiled it again (measured: a returning visit ready 0.6 s later with the hint than without).
PRELOADED_RUNTIME = ("python_stdlib.zip", "pyodide-lock.json")


def boot_plan_wheels(app: App) -> list[str]:
    return [f"./{WHEELS}/{w.filename}" for w in app.browser_wheels()] + [
        f"./{LIB}/{framework_wheel_name()}"
    ]


def _nonce(nonce: str | None) -> str:
    return f' nonce="{nonce}"' if nonce else ""


def body_tags(app: App, live_reload: bool, nonce: str | None = None, dev: bool = True) -> str:
    boot = boot_plan(app, live_reload, dev)  # scans the app's imports once for both
    plan = safe_json(boot)
    config = html.escape(safe_json(pyscript_config(app, boot["wheels"])), quote=True)
    return (
        f'<script type="application/json" id="framework-plan">{plan}</script>\n'
        + (inline_script(BODY_INLINE, nonce) if app.config.framework.save_view else "")
        + '<div id="framework-loading" role="status" aria-live="polite">'
        '<div class="framework-spinner"></div>'
        '<ol><li data-stage="runtime">Loading runtime</li>'
        '<li data-stage="packages">Loading packages</li>'
        '<li data-stage="app">Starting app</li></ol></div>\n'
        '<div id="framework-starting" role="status" aria-live="polite" hidden></div>\n'
        + micropython_config()
        + f'<script type="py"{_nonce(nonce)} src="./{PREFIX}/bootstrap.py" config="{config}">'
        "</script>\n"
    )


def micropython_config() -> str:
    """PyScript loads its plugins once for each interpreter type it knows, by that type's
    config: MicroPython's too, though the page never starts it. Without this element, its
    missing config would load every plugin that Pyodide's config turns off."""
    text = html.escape(safe_json({"plugins": PLUGINS_OFF}), quote=False)
    return f'<mpy-config type="json" hidden>{text}</mpy-config>\n'


def render_page(
    app: App,
    live_reload: bool,
    nonce: str | None = None,
    *,
    dev: bool = True,
    view: View | None = None,
    held: Collection[str] = (),
) -> str:
    """The app's index.html with our tags injected, or a generated page; with a view (the
    app's first render, prerendered), its containers hold it (`with_view`).

    With a nonce (the dev server makes a fresh one per response) every script tag carries it,
    for a strict Content-Security-Policy (csp.py). `framework build` passes dev=False. `held`:
    wheels the dev server is compiling, not preloaded (`preload_tags`)."""
    head = head_tags(app, nonce, dev=dev, held=held)
    body = body_tags(app, live_reload, nonce, dev)
    if app.index_html is not None:
        source = app.index_html.read_text(encoding="utf-8")
    else:
        source = generated_page(app)
    if view is not None:
        source = with_view(source, view)
    return inject(source, head, body)


def generated_page(app: App) -> str:
    """The page of an app without an index.html, before our tags are injected."""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(app.title)}</title>\n</head>\n"
        '<body>\n<div id="app"></div>\n</body>\n</html>\n'
    )


def inject(page: str, head: str, body: str) -> str:
    """Put our tags at the end of <head> and <body> of an app's own index.html."""
    page = _insert_before(page, "</head>", head)
    return _insert_before(page, "</body>", body)


def with_view(page: str, view: View) -> str:
    """The page with each container the app mounted holding its prerendered HTML, marked
    `data-framework-view="prerendered"` (what hydration adopts), the title the app set, and
    its components' scoped styles. A container the page does not have is left out."""
    for selector, markup in view.views.items():
        if selector.startswith("#"):  # the prerender mounts into `#id` containers only
            page = fill_container(page, selector[1:], markup)
    if view.title is not None:
        page = _with_title(page, view.title)
    styles = "".join(
        f'<style data-framework-scope="{html.escape(key, quote=True)}">{css}</style>\n'
        for key, css in view.styles.items()
        if "</" not in css  # it would end the element early: left to the page's boot
    )
    return _insert_before(page, "</head>", styles) if styles else page


def fill_container(page: str, element_id: str, markup: str) -> str:
    """The element with that id holding markup (instead of what it held), marked."""
    finder = _ContainerFinder(element_id)
    finder.feed(page)
    finder.close()
    if finder.start is None or finder.end is None:
        return page
    start_tag = page[finder.start[0] : finder.start[1]]
    marked = re.sub(r"\s*/?>$", f' {VIEW_ATTRIBUTE}="prerendered">', start_tag)
    return page[: finder.start[0]] + marked + markup + page[finder.end :]


VIEW_ATTRIBUTE = "data-framework-view"
_TITLE = re.compile(r"(<title\b[^>]*>).*?(</title\s*>)", re.S | re.I)


def _with_title(page: str, title: str) -> str:
    escaped = html.escape(title, quote=False)
    if _TITLE.search(page):
        return _TITLE.sub(lambda found: found.group(1) + escaped + found.group(2), page, count=1)
    return _insert_before(page, "</head>", f"<title>{escaped}</title>\n")


class _ContainerFinder(HTMLParser):
    """Where the element with an id starts (its start tag's span) and where its end tag
    starts, counting the same tag nested in it."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id: str | None = element_id
        self.start: tuple[int, int] | None = None
        self.end: int | None = None
        self._tag = ""
        self._depth = 0
        self._line_starts: list[int] = []

    def feed(self, data: str) -> None:
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", data))]
        super().feed(data)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.start is None:
            if self.element_id is not None and dict(attrs).get("id") == self.element_id:
                offset = self._offset()
                self.start = (offset, offset + len(self.get_starttag_text() or ""))
                self._tag, self._depth = tag, 1
        elif self.end is None and tag == self._tag:
            self._depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """`<br/>`, or `<div id="app"/>`: not a container's end in HTML (the page's own
        parser would put what follows into it), so such a container is not filled."""
        if self.start is None and dict(attrs).get("id") == self.element_id:
            self.element_id = None  # found, and left as it is
        elif self.start is not None and tag == self._tag:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.start is not None and self.end is None and tag == self._tag:
            self._depth -= 1
            if not self._depth:
                self.end = self._offset()


def _insert_before(page: str, closing: str, tags: str) -> str:
    index = page.lower().rfind(closing)
    if index < 0:
        return page + tags
    return page[:index] + tags + page[index:]
