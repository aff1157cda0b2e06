"""dangerous_html() in real Chromium with the dev server's CSP bypassed, so that the sanitiser
alone is tested (reliability matrix T18, T24-T28; the same vectors under the CSP and Trusted
Types: test_raw_html_csp.py).

One page for the module (app: tests/e2e/apps/raw_html). The detectors are first shown to fire on
markup inserted with plain innerHTML; then every vector is rendered by the app, each in its own
dangerous_html() slot, in one flush, and everything that could run is triggered
(raw_html_vectors.py says how), and the memory backend's sanitiser (what unit tests see) is shown
to keep no element or attribute that DOMPurify removes; last, the control runs every vector raw,
to show that each one marked live really runs in this browser when nothing sanitises it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page

from tests.e2e.conftest import APPS, AppPage, ServeApp
from tests.e2e.raw_html_vectors import (
    CLOBBERING,
    HARNESS,
    PAGE_LEVEL,
    RUNTIME_TYPE,
    SCRIPTED,
    VECTORS,
    Vector,
    markups,
)

pytestmark = pytest.mark.e2e

MARKUPS = markups()
# PyScript's vectors: the controls insert them in a shadow root, which PyScript watches; after
# ready it no longer watches the document (test_xss.py).
SHADOWED = [i for i, v in enumerate(VECTORS) if v.kind.startswith("PyScript")]
PYTHON_WAIT_MS = 2000  # how long PyScript gets to run what it found (matrix T4: 2 s)
VECTOR_IDS = [f"{v.kind.replace(' ', '-')}-{i}" for i, v in enumerate(VECTORS)]


def first_live(kind: str) -> int:
    return next(i for i, v in enumerate(VECTORS) if v.kind == kind and v.live)


@pytest.fixture(scope="module")
def probe(served_app: ServeApp, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(bypass_csp=True)
    app = AppPage(context.new_page())
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    app.page.on("dialog", on_dialog)
    app.open(served_app(APPS / "raw_html").url)
    assert app.error is None, app.text("#framework-error")
    app.page.evaluate(HARNESS)
    app.page.evaluate("type => __rawtest__.preparePython(type)", RUNTIME_TYPE)
    yield app.page
    assert dialogs == []
    context.close()


# The controls insert vectors raw (innerHTML, not dangerous_html): their code runs and may throw,
# now or later (media that fail late), and the page rightly reports every uncaught error. They
# run last on this page, and the "no error reported" check does not apply to them.
RAW_CONTROLS = {
    "test_every_live_vector_runs_through_innerhtml",
    "test_live_page_level_markup_changes_the_page_through_innerhtml",
}


@pytest.fixture(autouse=True)
def clean(probe: Page, request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with empty slots and no hits, and leaves the app where it found it."""
    url = probe.url
    probe.evaluate("__rawtest__.reset(); __raw_set__([]); __raw_form__('')")
    yield
    assert probe.url == url
    if getattr(request.node, "originalname", request.node.name) not in RAW_CONTROLS:
        assert probe.get_attribute("html", "data-error") is None


def render(page: Page, markup_list: list[str]) -> None:
    page.evaluate("m => __raw_set__(m)", markup_list)


def note_renders(page: Page, text: str) -> bool:
    page.evaluate("t => __raw_note__(t)", text)
    return page.locator("#note").text_content() == text


# -- the detectors fire on plain innerHTML ----------------------------------------------------------


DETECTOR_CHECKS = [
    first_live("event handler"),
    first_live("script URL"),
    first_live("PyScript script"),
    first_live("PyScript attribute"),
]


def test_detectors_fire_on_markup_inserted_with_innerhtml(probe: Page) -> None:
    entries = [[i, MARKUPS[i]] for i in DETECTOR_CHECKS]
    result = probe.evaluate(
        "([e, x, s]) => __rawtest__.raw(e, 0, x, undefined, s)",
        [entries, DETECTOR_CHECKS, SHADOWED],
    )
    assert result["hits"] == DETECTOR_CHECKS


# -- every vector through dangerous_html ------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(probe: Page) -> dict[str, Any]:
    """All vectors rendered at once, each in its own slot, then triggered."""
    probe.evaluate("__rawtest__.reset()")
    render(probe, MARKUPS)
    assert probe.locator("#sinks .sink").count() == len(MARKUPS)
    result: dict[str, Any] = probe.evaluate(
        "w => __rawtest__.rendered('#sinks .sink', w)", PYTHON_WAIT_MS
    )
    result["sanitize_errors"] = probe.evaluate("__rawtest__.sanitizeErrors()")
    return result


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=VECTOR_IDS)
def test_vector_runs_nothing_through_dangerous_html(rendered: dict[str, Any], index: int) -> None:
    assert index not in rendered["hits"], MARKUPS[index]
    assert rendered["leftovers"].get(str(index)) is None, MARKUPS[index]


