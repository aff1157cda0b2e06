"""Which pinned wheels a page loads: those the app's imports need, directly or through the
framework modules it uses (an app that uses `Store` gets pydantic without importing it).

The scan is static and cheap (no import runs): the app's modules and, from the framework names
they import, the framework's own modules, transitively. An import that no wheel, the standard
library, the runtime or the app itself provides is a `MissingPackage`, named with the import
that needed it, so `build` can refuse it and `serve` can say it before the app runs.
"""

from __future__ import annotations

import ast
import functools
import io
import os
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import framework

FRAMEWORK_ROOT = Path(framework.__file__).parent

# Import names that map to a pinned browser wheel, and the wheels they need.
PACKAGE_WHEELS: dict[str, tuple[str, ...]] = {
    "pydantic": (
        "pydantic", "pydantic-core", "typing-extensions", "annotated-types", "typing-inspection",
    ),
    "pydantic_core": ("pydantic-core", "typing-extensions"),
    "typing_extensions": ("typing-extensions",),
    "annotated_types": ("annotated-types", "typing-extensions"),
    "typing_inspection": ("typing-inspection", "typing-extensions"),
}  # fmt: skip
# What the page has without a wheel: the runtime's own modules, and Brython's `browser` names
# (an import alias of framework.brython, installed at boot).
RUNTIME_MODULES = frozenset({"js", "pyodide", "pyodide_js", "pyscript", "_pyodide", "micropip"})
BRYTHON_ALIAS = "browser"
# Standard-library modules new since the host's Python (the browser runs 3.14).
NEWER_STDLIB = frozenset({"annotationlib", "compression", "_interpreters", "concurrent"})
# Modules the page always imports before the app runs (bootstrap.py, then boot.py).
BOOT_MODULES = ("framework.browser.boot",)


@dataclass(frozen=True)
class ImportSite:
    """One import statement: the module it names, where it is, and the names it takes."""

    module: str
    file: Path
    line: int
    names: tuple[str, ...] = ()
    optional: bool = False  # inside a `try:`, whose handler may expect the import to fail


@dataclass(frozen=True)
class MissingPackage:
    """An import the page cannot satisfy: no pinned wheel, runtime or stdlib module has it."""

    package: str
    site: ImportSite

    def __str__(self) -> str:
        pinned = ", ".join(sorted(PACKAGE_WHEELS))
        return (
            f"{self.site.file}:{self.site.line}: `import {self.site.module}` needs the package "
            f"{self.package!r}, which the page cannot load: only the pinned browser wheels "
            f"({pinned}), the standard library and the app's own modules are available. "
            f"Remove the import, or put {self.package!r} inside the app as a module."
        )


def wheel_names(root: Path, modules: Iterable[Path], packages: Iterable[str]) -> set[str]:
    """The pinned wheels the page needs: for `packages` (pyscript.toml) and for every import."""
    wanted: set[str] = set()
    for name in [*packages, *(top(site.module) for site in page_imports(root, modules))]:
        wanted.update(PACKAGE_WHEELS.get(name.replace("-", "_"), ()))
    return wanted


def missing_packages(root: Path, modules: Iterable[Path]) -> list[MissingPackage]:
    """The app's imports (not optional ones) that nothing the page loads provides."""
    modules = list(modules)
    own = {top(path.with_suffix("").as_posix().replace("/", ".")) for path in modules}
    missing = []
    for site in app_imports(root, modules):
        name = top(site.module)
        if not site.optional and name not in own and not _available(name):
            missing.append(MissingPackage(name, site))
    return missing


def page_imports(root: Path, modules: Iterable[Path]) -> list[ImportSite]:
    """The app's imports, and those of every framework module the app and boot reach."""
    sites = app_imports(root, modules)
    roots = [*BOOT_MODULES, *(name for site in sites for name in framework_modules(site))]
    return sites + framework_imports(roots)


