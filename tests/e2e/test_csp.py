"""The app boots under the dev server's strict CSP (Trusted Types enforced) without a single
violation, and the policy stops script that injected markup would run: Trusted Types refuse the
markup itself."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__violations__ = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__violations__.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def test_app_boots_with_no_policy_violation(served_app: ServeApp, app_page: AppPage) -> None:
    app_page.page.add_init_script(RECORD_VIOLATIONS)
    app_page.open(served_app(APPS / "greeting").url)
    assert app_page.error is None, app_page.text("#framework-error")
    assert app_page.text("#app").startswith("Hello Ada")
    assert app_page.page.evaluate("window.__violations__") == []


def test_inline_handler_in_injected_markup_is_blocked(
    served_app: ServeApp, app_page: AppPage
) -> None:
    app_page.page.add_init_script(RECORD_VIOLATIONS)
    app_page.open(served_app(APPS / "greeting").url)
    blocked = app_page.page.evaluate(
        """() => new Promise((done) => setTimeout(() => {
            window.__ran__ = false;
            const box = document.createElement("div");
            try {
                box.innerHTML = '<img src="data:," onload="window.__ran__ = true">';
                document.body.append(box);
                done("inserted");
            } catch (error) {
                done(error.name);  // Trusted Types: innerHTML takes no plain string
            }
        }))"""
    )
    app_page.page.wait_for_function("() => window.__violations__.length > 0")
    assert blocked == "TypeError"
    assert app_page.page.evaluate("window.__ran__") is False
    violations = app_page.page.evaluate("window.__violations__")
    assert any(v.startswith("require-trusted-types-for") for v in violations)
