"""The app's first view, rendered ahead of time, for the page to show before Python starts.

`framework build` and `framework serve` run the app once in Pyodide under Node, against the
in-memory DOM (prerender_worker.py through prerender_runner.mjs), and page.py puts the HTML of
each container the app mounted into the page, marked `data-framework-view="prerendered"`. The
browser's HTML parser paints it; when Python is ready, the first render adopts it (hydration).

It runs seconds, so its result is cached on disk (`<cache>/prerender/`), named by a digest of
everything it depends on: the app's files, the framework's browser modules, this machinery,
the Pyodide version and the wheels the app loads. A failure (the app's code raised, or used the
browser while prerendering) is cached too, and is never fatal: the page is then served or built
without a view, as before, and the failure is told with the user's file:line and the fix.
`[framework] prerender = false` in pyscript.toml turns it off.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framework.cli import assets
from framework.cli.app import App
from framework.cli.bundle import FRAMEWORK_ROOT, browser_sources, files_digest, source_stamp
from framework.cli.pyodide_tests import PyodideError, run_node_script

RUNNER = Path(__file__).with_name("prerender_runner.mjs")
WORKER = Path(__file__).with_name("prerender_worker.py")
NODE_HELPER = Path(__file__).with_name("pyodide_node.mjs")
TIMEOUT_S = 60.0
KEEP_RESULTS = 50  # cached results kept (an app's versions while it is being developed)
DEFAULT_BODY = '<div id="app"></div>'
_MOUNT = re.compile(r"\bmount\b")
_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.S | re.I)


@dataclass(frozen=True)
class View:
    """What the app's first render put in the page: each container's HTML by its selector,
    the title it set (None: it set none), and its components' scoped stylesheets by key."""

    views: dict[str, str]
    title: str | None = None
    styles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """Why there is no view: said where the app's code is, with what to do."""

    message: str


def enabled(app: App) -> bool:
    return app.config.framework.prerender


def prerender(app: App) -> View | Failure:
    """The app's first view, from the cache or rendered now (seconds)."""
    if not mounts_anything(app):
        return View({})  # a script that writes to the page itself: nothing to prerender
    key = digest(app)
    found = cached(key)
    if found is not None:
        return _result(found, app)
    try:
        answer = _run_node(app)
    except (PyodideError, OSError, ValueError) as error:  # not the app's doing: not cached
        return Failure(f"the first view could not be prerendered: {error}. {_WITHOUT}")
    _store(key, answer)
    return _result(answer, app)


def mounts_anything(app: App) -> bool:
    """Whether any module of the app names `mount`: without it no container is filled."""
    modules = (app.root / rel for rel in app.modules() if rel.suffix == ".py")
    return any(_MOUNT.search(path.read_text("utf-8", errors="replace")) for path in modules)


def view_or_warn(app: App) -> View | None:
    """For `framework build`: the view, or None after a warning on stderr (turned off: None)."""
    if not enabled(app):
        return None
    result = prerender(app)
    if isinstance(result, Failure):
        print(f"framework: warning: {result.message}", file=sys.stderr, flush=True)
        return None
    return result


def cached(key: str) -> dict[str, Any] | None:
    """The worker's answer stored under key, None if there is none (or it cannot be read)."""
    try:
        answer: dict[str, Any] = json.loads((_folder() / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return answer


def digest(app: App) -> str:
    """Everything a prerender's result depends on, hashed."""
    pyodide = assets.npm_versions().get("pyodide", "?")
    wheels = "".join(f"wheel {w.filename} {w.sha256}\n" for w in app.browser_wheels())
    return files_digest(_inputs(app), salt=f"pyodide {pyodide}\n{wheels}")[:40]


def stamp(app: App) -> object:
    """A cheap fingerprint of the same files (names, sizes, times; no reading): what the dev
    server checks on each page request."""
    versions = assets.npm_versions().get("pyodide", "?")
    return versions, source_stamp([path for _, path in _inputs(app)])


def _inputs(app: App) -> list[tuple[str, Path]]:
    """The files read: the app's (with its page and config), the framework's, ours."""
    files = [(f"app/{rel.as_posix()}", app.root / rel) for rel in app.modules()]
    files += [(f"page/{path.name}", path) for path in (app.index_html, app.config_path) if path]
    files += [(f"framework/{rel.as_posix()}", FRAMEWORK_ROOT / rel) for rel in browser_sources()]
    files += [(f"runner/{path.name}", path) for path in (RUNNER, WORKER, NODE_HELPER)]
    return [(name, path) for name, path in files if path.is_file()]


def page_body(app: App) -> str:
    """The page's body as the app's first render finds it: its own index.html's, or `#app`."""
    if app.index_html is None:
        return DEFAULT_BODY
    found = _BODY.search(app.index_html.read_text(encoding="utf-8"))
    return found.group(1) if found else DEFAULT_BODY


def _result(answer: dict[str, Any], app: App) -> View | Failure:
    if "error" in answer:
        return Failure(_failure_message(answer["error"], app))
    return View(answer["views"], answer.get("title"), answer.get("styles") or {})


_WITHOUT = (
    "The page works without it: its UI appears when Python is ready. To stop trying, set "
    "`prerender = false` under [framework] in pyscript.toml."
)


def _failure_message(error: dict[str, Any], app: App) -> str:
    where = ""
    if error.get("file"):
        where = f"{_shown(app.root / error['file'])}:{error['line']}: "
    what = f"{error['type']}: {error['message'].rstrip('.')}"
    hint = (
        ""
        if error["type"] == "BrowserOnlyError"
        else " It ran as on a first visit: storage empty, at `/`, no request answered, no "
        "browser objects. Fix it, or guard that code with `if not prerendering():`."
    )
    return f"{where}prerendering the first view failed: {what}.{hint} {_WITHOUT}"


def _shown(path: Path) -> str:
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _run_node(app: App) -> dict[str, Any]:
    config = {
        "pyodide": str(assets.npm_root() / "pyodide" / "pyodide.mjs"),
        "wheels": [str(path) for path in _wheel_paths(app)],
        "framework": str(FRAMEWORK_ROOT.resolve()),
        "worker": str(WORKER),
        "root": str(app.root.resolve()),
        "entry": str(app.entry.resolve()),
        "body": page_body(app),
        "persist": app.config.framework.persist,
    }
    lines = run_node_script(RUNNER, config, "prerendering", TIMEOUT_S, tail_lines=3).splitlines()
    if not lines:
        raise PyodideError("prerendering printed no answer")
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def _wheel_paths(app: App) -> list[Path]:
    """The app's wheels, with bytecode when it is compiled already (serve and build compile
    them for the page): importing pydantic then compiles nothing."""
    from framework.cli import bytecode

    paths = [assets.wheel_dir() / wheel.filename for wheel in app.browser_wheels()]
    archives = [bytecode.Archive(path.name, path.read_bytes()) for path in paths]
    compiled = [bytecode.cache_path(archive) for archive in archives]
    return [c if c.is_file() else p for c, p in zip(compiled, paths, strict=True)]


def _folder() -> Path:
    return assets.cache_dir() / "prerender"


def _store(key: str, answer: dict[str, Any]) -> None:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{key}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(answer), encoding="utf-8")
    partial.replace(folder / f"{key}.json")  # whole or absent, when two run at once
    results = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in results[KEEP_RESULTS:]:
        old.unlink(missing_ok=True)