def app_imports(root: Path, modules: Iterable[Path]) -> list[ImportSite]:
    return [
        site
        for relative in modules
        if relative.suffix == ".py"
        for site in imports_in(root / relative, relative)
    ]


def framework_modules(site: ImportSite) -> list[str]:
    """The framework modules an import loads: `from framework import Store` is framework.store."""
    parts = site.module.split(".")
    if parts[0] == BRYTHON_ALIAS:
        parts = ["framework", "brython", *parts[1:]]
    if parts[0] != "framework":
        return []
    module = ".".join(parts)
    found = [module]
    for name in site.names:
        home = framework._HOME_OF.get(name) if module == "framework" else None
        if home is not None and home != "framework":
            found.append(home)
        elif _module_file(f"{module}.{name}") is not None:  # a submodule: framework.aio
            found.append(f"{module}.{name}")
    return found


def framework_imports(roots: Iterable[str]) -> list[ImportSite]:
    """Every import of the framework modules reachable from roots (the modules' packages too).

    `framework serve` asks for every page request, several times: the walk (about 20 ms, most of
    it finding module files) is done again only when a framework source file has changed."""
    return list(_framework_imports(tuple(sorted(set(roots))), _framework_stamp()))


def _framework_stamp() -> tuple[tuple[str, int, int], ...]:
    """Each framework source file's path, modification time and size (about 1 ms for all)."""
    stamp = []
    for folder, _, names in os.walk(FRAMEWORK_ROOT):
        for name in names:
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                stamp.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamp))


@functools.lru_cache(maxsize=64)
def _framework_imports(
    roots: tuple[str, ...], stamp: tuple[tuple[str, int, int], ...]
) -> tuple[ImportSite, ...]:
    del stamp  # a key only: the same roots give the same walk until a source file changes
    pending, seen, sites = list(roots), set[str](), list[ImportSite]()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        parts = module.split(".")
        pending.extend(".".join(parts[:end]) for end in range(1, len(parts)))
        path = _module_file(module)
        if path is None:
            continue
        for site in imports_in(path, path.relative_to(FRAMEWORK_ROOT.parent), package=module):
            sites.append(site)
            pending.extend(framework_modules(site))
    return tuple(sites)


def top(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


def _available(name: str) -> bool:
    return (
        name in PACKAGE_WHEELS
        or name in RUNTIME_MODULES
        or name in sys.stdlib_module_names
        or name in NEWER_STDLIB
        or name in ("framework", BRYTHON_ALIAS, "__future__")
    )


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "framework" or "cli" in parts[1:2]:
        return None  # framework/cli/ is host code, never imported by the page
    base = FRAMEWORK_ROOT.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


# -- reading import statements -------------------------------------------------------------------


def imports_in(path: Path, shown_as: Path, package: str | None = None) -> list[ImportSite]:
    """The absolute imports of one file. `package` resolves relative ones (framework modules;
    an app's relative imports are its own modules)."""
    return list(_imports_in_source(path.read_text(encoding="utf-8"), shown_as, package))


# Keyed by the source itself, so an edited file is read again and nothing stale is served: the
# dev server asks on every page request (several times), and parsing every framework module
# took seconds of each request, while reading them takes milliseconds.
@functools.lru_cache(maxsize=4096)
def _imports_in_source(source: str, shown_as: Path, package: str | None) -> tuple[ImportSite, ...]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        # t-strings on a host Python before 3.14: read the import statements from the tokens.
        return tuple(_token_imports(source, shown_as, package))
    return tuple(_tree_imports(tree, shown_as, package))


def _tree_imports(tree: ast.Module, shown_as: Path, package: str | None) -> Iterator[ImportSite]:
    guarded, typing_only = _nodes_in(tree, ast.Try), _nodes_in(tree, ast.If)
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # `if TYPE_CHECKING:` imports never run in the page
        optional = id(node) in guarded
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportSite(alias.name, shown_as, node.lineno, (), optional)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module or "", node.level, package, shown_as)
            if module:
                names = tuple(alias.name for alias in node.names)
                yield ImportSite(module, shown_as, node.lineno, names, optional)


