"""Fixtures shared by the Pyodide unit tests. Imported by the host's CPython too (see
framework/cli/pytest_pyodide.py): Python 3.11 syntax only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from framework.errors import set_error_reporter


@pytest.fixture
def errors() -> Iterator[list[BaseException]]:
    """What the framework reports (render and handler errors) while the test runs, in order."""
    collected: list[BaseException] = []
    previous = set_error_reporter(collected.append)
    yield collected
    set_error_reporter(previous)
