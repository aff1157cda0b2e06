"""dangerous_html() under the dev server's own Content-Security-Policy, Trusted Types enforced:
the same vectors as test_raw_html.py (where the CSP is bypassed to test the sanitiser alone).

Here the CSP would block inline handlers and javascript: URLs by itself, but not PyScript, which
runs the Python it finds whatever the policy says; and Trusted Types close every HTML sink but
the sanitiser's own. So these tests show that the page boots and renders under that policy,
that Python still runs from markup that reaches the page another way (the detectors work), and
that every vector through dangerous_html() leaves the browser nothing to block: no hit, and no
policy violation but those the browser reports while DOMPurify parses the markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import APPS, AppPage, ServeApp
from tests.e2e.raw_html_vectors import HARNESS, RUNTIME_TYPE, VECTORS, markups

pytestmark = pytest.mark.e2e

MARKUPS = markups()
PYTHON_WAIT_MS = 2000
RECORD_BOOT_VIOLATIONS = """
window.__boot_violations__ = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__boot_violations__.push(`${e.violatedDirective}: ${e.sample || e.blockedURI}`));
"""


@pytest.fixture(scope="module")
def served(served_app: ServeApp) -> str:
    url: str = served_app(APPS / "raw_html").url
    return url


@pytest.fixture(scope="module")
def probe(served: str, browser: Browser) -> Iterator[Page]:
    context = browser.new_context()  # the policy applies
    page = context.new_page()
    page.add_init_script(RECORD_BOOT_VIOLATIONS)
    app = AppPage(page)
    response = page.goto(served)
    assert response is not None
    page.evaluate("h => { window.__csp__ = h }", response.headers["content-security-policy"])
    app.wait_settled()
    assert app.error is None, app.text("#framework-error")
    page.evaluate(HARNESS)
    page.evaluate("type => __rawtest__.preparePython(type)", RUNTIME_TYPE)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def clean(probe: Page) -> Iterator[None]:
    probe.evaluate("__rawtest__.reset(); __raw_set__([])")
    yield
    assert probe.get_attribute("html", "data-error") is None


def test_the_app_boots_with_trusted_types_enforced_and_no_violation(probe: Page) -> None:
    policy = probe.evaluate("window.__csp__")
    assert "require-trusted-types-for 'script'" in policy
    assert "trusted-types framework framework-template framework-view default" in policy
    assert probe.evaluate("window.__boot_violations__") == []


def test_python_still_runs_from_markup_that_reaches_the_page(probe: Page) -> None:
    """The detector under the policy: an attribute set through the DOM (no HTML sink, so
    Trusted Types do not apply) runs Python when clicked; CSP has no say over PyScript.
    The button goes into a shadow root: once the app is ready the framework stops PyScript
    watching the document (test_xss.py), but PyScript still watches the shadow roots."""
    index = next(i for i, v in enumerate(VECTORS) if v.kind == "PyScript attribute" and v.live)
    probe.evaluate(
        """i => new Promise((done) => setTimeout(() => {
            const button = document.createElement("button");
            button.setAttribute("py-click", `pwn.hit_${i}`);
            const host = document.createElement("div");
            document.getElementById("raw-scratch").append(host);
            host.attachShadow({ mode: "open" }).append(button);
            setTimeout(() => { button.click(); done(); }, 50);
        }))""",
        index,
    )
    probe.wait_for_function("i => __rawtest__.hits().includes(i)", arg=index)


def test_any_other_html_sink_is_blocked(probe: Page) -> None:
    """Trusted Types: innerHTML with a plain string throws, from a page task as from an app."""
    blocked = probe.evaluate(
        """() => new Promise((done) => setTimeout(() => {
            try { document.createElement("div").innerHTML = "<b>x</b>"; done("assigned"); }
            catch (error) { done(error.name); }
        }))"""
    )
    assert blocked == "TypeError"
    assert any(
        v.startswith("require-trusted-types-for")
        for v in probe.evaluate("__rawtest__.violations()")
    )


@pytest.fixture(scope="module")
def rendered(probe: Page) -> dict[str, Any]:
    probe.evaluate("__rawtest__.reset()")
    probe.evaluate("m => __raw_set__(m)", MARKUPS)
    assert probe.locator("#sinks .sink").count() == len(MARKUPS)
    result: dict[str, Any] = probe.evaluate(
        "w => __rawtest__.rendered('#sinks .sink', w)", PYTHON_WAIT_MS
    )
    result["violations"] = probe.evaluate("__rawtest__.violations()")
    result["sanitize_errors"] = probe.evaluate("__rawtest__.sanitizeErrors()")
    return result


def test_no_vector_runs_and_the_browser_has_nothing_to_block(
    rendered: dict[str, Any], probe: Page
) -> None:
    ran = [MARKUPS[i] for i in rendered["hits"]]
    left = {MARKUPS[int(i)]: found for i, found in rendered["leftovers"].items()}
    assert (ran, left) == ([], {})
    # The round trip through innerHTML that test_raw_html.py also makes is itself a sink that
    # Trusted Types close; only the sanitiser's own policy may parse markup.
    assert rendered["reparsed"] is False
    # DOMPurify parses the markup in an inert document that inherits the page's policy, so
    # the browser refuses what the policy forbids there (each inline handler, a <base>) and
    # says so, before DOMPurify removes it: those reports come from the parse, in DOMPurify's
    # file. Nothing else reached the policy.
    parse = [v for v in rendered["violations"] if " purify.min.js:" in v]
    assert {v.split(" ")[0] for v in parse} <= {"script-src-attr", "base-uri"}
    violations = [v for v in rendered["violations"] if v not in parse]
    assert [v for v in violations if "Element innerHTML" not in v] == []
    assert rendered["sanitize_errors"] == []
    assert rendered["state"] == {"baseURI": probe.url, "pwned": ""}


def test_the_sanitised_markup_is_rendered_under_the_policy(probe: Page) -> None:
    probe.evaluate("m => __raw_set__(m)", ['<p class="x"><b>bold</b> <a href="/a">a</a></p>'])
    html = probe.locator("#sinks .sink").evaluate("el => el.innerHTML")
    assert html == '<p class="x"><b>bold</b> <a href="/a">a</a></p>'
    probe.evaluate("t => __raw_note__(t)", "rendering on")
    assert probe.locator("#note").text_content() == "rendering on"
