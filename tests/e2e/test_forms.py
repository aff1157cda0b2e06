"""A pydantic form in real Chromium, driven like a user (app: apps/forms, docs/forms.md's
sign-up form): pydantic's messages show beside their fields, tied to them by aria-invalid and
aria-describedby; a valid form posts the model to the app's server.py; the server's 422 for a
taken email lands on the email field, the drafts kept.

The page boots once per module; `__forms_reset__()` remounts a fresh app before each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import APPS, AppPage, ServeApp

pytestmark = pytest.mark.e2e

OVERLAY = "#framework-error"


@pytest.fixture(scope="module")
def booted(served_app: ServeApp, module_page: AppPage) -> AppPage:
    module_page.open(served_app(APPS / "forms").url)
    assert module_page.error is None, module_page.text(OVERLAY)
    assert module_page.ready
    return module_page


@pytest.fixture
def page(booted: AppPage) -> Iterator[Page]:
    """A freshly mounted app; a test that leaves an error on the page fails."""
    booted.page.evaluate("() => __forms_reset__()")
    yield booted.page
    assert booted.error is None, booted.text(OVERLAY)


def expect_error(page: Page, field: Locator, message: str) -> None:
    """field shows `message` as its error: aria-invalid, and aria-describedby naming it."""
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(message)
    error_id = field.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_have_text(message)


def fill(page: Page, email: str, password: str, age: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Age").fill(age)


def test_pydantic_errors_show_beside_the_fields_then_a_model_is_submitted(page: Page) -> None:
    email = page.get_by_label("Email")
    email.fill("ada")
    page.get_by_label("Age").fill("12")  # Email is left, edited: its error shows
    expect_error(page, email, "Enter an email address such as ada@example.com")
    expect(page.get_by_label("Age")).not_to_have_attribute("aria-invalid", "true")

    page.get_by_role("button", name="Sign up").click()  # the browser does not navigate
    expect_error(page, page.get_by_label("Age"), "Input should be greater than or equal to 13")
    expect_error(
        page, page.get_by_label("Password"), "Use 8 characters or more, one of them a digit"
    )
    expect(page.get_by_text("Accept the terms to sign up")).to_be_visible()

    fill(page, "Ada@Example.com", "s3cret-pass", "36")
    expect(page.get_by_label("Age")).not_to_have_attribute("aria-invalid", "true")  # live
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Sign up").click()
    # The server echoes the validated model: validators applied, age an int.
    expect(page.get_by_role("status")).to_have_text("Welcome, ada@example.com (36)!")
    expect(page.locator("[aria-invalid]")).to_have_count(0)
    assert page.url.endswith("/")  # no query string: the browser's submission was prevented


def test_the_servers_422_lands_on_the_email_field(page: Page) -> None:
    fill(page, "taken@example.com", "s3cret-pass", "20")
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Sign up").click()
    email = page.get_by_label("Email")
    expect_error(page, email, "Email already registered")
    expect(email).to_have_value("taken@example.com")
    expect(page.get_by_role("button", name="Sign up")).to_be_enabled()
    email.press("End")
    email.press("Backspace")  # edited: the server's message no longer applies
    expect(email).not_to_have_attribute("aria-invalid", "true")
