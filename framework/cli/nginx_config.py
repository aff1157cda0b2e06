"""The nginx snippet of a build (`_framework/hosting/nginx.conf`), rendered from the same rules
as its `_headers` file (headers.py), with history-mode routes (history.py).

A request gets the headers of every rule matching its path; nginx answers a request from one
location, whose `add_header`s replace (not extend) those of any enclosing level. So each rule
becomes a location carrying the headers of every rule that matches its own path: an exact rule
a `location =` (chosen before any prefix), a folder rule a `location ^~` (the longest prefix
wins, and no regular expression after it). A path under the base that is no file is answered
by an internal redirect to `404.html` (the page for a route's URL), which then gets that page's
location and headers; under `_framework/` a missing file stays a 404.

Each location names its files' media types (nginx's `types` replaces the inherited map, and
Debian's has no `.mjs`) and serves the build's precompressed copies by the request's
Accept-Encoding: `gzip_static` is nginx's own; `brotli_static` needs a module (Debian and
Ubuntu: `apt install libnginx-mod-http-brotli-static`). For an nginx without it the build also
writes `nginx-gzip.conf`, the same without brotli.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from framework.cli import headers, history, page
from framework.cli.headers import Rule

SNIPPET = history.NGINX_CONFIG
GZIP_ONLY_SNIPPET = f"{page.PREFIX}/hosting/nginx-gzip.conf"


def snippet(rules: list[Rule], files: Iterable[str], base: str, brotli: bool = True) -> str:
    """The server-block snippet for a build served under base; `files` are the build's site
    files (headers.site_files), for the media types of its folder locations."""
    files = list(files)
    lines = [
        "# nginx: a `framework build` folder with its headers and history-mode routes, written",
        "# by the build from the rules of its _headers file. Include it in the `server` block",
        f"# whose `root` is the folder that holds the build at {base} (the build itself for /).",
        *_module_note(brotli),
        "# The app's API, if it has one, is yours to proxy: location /api/ { proxy_pass ...; }",
    ]
    catch_all = rules[0]
    lines += _location(
        f"location {_path(base)}",
        [f"try_files $uri $uri/ {_path(base + history.FALLBACK_PAGE)};"],
        headers.headers_for(rules, base + "\0"),  # a path that matches no other rule
        brotli,
    )
    lines += _location(  # a framework file that is missing stays a 404, never the page
        f"location ^~ {_path(f'{base}{page.PREFIX}/')}",
        ["try_files $uri =404;"],
        headers.headers_for(rules, f"{base}{page.PREFIX}/\0"),
        brotli,
    )
    for rule in rules:
        if rule is catch_all:
            continue
        if rule.is_folder:
            prefix = rule.path[:-1]
            inside = [name for name in files if f"{base}{name}".startswith(prefix)]
            directives = ["try_files $uri =404;", _types(inside)]
            lines += _location(
                f"location ^~ {_path(prefix)}",
                directives,
                headers.headers_for(rules, prefix),
                brotli,
            )
        else:
            found = headers.headers_for(rules, rule.path)
            kind = found.pop("Content-Type", None) or headers.media_type(rule.path)
            directives = [] if rule.path == base else [f"types {{ }} default_type {kind};"]
            lines += _location(f"location = {_path(rule.path)}", directives, found, brotli)
    return "\n".join(lines) + "\n"


_NEEDS_QUOTES = re.compile(r"""[\s;{}'"]""")


def _path(path: str) -> str:
    """A location's path as nginx reads it: quoted when it holds a space or `;{}'"`."""
    if '"' in path or "$" in path or "\\" in path:
        raise ValueError(f"{path!r}: a file name with '\"', '$' or '\\' cannot be served by nginx")
    return f'"{path}"' if _NEEDS_QUOTES.search(path) else path


def _module_note(brotli: bool) -> list[str]:
    if brotli:
        return [
            "# brotli_static needs its module (Debian: libnginx-mod-http-brotli-static);",
            "# nginx-gzip.conf beside this file is the same without it.",
        ]
    return ["# No brotli_static here: nginx.conf beside this file adds it."]


def _types(names: Iterable[str]) -> str:
    """A `types` block for these files' suffixes, as headers.media_type gives them."""
    by_type: dict[str, set[str]] = {}
    for name in names:
        suffix = PurePosixPath(name).suffix.lower().removeprefix(".")
        if suffix:
            by_type.setdefault(headers.media_type(name), set()).add(suffix)
    listed = " ".join(f"{kind} {' '.join(sorted(s))};" for kind, s in sorted(by_type.items()))
    return f"types {{ {listed} }}"


def _location(opening: str, directives: list[str], sent: dict[str, str], brotli: bool) -> list[str]:
    body = [*directives, "gzip_static on;", "gzip_vary on;"]
    if brotli:
        body.append("brotli_static on;")
    for name, value in sent.items():
        if '"' in value or "$" in value:  # an nginx string cannot hold them as they are
            raise ValueError(f"header {name} value {value!r} cannot be written for nginx")
        body.append(f'add_header {name} "{value}" always;')
    return [f"{opening} {{", *(f"    {line}" for line in body), "}"]


def write(output: Path, rules: list[Rule], base: str) -> None:
    """Write both snippets into the build."""
    files = headers.site_files(output)
    for relative, brotli in ((SNIPPET, True), (GZIP_ONLY_SNIPPET, False)):
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snippet(rules, files, base, brotli), encoding="utf-8")
