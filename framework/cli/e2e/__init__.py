"""The testing kit against a real page: the unit tier's Screen, User and until() for
end-to-end tests in Chromium, on Playwright (docs/testing.md, "End-to-end tests in Chromium").

Host-side (it drives a browser; nothing of it is shipped to one), so it lives with the CLI.
It needs Playwright only when used: importing it does not import Playwright.
"""

from framework.cli.e2e.engine import install
from framework.cli.e2e.queries import (
    ElementNotFound,
    Matcher,
    MultipleElementsFound,
    Query,
    Screen,
    by_display_value,
    by_label_text,
    by_placeholder_text,
    by_role,
    by_test_id,
    by_text,
)
from framework.cli.e2e.user import User
from framework.cli.e2e.waiting import UntilTimeout, until

__all__ = [
    "ElementNotFound",
    "Matcher",
    "MultipleElementsFound",
    "Query",
    "Screen",
    "UntilTimeout",
    "User",
    "by_display_value",
    "by_label_text",
    "by_placeholder_text",
    "by_role",
    "by_test_id",
    "by_text",
    "install",
    "until",
]
