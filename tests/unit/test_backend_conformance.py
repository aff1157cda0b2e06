"""The memory backend against the conformance table (tests/conformance): every case holds, the
table catches a backend that breaks any one of the browser's rules, and it exercises every op.

The same table runs in Chromium against the real applier: tests/e2e/test_backend_conformance.py.
"""

from collections import Counter

import pytest

from framework.dom import ops
from framework.dom.memory import MemoryDom
from tests.conformance import cases, diverging, runner


def report(result: runner.Result) -> str:
    return "\n".join(
        f"{result.name} / {o.step}:\n  expected {o.expected!r}\n  actual   {o.actual!r}"
        for o in result.failures
    )


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_memory_backend_conforms(name):
    result = runner.run_case(name, cases.CASES[name], runner.MemoryHarness())
    assert result.observations, "a case observes something"
    assert not result.failures, report(result)


@pytest.mark.parametrize("backend", diverging.BACKENDS, ids=lambda backend: backend.__name__)
def test_the_table_catches_a_diverging_backend(backend):
    results = runner.run_table(cases.CASES, runner.MemoryHarness(backend))
    failed = {result.name for result in results if result.failures}
    assert backend.caught_by in failed, backend.__doc__


class CountingHarness(runner.MemoryHarness):
    """Adds up the operations each case's backend applied."""

    def __init__(self) -> None:
        super().__init__()
        self.applied: Counter[str] = Counter()

    def start(self) -> MemoryDom:
        self.applied.update(self.dom.counts)
        return super().start()


def test_the_table_applies_every_operation():
    harness = CountingHarness()
    runner.run_table(cases.CASES, harness)
    harness.start()  # counts the last case's backend
    assert set(harness.applied) == set(ops.NAMES.values())
