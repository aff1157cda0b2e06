"""History-mode routes on a server: the page for every route's URL.

With `Router(..., mode="history")` the address bar shows `/book/7`, so a reload or a shared link
asks the server for `/book/7`, which is no file. The rule, the same for `framework serve`, the
`framework build` output and the host configs generated here: a path under the site's base that
is no file, and not under `_framework/` or `api/`, is answered with the page.

That page cannot be `index.html` as it is: its URLs are relative (`./_framework/...`), so that a
build works from any folder, and at `/book/7` they would point into `/book/`. The fallback page
is the same page with its relative URLs made absolute under the base: the framework's (in tags,
and in the JSON PyScript reads) and the app's own `src="./..."` and `href="./..."`. Not with a
`<base href>`: PyScript resolves its URLs against the address, not the base, and the pages'
Content-Security-Policy says `base-uri 'none'`. A build writes it as `404.html`, the file GitHub
Pages and similar hosts answer a missing path with, and the Netlify config below and the nginx
snippet (nginx_config.py) point at it too.
"""

from __future__ import annotations

import re

from framework.cli.page import PREFIX

FALLBACK_PAGE = "404.html"
NETLIFY_REDIRECTS = "_redirects"
NGINX_CONFIG = f"{PREFIX}/hosting/nginx.conf"
RESERVED = (PREFIX, "api")  # the framework's files and the app's API: never the page

_FRAMEWORK_URL = re.compile(rf"(?<![\w./])\./{PREFIX}/")
_RELATIVE_ATTRIBUTE = re.compile(r"""(\s(?:src|href)=["'])\./""", re.I)


def check_base(base: str) -> str:
    """A base path as the configs need it: `/` or `/app/`."""
    if not base.startswith("/") or not base.endswith("/") or "//" in base:
        raise ValueError(f"base {base!r} must start and end with '/', like '/' or '/app/'")
    return base


def is_page_route(path: str) -> bool:
    """Whether a request path (after the base, no leading `/`) may be answered with the page."""
    first = path.lstrip("/").split("/", 1)[0]
    return first not in RESERVED


def fallback_page(page: str, base: str = "/") -> str:
    """The page as served for a route's URL: its `./` URLs absolute under base, so that it
    boots at any depth (the browser's HistoryLocation finds the base from them too)."""
    base = check_base(base)
    page = _FRAMEWORK_URL.sub(f"{base}{PREFIX}/", page)
    return _RELATIVE_ATTRIBUTE.sub(lambda found: found.group(1) + base, page)


def netlify_redirects(base: str = "/") -> str:
    base = check_base(base)
    return (
        "# Netlify: a route's URL (no file there) gets the page; framework files stay 404.\n"
        f"{base}{PREFIX}/*  {base}{FALLBACK_PAGE}  404\n"
        f"{base}*  {base}{FALLBACK_PAGE}  200\n"
    )