def _nodes_in(tree: ast.Module, kind: type[ast.Try | ast.If]) -> set[int]:
    """Ids of the nodes inside `try:` bodies (kind Try) or `if TYPE_CHECKING:` blocks (If)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, kind) and (
            isinstance(node, ast.Try) or "TYPE_CHECKING" in ast.unparse(node.test)
        ):
            for child in node.body:
                inside.update(id(inner) for inner in ast.walk(child))
    return inside


def _absolute(module: str, level: int, package: str | None, shown_as: Path) -> str | None:
    if not level:
        return module
    if package is None:
        return None  # an app's relative import: its own module
    parts = package.split(".")
    is_package = shown_as.name == "__init__.py"
    base = parts[: len(parts) - level + (1 if is_package else 0)]
    return ".".join([*base, module] if module else base)


_TRY_LINE = re.compile(r"^[ \t]*try[ \t]*:")
_TYPE_CHECKING_LINE = re.compile(r"^[ \t]*if[ \t].*TYPE_CHECKING")


SKIPPED_TOKENS = frozenset({tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


def _token_imports(source: str, shown_as: Path, package: str | None) -> Iterator[ImportSite]:
    """Import statements found by tokenizing (strings and comments cannot fake one)."""
    lines = source.splitlines()
    statement: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or token.string == ";":
                yield from _statement_import(statement, shown_as, package, lines)
                statement = []
            elif token.type not in SKIPPED_TOKENS:
                statement.append(token)
    except (tokenize.TokenError, SyntaxError):
        return  # the rest of an unreadable file: the browser reports its syntax error


def _statement_import(
    tokens: list[tokenize.TokenInfo], shown_as: Path, package: str | None, lines: list[str]
) -> Iterator[ImportSite]:
    words = [t.string for t in tokens if t.type in (tokenize.NAME, tokenize.OP)]
    if not words or words[0] not in ("import", "from"):
        return
    line = tokens[0].start[0]
    block = _enclosing_line(lines, line, tokens[0].start[1])
    if _TYPE_CHECKING_LINE.match(block):
        return  # `if TYPE_CHECKING:` imports never run in the page
    optional = bool(_TRY_LINE.match(block))
    if words[0] == "import":  # import a.b as c, d
        for clause in _clauses(words[1:]):
            yield ImportSite("".join(_dotted(clause)), shown_as, line, (), optional)
        return
    level, rest = 0, words[1:]
    while rest and rest[0] in (".", "..."):
        level += len(rest.pop(0))
    module_parts = _dotted(rest)
    names = tuple(clause[0] for clause in _clauses(rest[len(module_parts) + 1 :]))
    module = _absolute("".join(module_parts), level, package, shown_as)
    if module:
        yield ImportSite(module, shown_as, line, names, optional)


def _clauses(words: list[str]) -> list[list[str]]:
    """`a.b as c, d` (parentheses dropped) -> [["a", ".", "b", "as", "c"], ["d"]]."""
    clauses: list[list[str]] = [[]]
    for word in words:
        if word == ",":
            clauses.append([])
        elif word not in ("(", ")"):
            clauses[-1].append(word)
    return [clause for clause in clauses if clause and clause[0].isidentifier()]


def _dotted(words: list[str]) -> list[str]:
    parts: list[str] = []
    for word in words:
        if word == "." or (word.isidentifier() and (not parts or parts[-1] == ".")):
            parts.append(word)
        else:
            break
    return parts


def _enclosing_line(lines: list[str], line: int, column: int) -> str:
    """The nearest line above that is less indented: the one opening the statement's block."""
    for above in reversed(lines[: line - 1]):
        stripped = above.lstrip()
        if stripped and not stripped.startswith("#") and len(above) - len(stripped) < column:
            return above
    return ""
