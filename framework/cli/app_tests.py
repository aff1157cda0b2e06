"""`framework test [APP]`: run an app's own tests (its `tests/` folder) inside Pyodide.

An app's components run on Pyodide's Python 3.14 in the browser, so their tests run on the same
interpreter build, under Node, against the in-memory DOM: no browser needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from framework.cli.app import App
from framework.cli.errors import CliError
from framework.cli.pyodide_tests import Result, run_and_report

TESTS_FOLDER = "tests"
FAILING = ("failed", "error", "xpassed")


def run_app_tests(app: App, pytest_args: Sequence[str], out: TextIO) -> int:
    """Run the tests, print one line per test and each failure in full; 0 when all pass."""
    folder = app.root / TESTS_FOLDER
    if not folder.is_dir():
        raise CliError(
            f"{app.root} has no {TESTS_FOLDER}/ folder. Put test_*.py files there (see the "
            "tests/ of an app made by `framework new`).",
            exit_code=2,
        )
    report = run_and_report([folder], pytest_args, rootdir=app.root)
    results = report.results
    for result in results:
        print(f"{result.outcome.upper():8} {result.nodeid}", file=out)
    for result in results:
        if result.outcome in FAILING:
            print(f"\n{'_' * 20} {result.nodeid} {'_' * 20}\n{result.longrepr}", file=out)
    for warned in report.warnings:
        print(f"\nWARNING  {warned.nodeid}\n{warned.text}", file=out)
    print(summary(results, len(report.warnings)), file=out)
    return 1 if not results or any(r.outcome in FAILING for r in results) else 0


def summary(results: Sequence[Result], warnings: int = 0) -> str:
    if not results:
        return "framework: no tests were collected"
    counts: dict[str, int] = {}
    for result in results:
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
    if warnings:
        counts["warning" if warnings == 1 else "warnings"] = warnings
    return "framework: " + ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