def test_no_vector_changes_the_page_or_breaks_the_sanitiser(
    rendered: dict[str, Any], probe: Page
) -> None:
    assert rendered["state"] == {"baseURI": probe.url, "pwned": ""}
    assert rendered["reparsed"] is True  # a round trip through innerHTML ran nothing either
    assert rendered["sanitize_errors"] == []
    assert note_renders(probe, "still rendering")


HARMLESS = (
    '<h2 id="intro">Intro</h2><p class="lead">Some <b>bold</b>, <em>em</em> and a '
    '<a href="https://example.org/a?b=1#c" title="t">link</a>.</p>'
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"><svg viewBox="0 0 9 9">'
    '<circle cx="4" cy="4" r="4" fill="teal"></circle></svg><table><tbody><tr><td>1</td></tr>'
    "</tbody></table><template><p>later</p></template><details><summary>s</summary>d</details>"
)


def test_harmless_markup_is_kept(probe: Page) -> None:
    """What dangerous_html() is for stays, ids and names prefixed (DOMPurify's
    SANITIZE_NAMED_PROPS), so no inserted element can stand for a property of the page."""
    render(probe, [HARMLESS])
    html = probe.locator("#sinks .sink").evaluate("el => el.innerHTML")
    assert html == HARMLESS.replace('id="intro"', 'id="user-content-intro"')


# -- the memory backend (unit tests' dangerous_html) keeps no more than DOMPurify --------------------

# What each sink kept, as "tag" and "tag attribute" names (template content included).
KEPT_IN_PAGE = """sinks => sinks.map((sink) => {
    const kept = new Set();
    const visit = (root) => {
        for (const el of root.querySelectorAll("*")) {
            const tag = el.localName.toLowerCase();
            kept.add(tag);
            for (const { name } of el.attributes) kept.add(`${tag} ${name.toLowerCase()}`);
            if (el.content) visit(el.content);
        }
    };
    visit(sink);
    return [...kept];
})"""

# The same, for each markup rendered into a MemoryDom by the page's own Python (3.14, the
# interpreter unit tests run on), and for the markup merely parsed (the control).
KEPT_IN_MEMORY = """
import json
from framework import MemoryDom, dangerous_html, mount
from framework.dom.memory import Element, parse_fragment

def names(root):
    kept = set()
    for node in root.walk():
        if isinstance(node, Element):
            kept.add(node.tag.lower())
            kept.update(f"{node.tag.lower()} {name.lower()}" for name in node.attrs)
    return sorted(kept)

def kept_in_memory(markups):
    result = []
    for markup in json.loads(markups):
        dom = MemoryDom()
        mount(t"{dangerous_html(markup)}", "#app", backend=dom)
        result.append([names(dom.find("#app")), names(parse_fragment(markup))])
    return json.dumps(result)

kept_in_memory
"""

RUN_IN_PYTHON = """async ([code, markups]) => {
    const python = await globalThis[Symbol.for("polyscript")].env["py-script"];
    const kept = python.runPython(code);
    try { return JSON.parse(kept(JSON.stringify(markups))); } finally { kept.destroy(); }
}"""


@pytest.fixture(scope="module")
def kept(probe: Page) -> list[dict[str, set[str]]]:
    """Per vector: what DOMPurify kept in the page, what the memory backend keeps, and what the
    memory backend's parser makes of the markup before sanitising."""
    render(probe, MARKUPS)
    in_page = probe.locator("#sinks .sink").evaluate_all(KEPT_IN_PAGE)
    in_memory = probe.evaluate(RUN_IN_PYTHON, [KEPT_IN_MEMORY, MARKUPS])
    return [
        {"browser": set(browser), "memory": set(memory), "parsed": set(parsed)}
        for browser, (memory, parsed) in zip(in_page, in_memory, strict=True)
    ]


def test_the_comparison_sees_what_sanitising_removes(kept: list[dict[str, set[str]]]) -> None:
    """The control: unsanitised, the memory tree has the handler that DOMPurify removed."""
    handler = kept[first_live("event handler")]
    assert "img onerror" in handler["parsed"] - handler["browser"]
    assert "img src" in handler["memory"] & handler["browser"]


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=VECTOR_IDS)
def test_the_memory_sanitiser_keeps_nothing_that_dompurify_removes(
    kept: list[dict[str, set[str]]], index: int
) -> None:
    more = kept[index]["memory"] - kept[index]["browser"]
    assert not more, f"{MARKUPS[index]}: the memory backend keeps {sorted(more)}"


# -- T26: DOM clobbering ----------------------------------------------------------------------------

CLOBBER_IDS = [markup for markup, _ in CLOBBERING]


