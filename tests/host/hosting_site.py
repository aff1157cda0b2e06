"""A small stand-in for a `framework build` folder, with the headers and nginx snippets the
build writes for it, and one check that a server sends each file as those rules say: shared by
the tests of the nginx snippet (real nginx) and of `framework preview` (real HTTP).

The files are a build's kinds of file (pages with an inline script, the framework's own files,
versioned runtime files, a wheel, the snapshot, the app's files, one with a space in its name),
big enough to have compressed copies where a build writes them.
"""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import brotli

from framework.cli import compress, headers, nginx_config
from framework.cli.headers import Rule

PAGE = (
    "<!doctype html><html><head><script>window.early = 1;</script>\n"
    '<script type="module" src="./_framework/boot.js"></script></head>\n'
    f"<body><!-- {'padding ' * 200} --></body></html>\n"
)
FILES = {
    "index.html": PAGE.encode(),
    "404.html": PAGE.replace("./_framework", "/_framework").encode(),
    "sw.js": b"// the service worker\n" * 60,
    "manifest.webmanifest": b'{"name": "app"}',
    "app.css": b"body { margin: 0 }\n",
    "my file.css": b"p { color: red }\n",
    "_framework/boot.js": b"export const boot = 1;\n" * 80,
    "_framework/app.zip": bytes(range(256)) * 2,
    "_framework/lib/framework-0.1.0-py3-none-any.whl": b"PK framework" * 100,
    "_framework/runtime/pyodide@1.0.0/pyodide.asm.wasm": b"\0asm" + b"\0" * 4000,
    "_framework/runtime/pyodide@1.0.0/pyodide.mjs": b"export const loadPyodide = 1;\n" * 50,
    "_framework/wheels/extra-1.0-py3-none-any.whl": b"PK extra" * 200,
    "_framework/snapshot/0123abcd.bin": b"\0" * 5000,
}
DECODE: dict[str | None, Callable[[bytes], bytes]] = {
    "br": brotli.decompress,
    "gzip": gzip.decompress,
    None: lambda data: data,
}


def make_site(folder: Path, base: str) -> list[Rule]:
    """Write the stand-in build into folder with its `_headers` and nginx snippets; its rules."""
    for relative, data in FILES.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        compress.write_siblings(target)
    rules = headers.write(folder, base)
    nginx_config.write(folder, rules, base)
    return rules


def fetch(url: str, **sent: str) -> tuple[int, Message, bytes]:
    """Status, headers and body (as sent: not decoded) of a GET."""
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in sent.items()})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check_served_as_the_rules_say(url: str, folder: Path, rules: list[Rule], base: str) -> None:
    """Every file of the site, in every coding, with exactly its rules' headers; a route's URL
    answered with the fallback page; a missing framework file a 404; revalidation a 304."""
    for relative in headers.site_files(folder):
        expected = headers.headers_for(rules, base + relative)
        media_type = expected.pop("Content-Type", None) or headers.media_type(relative)
        quoted = urllib.request.pathname2url(relative)
        has_copies = folder.joinpath(relative + ".br").is_file()
        for accept, coding in (("br, gzip", "br"), ("gzip", "gzip"), ("identity", None)):
            status, sent, body = fetch(url + quoted, Accept_Encoding=accept)
            assert status == 200, (relative, status)
            served_coding = sent.get("Content-Encoding")
            assert served_coding == (coding if has_copies else None), (relative, accept)
            assert DECODE[served_coding](body) == FILES[relative], relative
            assert sent.get_content_type() == media_type, relative
            for name, value in expected.items():
                assert sent.get_all(name) == [value], (relative, name, sent.get_all(name))
            if has_copies:
                assert "Accept-Encoding" in (sent.get("Vary") or ""), relative
        if "ETag" in sent:
            assert fetch(url + quoted, If_None_Match=sent["ETag"])[0] == 304, relative

    status, sent, body = fetch(url + "book/7", Accept_Encoding="identity")
    assert (status, body) == (200, FILES["404.html"])
    page_headers = headers.headers_for(rules, base + "404.html")
    for name in ("Content-Security-Policy", "Cache-Control"):
        assert sent[name] == page_headers[name]
    status, sent, _ = fetch(url + "_framework/missing.js")
    assert status == 404
    assert sent["X-Content-Type-Options"] == "nosniff"
    if base != "/":  # the base without its slash: sent to the page's URL (its URLs are relative)
        with urllib.request.urlopen(url.removesuffix("/"), timeout=10) as response:
            assert response.geturl() == url
