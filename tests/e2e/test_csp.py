"""The app boots under the dev server's strict CSP without a single violation, and the policy
stops script that injected markup would run."""

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
    app_page.page.evaluate(
        """() => {
            window.__ran__ = false;
            const box = document.createElement("div");
            box.innerHTML = '<img src="data:," onload="window.__ran__ = true">';
            document.body.append(box);
        }"""
    )
    app_page.page.wait_for_function("window.__violations__.length > 0")
    assert app_page.page.evaluate("window.__ran__") is False
    assert any(v.startswith("script-src") for v in app_page.page.evaluate("window.__violations__"))
