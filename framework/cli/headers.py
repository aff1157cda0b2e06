"""The HTTP headers a host sends with a `framework build`, as one list of rules: written as the
build's `_headers` file (the format Netlify and Cloudflare Pages read), rendered as its nginx
snippet (nginx_config.py), and read back by `framework preview`, so all three agree.

A rule is a URL path, exact (`/index.html`) or a folder ending in a splat
(`/_framework/runtime/*`), and the headers for it. A request gets the headers of every rule
whose path matches, as those hosts do. Hosts join two values of one header with a comma, which
for Cache-Control would say "immutable" and "no-cache" at once: so no two rules that match one
path set the same header (`check_disjoint`, run on every set of rules written).

What the rules say:

- **Content-Security-Policy**, on every response (a history-mode route's URL is answered with
  the page, so any path may be a page; most other files ignore it). The service worker runs
  under it too, since a `_headers` host cannot give one file another policy: Trusted Types then
  govern its `importScripts`, so sw.js vouches for its own imports. A file cannot carry a
  fresh nonce, so the build's inline scripts are allowed by their `'sha256-...'` hashes, taken
  from the pages as written, and its other scripts by `'self'` (all of them are files of the
  same origin: PyScript's chunks and Pyodide's modules are imported by URL). Not
  `'strict-dynamic'`: with it a browser ignores `'self'`, and every `<script src>` would need
  an `integrity` hash that changes with each file. The other directives are the dev server's
  (csp.py: Trusted Types enforced), plus the service worker and the manifest from this origin.
- **Cache-Control**: `immutable` only where a URL names its content: the runtime's folders carry
  the package's pinned version, a wheel's name its version (the bytecode a build adds beside
  its sources may differ between framework versions; an older copy still runs), the
  snapshot's name a digest. The framework's own files, its wheel (its version stays 0.1.0
  while its code changes), the app archive, the app's files, the pages, the service worker and
  the manifest change under the same URL: `no-cache`, so the browser revalidates them (a 304
  when unchanged, by ETag).
- **Content-Type** for the files a browser refuses or mishandles under a wrong type, which some
  hosts do not know: `.wasm` (compiled while it streams only as application/wasm), `.mjs`
  (module scripts) and the web app manifest.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from framework.cli import csp, page, server, snapshot

HEADERS_FILE = "_headers"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# URL folders whose every file is named by its content or version (see the docstring).
VERSIONED_FOLDERS = (page.RUNTIME, page.WHEELS, snapshot.URL_DIR)
STRICT_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".webmanifest": "application/manifest+json",
}
# The rest as the dev server sends them (Debian's nginx 1.22 has no type for .mjs), and a
# build's own kinds of file.
MEDIA_TYPES = {
    **server.MEDIA_TYPES,
    **STRICT_TYPES,
    ".html": "text/html",
    ".bin": "application/octet-stream",
}
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"))
# Not part of the site: the host's own configuration and the compressed copies (a host sends
# `name.br` for `name`, never by its own URL).
NOT_SERVED = ("_headers", "_redirects", f"{page.PREFIX}/hosting/")
COMPRESSED_SUFFIXES = (".br", ".gz")
# Scripts a browser runs (the HTML spec's JavaScript MIME types, "module", or no type).
_SCRIPT_TYPES = ("", "module", "text/javascript", "application/javascript", "text/ecmascript")

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Rule:
    path: str  # exact, or a folder ending in "/*"
    headers: Headers

    @property
    def is_folder(self) -> bool:
        return self.path.endswith("/*")

    def matches(self, path: str) -> bool:
        if self.is_folder:
            return path.startswith(self.path[:-1])
        return path == self.path


def media_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def is_versioned(relative: str) -> bool:
    return relative.startswith(tuple(f"{folder}/" for folder in VERSIONED_FOLDERS))


def inline_script_hashes(markup: str) -> list[str]:
    """The CSP source (`'sha256-...'`) of each inline script a browser would run in a page, in
    order. As the browser hashes it: the element's text after the parser's newline
    normalisation (CR LF and CR become LF), in UTF-8."""
    finder = _InlineScripts()
    finder.feed(markup)
    finder.close()
    found = []
    for source in finder.scripts:
        normalised = source.replace("\r\n", "\n").replace("\r", "\n")
        digest = hashlib.sha256(normalised.encode("utf-8")).digest()
        found.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return found


class _InlineScripts(HTMLParser):
    """The text of every `<script>` without `src` whose type is JavaScript (not JSON data, not
    `type="py"`, which PyScript reads and no CSP governs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # a script's text is never decoded
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = dict(attrs)
        kind = (attributes.get("type") or "").strip().lower()
        runs = kind in _SCRIPT_TYPES and "src" not in attributes
        self._current = [] if runs else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def page_policy(script_hashes: Iterable[str]) -> str:
    """The Content-Security-Policy of a build's pages (see the module's docstring)."""
    hashes = sorted(set(script_hashes))
    script_src = " ".join(["script-src 'self'", *hashes, "'wasm-unsafe-eval' 'unsafe-eval'"])
    return "; ".join([script_src, "worker-src 'self'", "manifest-src 'self'", *csp.RESTRICTIONS])


def site_files(output: Path) -> list[str]:
    """Every file of a build a browser may ask for, relative, sorted."""
    found = []
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        if not path.is_file() or relative.endswith(COMPRESSED_SUFFIXES):
            continue
        if relative in NOT_SERVED or relative.startswith(NOT_SERVED):
            continue
        found.append(relative)
    return sorted(found)


def build_rules(output: Path, base: str = "/") -> list[Rule]:
    """The rules for the build in output, served under base (`/` or `/apps/todo/`)."""
    files = site_files(output)
    pages = [name for name in files if "/" not in name and name.endswith(".html")]
    hashes = [
        found
        for name in pages
        for found in inline_script_hashes((output / name).read_text(encoding="utf-8"))
    ]
    security = (("Content-Security-Policy", page_policy(hashes)), *SECURITY_HEADERS)
    rules = [Rule(f"{base}*", security)]
    rules += [
        Rule(f"{base}{folder}/*", (("Cache-Control", IMMUTABLE),)) for folder in VERSIONED_FOLDERS
    ]
    for name in files:
        headers: list[tuple[str, str]] = []
        if not is_versioned(name):
            headers.append(("Cache-Control", REVALIDATE))
        suffix = Path(name).suffix.lower()
        if suffix in STRICT_TYPES:
            headers.append(("Content-Type", STRICT_TYPES[suffix]))
        if headers:
            rules.append(Rule(f"{base}{name}", tuple(headers)))
            if name == "index.html":  # the folder's own URL is answered with it
                rules.append(Rule(base, tuple(headers)))
    check_disjoint(rules, [f"{base}{name}" for name in files] + [base])
    return rules


def headers_for(rules: Iterable[Rule], path: str) -> dict[str, str]:
    """The headers a request for path gets: those of every matching rule."""
    found: dict[str, str] = {}
    for rule in rules:
        if rule.matches(path):
            found.update(rule.headers)
    return found


def check_disjoint(rules: list[Rule], paths: Iterable[str]) -> None:
    """Raise ValueError if two rules matching one of these paths set the same header."""
    for path in paths:
        seen: dict[str, str] = {}
        for rule in rules:
            if not rule.matches(path):
                continue
            for name, _ in rule.headers:
                key = name.lower()
                if key in seen:
                    raise ValueError(
                        f"{path}: header {name} is set by two rules ({seen[key]} and "
                        f"{rule.path}); a host would send both values joined"
                    )
                seen[key] = rule.path


def headers_file(rules: Iterable[Rule]) -> str:
    """The rules as a `_headers` file: a path, then its headers indented, one per line."""
    lines = [
        "# Response headers for this build (Netlify and Cloudflare Pages read this file; the",
        "# nginx equivalent is _framework/hosting/nginx.conf). Written by `framework build`.",
    ]
    for rule in rules:
        lines.append(rule.path)
        lines.extend(f"  {name}: {value}" for name, value in rule.headers)
    return "\n".join(lines) + "\n"


class HeadersFileError(ValueError):
    pass


_HEADER_LINE = re.compile(r"^\s+([A-Za-z0-9-]+):\s*(.*?)\s*$")


def parse_headers_file(text: str, source: str = HEADERS_FILE) -> list[Rule]:
    """A `_headers` file's rules, in order; HeadersFileError names the line it cannot read."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line.strip(), []))
            continue
        found = _HEADER_LINE.match(line)
        if found is None or not rules:
            raise HeadersFileError(
                f"{source}:{number}: {line.strip()!r} is neither a path (starting with '/') nor "
                "an indented `Name: value` header under one; rebuild with `framework build`"
            )
        rules[-1][1].append((found.group(1), found.group(2)))
    return [Rule(path, tuple(headers)) for path, headers in rules]


def write(output: Path, base: str = "/") -> list[Rule]:
    """Write the build's `_headers`; its rules, for the nginx snippet."""
    rules = build_rules(output, base)
    (output / HEADERS_FILE).write_text(headers_file(rules), encoding="utf-8")
    return rules
