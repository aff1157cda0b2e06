"""The HTML page that boots an app, and the URL layout shared by `serve` and `build`.

URLs are relative (`./_framework/...`), so a built folder works under any path of any static
server. JSON embedded in the page is escaped so that no value can close the script element.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from framework.cli import assets
from framework.cli.app import App
from framework.cli.bundle import FRAMEWORK_ROOT, framework_wheel_name
from framework.cli.config import ConfigError

PREFIX = "_framework"
RUNTIME = f"{PREFIX}/runtime"
WHEELS = f"{PREFIX}/wheels"
LIB = f"{PREFIX}/lib"
APP_ZIP = f"{PREFIX}/app.zip"
EVENTS = f"{PREFIX}/events"
BROWSER_FILES = (  # from framework/browser/
    "trusted_types.js", "sanitize.js", "boot.js", "applier.js", "boot.css", "bootstrap.py",
)  # fmt: skip
# Inlined into the page, so they run before anything is downloaded (framework/browser/):
# replay.js, first in <head>, records what the user does on the prerendered UI until Python is
# ready; view.js, after the container, puts back the user's own last view (issue 18).
HEAD_INLINE = "replay.js"
BODY_INLINE = "view.js"

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
        "entry": app.config.framework.entry,
        "events": f"./{EVENTS}" if live_reload else None,
        "dev": dev,
        "missing": [str(problem) for problem in app.missing_packages()],
    }


def pyscript_config(app: App, wheels: list[str]) -> dict[str, Any]:
    """PyScript's config. The wheels go to PyScript as package URLs ("passthrough": straight to
    Pyodide's loadPackage, no micropip), so they download while the interpreter starts rather
    than after it: about a second sooner to a ready page."""
    config = app.config.for_pyscript()
    config["interpreter"] = "./" + runtime_url("pyodide", "pyodide.mjs")
    config["packages"] = wheels
    config["packages_cache"] = "passthrough"
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


def head_tags(app: App, nonce: str | None = None) -> str:
    """Stylesheets, then the scripts in the order they run (all deferred): the Trusted Types
    policies, DOMPurify and the sanitiser that uses it, before the applier and PyScript."""
    core = "./" + runtime_url("@pyscript/core", "dist/core.js")
    purify = "./" + runtime_url("dompurify", "dist/purify.min.js")
    css = "./" + runtime_url("@pyscript/core", "dist/core.css")
    own = "".join(
        f'<link rel="stylesheet" href="{html.escape(stylesheet_url(app, name), quote=True)}">\n'
        for name in app.config.framework.stylesheets
    )
    return (
        inline_script(HEAD_INLINE, nonce) + f'<link rel="stylesheet" href="{css}">\n{own}'
        f'<link rel="stylesheet" href="./{PREFIX}/boot.css">\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/trusted_types.js"></script>\n'
        f'<script defer{_nonce(nonce)} src="{purify}"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/sanitize.js"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/boot.js"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="./{PREFIX}/applier.js"></script>\n'
        f'<script type="module"{_nonce(nonce)} src="{core}"></script>\n'
    )


def _nonce(nonce: str | None) -> str:
    return f' nonce="{nonce}"' if nonce else ""


def body_tags(app: App, live_reload: bool, nonce: str | None = None, dev: bool = True) -> str:
    boot = boot_plan(app, live_reload, dev)  # scans the app's imports once for both
    plan = safe_json(boot)
    config = html.escape(safe_json(pyscript_config(app, boot["wheels"])), quote=True)
    return (
        f'<script type="application/json" id="framework-plan">{plan}</script>\n'
        + inline_script(BODY_INLINE, nonce)
        + '<div id="framework-loading" role="status" aria-live="polite">'
        '<div class="framework-spinner"></div>'
        '<ol><li data-stage="runtime">Loading runtime</li>'
        '<li data-stage="packages">Loading packages</li>'
        '<li data-stage="app">Starting app</li></ol></div>\n'
        f'<script type="py"{_nonce(nonce)} src="./{PREFIX}/bootstrap.py" config="{config}">'
        "</script>\n"
    )


def render_page(app: App, live_reload: bool, nonce: str | None = None, *, dev: bool = True) -> str:
    """The app's index.html with our tags injected, or a generated page.

    With a nonce (the dev server makes a fresh one per response) every script tag carries it,
    for a strict Content-Security-Policy (csp.py). `framework build` passes dev=False."""
    head, body = head_tags(app, nonce), body_tags(app, live_reload, nonce, dev)
    if app.index_html is not None:
        return inject(app.index_html.read_text(encoding="utf-8"), head, body)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(app.title)}</title>\n{head}</head>\n"
        f'<body>\n<div id="app"></div>\n{body}</body>\n</html>\n'
    )


def inject(page: str, head: str, body: str) -> str:
    """Put our tags at the end of <head> and <body> of an app's own index.html."""
    page = _insert_before(page, "</head>", head)
    return _insert_before(page, "</body>", body)


def _insert_before(page: str, closing: str, tags: str) -> str:
    index = page.lower().rfind(closing)
    if index < 0:
        return page + tags
    return page[:index] + tags + page[index:]
