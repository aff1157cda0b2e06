"""`framework test APP`: a new app's own test passes in Pyodide; a broken one fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli.main import main


@pytest.fixture
def new_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "hello"]) == 0
    return tmp_path / "hello"


def test_new_apps_test_passes(new_app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["test", str(new_app)]) == 0
    out = capsys.readouterr().out
    assert "PASSED   tests/test_app.py::test_counter_counts_clicks" in out
    assert out.rstrip().endswith("framework: 1 passed")


BOOKS_MODULE = """
from framework import Component, Signal, aio


class Books(Component):
    def setup(self):
        self.titles = Signal(None)
        aio.run(self.load())

    async def load(self):
        request = await aio.get("/api/books", format="json")
        self.titles.value = request.data

    def render(self):
        if self.titles.value is None:
            return t"<p>loading</p>"
        return t"<ul>{[t'<li>{title}</li>' for title in self.titles.value]}</ul>"
"""

BOOKS_TESTS = """
from books import Books

from framework import MemoryDom, aio, mount
from framework.aio.mock import json_response, never_answer
from framework.testing import settle


def test_rows_after_settle():
    aio.set_transport(aio.MockTransport(lambda request: json_response(200, ["Dune", "Emma"])))
    dom = MemoryDom()
    mount(Books(), "#app", backend=dom)
    settle(dom)
    assert [li.text_content for li in dom.container("#app").find("li")] == ["Dune", "Emma"]


def test_left_loading():
    aio.set_transport(aio.MockTransport(never_answer))
    mount(Books(), "#app", backend=MemoryDom())
"""


def test_tasks_components_start_run_on_settle_and_pending_ones_are_named(
    new_app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (new_app / "books.py").write_text(BOOKS_MODULE)
    (new_app / "tests" / "test_books.py").write_text(BOOKS_TESTS)
    capsys.readouterr()
    assert main(["test", str(new_app)]) == 0
    out = capsys.readouterr().out
    assert "PASSED   tests/test_books.py::test_rows_after_settle" in out
    assert "PASSED   tests/test_app.py::test_counter_counts_clicks" in out  # uses settle too
    warning = out.split("WARNING  tests/test_books.py::test_left_loading\n")[1]
    assert "PendingTaskWarning: 1 task(s) still pending" in warning
    assert "Books.load() waiting at" in warning
    assert out.rstrip().endswith("framework: 3 passed, 1 warning")


def test_broken_component_fails_with_the_assertion(
    new_app: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = new_app / "counter.py"
    counter.write_text(counter.read_text().replace("+= 1", "+= 2"))
    capsys.readouterr()
    assert main(["test", str(new_app)]) == 1
    out = capsys.readouterr().out
    assert "FAILED   tests/test_app.py::test_counter_counts_clicks" in out
    assert "Clicks: 3" in out  # the failing comparison is shown
    assert "framework: 1 failed" in out


def test_app_without_tests_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    assert main(["test", str(tmp_path)]) == 2
    assert "has no tests/ folder" in capsys.readouterr().err