def test_clobbering_markup_through_innerhtml_replaces_properties(probe: Page) -> None:
    """The control: these names do shadow the page's properties when nothing sanitises them."""
    shadowed = {
        path
        for markup, paths in CLOBBERING
        for path in probe.evaluate("([m, p]) => __rawtest__.clobberRaw(m, p)", [markup, paths])
    }
    expected = {"form.attributes", "form.tagName", "document.createElement", "app.__fw"}
    assert expected | {"document.getElementById", "document.addEventListener"} <= shadowed


@pytest.mark.parametrize(("markup", "paths"), CLOBBERING, ids=CLOBBER_IDS)
def test_clobbering_markup_through_dangerous_html_replaces_nothing(
    probe: Page, markup: str, paths: list[str]
) -> None:
    probe.evaluate("p => __rawtest__.remember(p)", paths)
    in_app_form = any(path.startswith("app.") for path in paths)
    if in_app_form:
        probe.evaluate("m => __raw_form__(m)", markup)
    else:
        render(probe, [markup])
    selector = "#form-sink" if in_app_form else "#sinks .sink"
    assert probe.evaluate("([s, p]) => __rawtest__.clobberedSince(s, p)", [selector, paths]) == []
    assert probe.evaluate("document.createElement === Document.prototype.createElement")
    assert probe.evaluate("__rawtest__.sanitizeErrors()") == []  # nothing threw
    assert note_renders(probe, f"after {markup}")  # and the app renders on


def test_a_form_that_hides_its_own_attributes_is_removed_whole(probe: Page) -> None:
    """T26, first case: DOMPurify cannot read the attributes of a form whose controls shadow
    them, so it removes that form with everything in it (a hand-written sanitiser skipped them)."""
    render(
        probe, ['<form action="javascript:x" onclick="x"><input name=attributes></form><p>p</p>']
    )
    assert probe.locator("#sinks .sink").evaluate("el => el.innerHTML") == "<p>p</p>"


# -- a sanitiser that fails closed on the slot, not on the app ----------------------------------------


def test_a_failing_sanitiser_shows_the_markup_as_text_and_the_app_renders_on(probe: Page) -> None:
    """If sanitising throws (here: PyScript's registry of interpreter types cannot be read),
    the slot shows the markup as text, the error is reported, and rendering goes on."""
    markup = '<b py-click="print">bold</b>'
    probe.evaluate(
        """() => {
            const registry = globalThis[Symbol.for("polyscript")];
            window.__define__ = registry.define;
            Object.defineProperty(registry, "define", {
                configurable: true, get() { throw new Error("registry unavailable"); } });
        }"""
    )
    try:
        render(probe, [markup, "<i>also</i>"])
    finally:
        # A block body: returning the registry would make Playwright serialise it, reading
        # PyScript's `env` proxy with symbol keys, which rejects (an error of the test's own).
        probe.evaluate(
            """() => { Object.defineProperty(globalThis[Symbol.for("polyscript")], "define", {
                configurable: true, enumerable: true, writable: true, value: window.__define__ }); }"""
        )
    # The first slot needs the registry (a dashed name) and shows its markup as text; the
    # second, with no name that could be PyScript's, is sanitised as usual.
    sinks = probe.locator("#sinks .sink")
    assert sinks.evaluate_all("els => els.map(e => [e.childElementCount, e.innerHTML])") == [
        [0, '&lt;b py-click="print"&gt;bold&lt;/b&gt;'],
        [1, "<i>also</i>"],
    ]
    errors = probe.evaluate("__rawtest__.sanitizeErrors()")
    assert len(errors) == 1 and "registry unavailable" in errors[0]
    assert note_renders(probe, "rendering on")
    render(probe, [markup])  # the registry back: sanitised again
    assert probe.locator("#sinks .sink").evaluate("el => el.innerHTML") == "<b>bold</b>"


# -- the control: each vector marked live runs when inserted raw --------------------------------------


def test_every_live_vector_runs_through_innerhtml(probe: Page) -> None:
    """Last, because raw markup leaves running things behind (media that fail late, PyScript
    queues that a broken script stalls)."""
    entries = [[i, MARKUPS[i]] for i in range(len(SCRIPTED))]
    live = [i for i, v in enumerate(SCRIPTED) if v.live]
    result = probe.evaluate(
        "([e, x, s]) => __rawtest__.raw(e, 500, x, undefined, s)", [entries, live, SHADOWED]
    )
    assert sorted(set(live) - set(result["hits"])) == []


@pytest.mark.parametrize("vector", [v for v in PAGE_LEVEL if v.live], ids=lambda v: v.markup[:40])
def test_live_page_level_markup_changes_the_page_through_innerhtml(
    probe: Page, vector: Vector
) -> None:
    index = VECTORS.index(vector)
    result = probe.evaluate("e => __rawtest__.raw(e, 100)", [[index, MARKUPS[index]]])
    assert result["state"] != {"baseURI": probe.url, "pwned": ""}
