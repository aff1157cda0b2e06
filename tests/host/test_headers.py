"""The headers a host sends with a build (framework/cli/headers.py): what `framework build`
writes in `_headers`, the CSP's hashes against the pages' real inline scripts, which URLs may be
cached for ever, and the file format."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from framework.cli import headers
from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.bundle import FRAMEWORK_ROOT
from framework.cli.headers import IMMUTABLE, REVALIDATE, Rule


@pytest.fixture(scope="module")
def built(app_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    (app_dir / "index.html").write_text(
        "<!doctype html><html><head><title>app</title>\n"
        "<script>window.own = 1;</script>\n"  # the app's own inline script: hashed too
        '<script type="application/ld+json">{"@type": "data"}</script>\n'
        '</head><body><div id="app"></div></body></html>\n'
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRAMEWORK_NO_SNAPSHOT", "1")  # the snapshot's own tests: test_snapshot.py
        output = tmp_path_factory.mktemp("out") / "dist"
        build(find_app(str(app_dir)), output, base="/apps/todo/")
    return output


@pytest.fixture(scope="module")
def rules(built: Path) -> list[Rule]:
    return headers.parse_headers_file((built / headers.HEADERS_FILE).read_text())


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def page_policy(rules: list[Rule]) -> str:
    return headers.headers_for(rules, "/apps/todo/index.html")["Content-Security-Policy"]


def test_the_policy_allows_exactly_the_inline_scripts_of_the_pages(rules: list[Rule]) -> None:
    policy = page_policy(rules)
    script_src = policy.split(";")[0].split()
    allowed = {source for source in script_src if source.startswith("'sha256-")}
    framework_inline = {
        sha256_source((FRAMEWORK_ROOT / "browser" / name).read_text())
        for name in ("replay.js", "view.js")
    }
    assert allowed == framework_inline | {sha256_source("window.own = 1;")}
    assert "'self'" in script_src
    assert "'strict-dynamic'" not in script_src  # it would make browsers ignore 'self'
    assert "'unsafe-inline'" not in script_src
    for directive in (
        "worker-src 'self'",
        "manifest-src 'self'",
        "require-trusted-types-for 'script'",
        "object-src 'none'",
        "base-uri 'none'",
    ):
        assert directive in policy


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/apps/todo/_framework/runtime/pyodide@314.0.7/pyodide.asm.wasm", IMMUTABLE),
        ("/apps/todo/_framework/wheels/pydantic-2.14.3-py3-none-any.whl", IMMUTABLE),
        ("/apps/todo/_framework/snapshot/0123abcd.bin", IMMUTABLE),
        ("/apps/todo/_framework/lib/framework-0.1.0-py3-none-any.whl", REVALIDATE),
        ("/apps/todo/_framework/app.zip", REVALIDATE),
        ("/apps/todo/_framework/boot.js", REVALIDATE),
        ("/apps/todo/", REVALIDATE),
        ("/apps/todo/index.html", REVALIDATE),
        ("/apps/todo/404.html", REVALIDATE),
        ("/apps/todo/sw.js", REVALIDATE),
        ("/apps/todo/manifest.webmanifest", REVALIDATE),
        ("/apps/todo/main.py", REVALIDATE),
    ],
)
def test_only_urls_that_name_their_content_are_immutable(
    rules: list[Rule], path: str, cache: str
) -> None:
    assert headers.headers_for(rules, path).get("Cache-Control") == cache


def test_every_file_gets_one_cache_rule_and_the_security_headers(
    built: Path, rules: list[Rule]
) -> None:
    files = headers.site_files(built)
    assert "index.html" in files and "404.html" in files
    assert not [name for name in files if name.endswith((".br", ".gz"))]
    for name in files:
        sent = headers.headers_for(rules, f"/apps/todo/{name}")
        assert sent["Cache-Control"] in (IMMUTABLE, REVALIDATE), name
        assert sent["Content-Security-Policy"] == page_policy(rules), name
        assert sent["X-Content-Type-Options"] == "nosniff", name
    headers.check_disjoint(rules, [f"/apps/todo/{name}" for name in files])


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("_framework/runtime/pyodide@314.0.7/pyodide.asm.wasm", "application/wasm"),
        ("_framework/runtime/pyodide@314.0.7/pyodide.mjs", "text/javascript"),
        ("_framework/pyodide_boot.mjs", "text/javascript"),
        ("manifest.webmanifest", "application/manifest+json"),
    ],
)
def test_types_that_browsers_insist_on_are_named(
    built: Path, rules: list[Rule], name: str, media_type: str
) -> None:
    assert (built / name).is_file()
    assert headers.headers_for(rules, f"/apps/todo/{name}")["Content-Type"] == media_type


def test_the_written_file_is_what_the_build_computes(built: Path, rules: list[Rule]) -> None:
    assert rules == headers.build_rules(built, "/apps/todo/")
    assert rules[0] == Rule("/apps/todo/*", rules[0].headers)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<script>a()</script>", ["a()"]),
        ('<SCRIPT type="module">b()</SCRIPT>', ["b()"]),
        ("<script type='text/javascript'>c()</script><p>x</p>", ["c()"]),
        ("<script>d()\r\ne()</script>", ["d()\ne()"]),  # as the browser's parser has it
        ("<script>if (a < b && c) {}</script>", ["if (a < b && c) {}"]),
        ("<script>x = '&amp;'</script>", ["x = '&amp;'"]),  # never decoded in a script
        ('<script type="application/json">{"a": 1}</script>', []),
        ('<script type="py">print(1)</script>', []),
        ('<script src="./x.js"></script>', []),
        ('<script type="module" src="./x.js"></script>', []),
    ],
)
def test_inline_script_hashes(markup: str, expected: list[str]) -> None:
    assert headers.inline_script_hashes(markup) == [sha256_source(text) for text in expected]


def test_two_rules_setting_one_header_for_a_path_are_refused() -> None:
    rules = [
        Rule("/*", (("Cache-Control", REVALIDATE),)),
        Rule("/_framework/runtime/*", (("Cache-Control", IMMUTABLE),)),
    ]
    with pytest.raises(ValueError, match=r"Cache-Control is set by two rules \(/\* and"):
        headers.check_disjoint(rules, ["/_framework/runtime/a.js"])


def test_a_headers_file_reads_back_as_written() -> None:
    rules = [
        Rule("/*", (("X-Content-Type-Options", "nosniff"),)),
        Rule("/a b.css", (("Cache-Control", REVALIDATE), ("Content-Type", "text/css"))),
    ]
    text = headers.headers_file(rules)
    assert headers.parse_headers_file(text) == rules


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("  Cache-Control: no-cache\n", 1),  # a header before any path
        ("/index.html\n  no colon here\n", 2),
        ("# comment\n/*\nCache-Control: no-cache\n", 3),  # not indented
    ],
)
def test_an_unreadable_headers_file_names_its_line(text: str, line: int) -> None:
    with pytest.raises(headers.HeadersFileError, match=rf"^_headers:{line}: .*framework build"):
        headers.parse_headers_file(text)
