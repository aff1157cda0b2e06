"""The testing kit: queries by role, label and text, a user's actions, until().

Re-exported by framework.testing, where tests import it from (docs/testing.md).
"""

from framework.testkit.queries import (
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
from framework.testkit.roles import accessible_name, role_of
from framework.testkit.user import User
from framework.testkit.waiting import UntilTimeout, until

__all__ = [
    "ElementNotFound",
    "Matcher",
    "MultipleElementsFound",
    "Query",
    "Screen",
    "UntilTimeout",
    "User",
    "accessible_name",
    "by_display_value",
    "by_label_text",
    "by_placeholder_text",
    "by_role",
    "by_test_id",
    "by_text",
    "role_of",
    "until",
]
