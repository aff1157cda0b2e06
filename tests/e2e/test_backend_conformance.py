"""The backend conformance table (tests/conformance) in Chromium: the real applier, configured
from protocol.json as at any boot, shows what every case expects and exactly what the memory
backend shows; and the same comparison catches a memory backend that diverges on purpose.

One page boot for the whole table: the app (tests/conformance, under `framework serve`) runs every
case in the page against both backends and leaves the results in `window.__conformance__`. The
memory backend alone is checked against the table in tests/unit/test_backend_conformance.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import AppPage, ServeApp

pytestmark = pytest.mark.e2e

APP = Path(__file__).parents[1] / "conformance"
Results = dict[str, list[list[str]]]  # case -> [step, expected, actual] per observation


@pytest.fixture(scope="module")
def results(served_app: ServeApp, module_page: AppPage) -> dict[str, Any]:
    module_page.open(served_app(APP).url)
    assert module_page.error is None, module_page.text("#framework-error")
    found: dict[str, Any] = json.loads(module_page.page.evaluate("window.__conformance__"))
    return found


def unexpected(results: Results) -> list[str]:
    return [
        f"{case} / {step}:\n  expected {expected!r}\n  shown    {actual!r}"
        for case, observations in results.items()
        for step, expected, actual in observations
        if expected != actual
    ]


def differences(first: Results, second: Results) -> list[str]:
    """Cases whose observations differ between two backends, each with its first difference."""
    found = []
    for case in sorted(first.keys() | second.keys()):
        pairs = zip(first.get(case, []), second.get(case, []), strict=False)
        diverging = [(a[0], a[2], b[2]) for a, b in pairs if a[2] != b[2]]
        if len(first.get(case, [])) != len(second.get(case, [])):
            diverging.append(("the number of steps", "", ""))
        if diverging:
            step, one, other = diverging[0]
            found.append(f"{case} / {step}:\n  {one!r}\n  {other!r}")
    return found


def test_the_applier_shows_what_every_case_expects(results: dict[str, Any]) -> None:
    assert results["browser"], "the page ran the table"
    found = unexpected(results["browser"])
    assert not found, "\n".join(found)


def test_memory_and_browser_backends_show_the_same(results: dict[str, Any]) -> None:
    found = differences(results["memory"], results["browser"])
    assert not found, "memory / browser:\n" + "\n".join(found)


def test_a_diverging_backend_differs_from_the_browser(results: dict[str, Any]) -> None:
    control = results["diverging"]
    found = differences(control["results"], results["browser"])
    caught = {entry.split(" / ")[0] for entry in found}
    assert control["caught_by"] in caught, f"{control['backend']} was not caught: {found}"
