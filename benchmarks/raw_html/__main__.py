"""The cost of dangerous_html(): a 50 KB article rendered as sanitised HTML, against the same
string rendered as text.

    .venv/bin/python -m benchmarks.raw_html [--runs 21]

The app (benchmarks/raw_html/app) under `framework serve`, so with the dev server's CSP and
Trusted Types, in Chromium. Each run empties the slot, then times, in the page, the synchronous
call that sets it (Python's render, the op list, the applier, and for HTML DOMPurify's parse and
checks and the insertion), then a forced layout. Runs alternate the two kinds. It also times
the sanitiser alone on the same markup. A benchmark, not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from benchmarks.jsfb.browser import bench_context, chromium
from tests.e2e.conftest import free_port, start_server

APP = Path(__file__).resolve().parent / "app"
ARTICLE_BYTES = 50_000
TIME_ONE = """async ([kind, text]) => {
    __article__("", "");
    await new Promise((resolve) => setTimeout(resolve, 30));
    const start = performance.now();
    __article__(kind, text);
    const rendered = performance.now();
    document.body.offsetHeight;  // layout of what was inserted
    return [rendered - start, performance.now() - start];
}"""
TIME_SANITISER = """(text) => {
    const start = performance.now();
    const nodes = __framework_sanitize__(text);
    return [performance.now() - start, nodes.length];
}"""


def section(n: int) -> str:
    """One section of a made-up article: the markup a CMS or a Markdown renderer produces."""
    return (
        f'<h2 id="part-{n}">Part {n}: on sanitising</h2>\n'
        f'<p class="lead">Paragraph {n} has <b>bold</b>, <i>italic</i>, <code>code()</code> and '
        f'<a href="https://example.org/articles/{n}?ref=bench#top" title="more">a link</a>; '
        "then a longer sentence that goes on for a while, as articles do, with nothing in it "
        "but words, commas and the occasional <em>emphasis</em> to keep the parser busy.</p>\n"
        f"<ul><li>first point {n}</li><li>second <strong>point</strong></li><li>third</li></ul>\n"
        f"<blockquote><p>A quotation, number {n}, attributed below.</p></blockquote>\n"
        "<table><thead><tr><th>key</th><th>value</th></tr></thead><tbody>"
        f"<tr><td>n</td><td>{n}</td></tr><tr><td>square</td><td>{n * n}</td></tr></tbody></table>\n"
        f'<figure><img alt="figure {n}" width="16" height="16" '
        'src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><figcaption>A figure</figcaption>'
        "</figure>\n"
    )


def article() -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < ARTICLE_BYTES:
        parts.append(section(len(parts) + 1))
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    text = article()
    port = free_port()
    log = Path("/tmp") / f"raw-html-bench-{port}.log"  # noqa: S108 - a scratch log
    command = [sys.executable, "-m", "framework", "serve", str(APP), "--port", str(port)]
    server = start_server([*command, "--no-reload"], port, log, cwd=APP.parent)
    times: dict[str, list[tuple[float, float]]] = {"html": [], "text": []}
    sanitiser: list[float] = []
    try:
        with chromium() as browser:
            context = bench_context(browser)
            page = context.new_page()
            page.goto(server.url)
            page.wait_for_selector('html[data-ready="1"]', state="attached", timeout=120_000)
            for kind in ("html", "text"):  # warm-up
                page.evaluate(TIME_ONE, [kind, text])
            for run in range(args.runs):
                order = ("html", "text") if run % 2 == 0 else ("text", "html")
                for kind in order:
                    render, layout = page.evaluate(TIME_ONE, [kind, text])
                    times[kind].append((render, layout))
                sanitiser.append(page.evaluate(TIME_SANITISER, text)[0])
            elements = page.evaluate(
                "t => { __article__('html', t); return document.querySelectorAll('#article *')"
                ".length }",
                text,
            )
            context.close()
    finally:
        server.stop()
    medians = {
        kind: {
            "render_ms": statistics.median(r for r, _ in runs),
            "with_layout_ms": statistics.median(total for _, total in runs),
        }
        for kind, runs in times.items()
    }
    result = {
        "article_bytes": len(text.encode()),
        "elements": elements,
        "runs": args.runs,
        "median": medians,
        "sanitiser_alone_ms": statistics.median(sanitiser),
    }
    print(json.dumps(result, indent=2))
    html, plain = medians["html"], medians["text"]
    print(
        f"{len(text.encode()) / 1000:.1f} KB article, {elements} elements, median of {args.runs}: "
        f"dangerous_html {html['render_ms']:.2f} ms to render "
        f"({html['with_layout_ms']:.2f} with layout), as text {plain['render_ms']:.2f} ms "
        f"({plain['with_layout_ms']:.2f}); ratio {html['render_ms'] / plain['render_ms']:.1f}x "
        f"({html['with_layout_ms'] / plain['with_layout_ms']:.1f}x with layout); "
        f"DOMPurify with the framework's hooks alone: {statistics.median(sanitiser):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
