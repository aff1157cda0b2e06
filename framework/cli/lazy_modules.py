"""Which of an app's modules are lazy routes' (docs/router.md, "Lazy routes"): they are left out
of the app archive a first visit downloads, and fetched by the page on their route's first visit.

A module is lazy when the app's sources name it in a `lazy("...")` call with a string literal
(`lazy("pages.settings")`, `router.lazy(...)` alike) and it is one of the app's own files:
`pages/settings.py`, or a package `pages/settings/` with everything under it. A literal is what
both the reader and this scan can see; a name built at run time is not found here, and such a
module simply ships in the archive, as every module did before. A lazy module that another
module (not itself lazy) imports is needed at start anyway: it stays in the archive too.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from framework.cli import wheels
from framework.cli.app import App, module_name
from framework.cli.bundle import source_stamp

# `lazy("pages.settings"` (or `router.lazy('admin'`): read from the text, since the host's
# Python (3.11) cannot parse the app's t-strings. One in a comment or a string counts too: such a
# module is then fetched on first use, which still works.
_LAZY_CALL = re.compile(r"""\blazy\(\s*(?P<quote>["'])(?P<module>[A-Za-z_][\w.]*)(?P=quote)""")


def lazy_files(app: App) -> dict[str, list[str]]:
    """Each lazy module's name and its files (POSIX paths relative to the app's root), for the
    page's plan; the archive leaves those files out."""
    sources = sorted(rel for rel in app.modules() if rel.suffix == ".py")
    stamp = source_stamp([app.root / source for source in sources])
    return dict(_lazy_files(app.root, tuple(sources), stamp))


def left_out(app: App) -> set[str]:
    """The files of the app archive that a first visit does not download."""
    return {path for files in lazy_files(app).values() for path in files}


@functools.lru_cache(maxsize=8)  # serve asks on every page; the files' stamp keys it
def _lazy_files(
    root: Path, sources: tuple[Path, ...], stamp: object
) -> tuple[tuple[str, list[str]], ...]:
    named: set[str] = set()
    imported: dict[str, set[str]] = {}  # module -> the modules importing it
    for relative in sources:
        text = (root / relative).read_text(encoding="utf-8", errors="replace")
        named |= {found["module"] for found in _LAZY_CALL.finditer(text)}
        importer = module_name(relative)
        for site in wheels.imports_in(root / relative, relative):
            # `from a import b` may import the module a.b: counted as importing both
            for module in (site.module, *(f"{site.module}.{name}" for name in site.names)):
                imported.setdefault(module, set()).add(importer)
    found: list[tuple[str, list[str]]] = []
    for module in sorted(named):
        files = _files_of(module, sources)
        if files and not _imported_at_start(module, imported, named):
            found.append((module, [path.as_posix() for path in files]))
    return tuple(found)


def _imported_at_start(module: str, imported: dict[str, set[str]], lazy: set[str]) -> bool:
    """Whether a module that is not lazy itself (nor inside a lazy package) imports it."""
    return any(
        not any(importer == name or importer.startswith(f"{name}.") for name in lazy)
        for importer in imported.get(module, ())
    )


def _files_of(module: str, sources: tuple[Path, ...]) -> list[Path]:
    """The module's file, or its package's files; none if it is not one of the app's."""
    path = Path(*module.split("."))
    if path.with_suffix(".py") in sources:
        return [path.with_suffix(".py")]
    return [source for source in sources if source.is_relative_to(path)]
