"""pytest fixtures for end-to-end tests with the testing kit, on pytest-playwright's.

Load it with `-p framework.cli.e2e.pytest_plugin` (or `pytest_plugins = [...]` in the root
conftest.py): `screen` and `user` are the kit over pytest-playwright's `page`, and the kit's
selector engine is registered for every test that uses Playwright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from framework.cli.e2e.engine import install
from framework.cli.e2e.queries import Screen
from framework.cli.e2e.user import User

if TYPE_CHECKING:
    from playwright.sync_api import Page, Playwright


@pytest.fixture(autouse=True)
def _framework_testkit_engine(request: pytest.FixtureRequest) -> None:
    """The queries' selector engine, registered (once) for each test that uses Playwright;
    a test that does not use it does not start it."""
    if "playwright" in request.fixturenames:
        playwright: Playwright = request.getfixturevalue("playwright")
        install(playwright)


@pytest.fixture
def screen(page: Page) -> Screen:
    """The queries over pytest-playwright's page."""
    return Screen(page)


@pytest.fixture
def user(page: Page) -> User:
    """The actions on pytest-playwright's page."""
    return User(page)
