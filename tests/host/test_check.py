"""`framework check` checks the code: every module compiled by Python 3.14 (Pyodide under Node),
every t-string template linted, each problem a `file:line:col: message` line at the mistake.

Each folder is checked in one Pyodide run; the table of single mistakes is one app with a module
per mistake, checked once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from framework.cli import lint
from framework.cli.app import find_app
from framework.cli.main import main
from framework.cli.reload import ReloadHub

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]

ENTRY = '''\
from framework import Component, mount

from rows import label


class Row(Component):
    def render(self):
        return t"""<li>
          <button onclick={self.remove()}>x</button>
          <span onclik={self.bump}>{label()}</span>
        """

    def remove(self):
        pass

    def bump(self):
        pass


mount(Row(), "#app")
'''
SECOND = """\
def label():
    return ("done",
"""


def test_check_reports_every_mistake_of_an_app_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(ENTRY)
    (app / "rows.py").write_text(SECOND)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "app"]) == 1
    out, err = capsys.readouterr()
    expected = [
        ("app/main.py:8:20: ", "<li> is never closed: close it with </li>"),
        ("app/main.py:9:27: ", "onclick={self.remove()} calls the handler while rendering"),
        ("app/main.py:10:17: ", "unknown event 'onclik': did you mean onclick?"),
        ("app/rows.py:2:12: ", "syntax error: '(' was never closed"),
    ]
    lines = out.splitlines()
    assert [line.split(": ")[0] for line in lines] == [where.rstrip(": ") for where, _ in expected]
    for line, (where, message) in zip(lines, expected, strict=True):
        assert line.startswith(where)
        assert message in line
    assert "4 problems found" in err

    assert main(["check", "app", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(p["file"], p["line"], p["col"]) for p in found] == [
        (str(app / "main.py"), 8, 20),
        (str(app / "main.py"), 9, 27),
        (str(app / "main.py"), 10, 17),
        (str(app / "rows.py"), 2, 12),
    ]


# One mistake per module: (source, [(line, col, a fragment of the message), ...]).
MISTAKES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    "unclosed_tag": ('x = t"<div><p>hi</p>"\n', [(1, 7, "<div> is never closed")]),
    "unbalanced_tag": ('x = t"<div></span>"\n', [(1, 12, "</span> does not match: <div> is")]),
    "slot_in_tag_name": ('x = t"<{tag}>"\n', [(1, 8, "a slot in a tag name is not allowed")]),
    "slot_as_attribute": (
        'x = t"<div {attrs}></div>"\n',
        [(1, 12, "a slot must be an attribute value (name={value})")],
    ),
    "slot_in_comment": ('x = t"<!-- {note} -->"\n', [(1, 12, "inside an HTML comment")]),
    "unknown_event": ('x = t"<p onclik={f}></p>"\n', [(1, 10, "did you mean onclick?")]),
    "unknown_modifier": (
        'x = t"<p onclick.prevnt={f}></p>"\n',
        [(1, 10, "unknown event modifier 'prevnt'")],
    ),
    "called_handler": (
        'x = t"<p onclick={self.remove()}></p>"\n',
        [(1, 18, "pass the function: onclick={self.remove}")],
    ),
    "called_handler_with_modifiers": (
        'x = t"<p onclick.stop={go()} oncLick.prevnt={f}></p>"\n',
        [
            (1, 23, "onclick.stop={go()} calls the handler"),
            (1, 30, "oncLick.prevnt: unknown event modifier 'prevnt'"),
        ],
    ),
    "called_handler_with_arguments": (
        'x = t"<p onclick={remove(item)}></p>"\n',
        [(1, 18, "pass the function: onclick={(remove, item)}")],
    ),
    "called_handler_with_keywords": (
        'x = t"<p onclick={remove(item, undo=True)}></p>"\n',
        [(1, 18, "pass the function: onclick={(lambda: remove(item, undo=True))}")],
    ),
    "render_returns_an_f_string": (
        'class A:\n    def render(self):\n        return f"<p>{self.name}</p>"\n',
        [
            (
                3,
                16,
                'render() returns an f-string: the page would show its markup as text; write a t-string, t"..."',
            )
        ],
    ),
    "render_returns_a_str": (
        'class A:\n    def render(self):\n        return "<p>hi</p>"\n',
        [(3, 16, "render() returns a str")],
    ),
    "doubled_braces": (
        'x = t"<p>Hi {{name}}</p>"\n',
        [(1, 13, "{{name}} shows the text {name} on the page")],
    ),
    "syntax_error": ("def f(:\n    pass\n", [(1, 7, "syntax error: invalid syntax")]),
    "compile_error": ("return 1\n", [(1, 1, "syntax error: 'return' outside function")]),
    # Columns count characters (é is two bytes), lines go on after escapes and `{{`.
    "positions_after_unicode": ('x = "é"; y = t"<div>"\n', [(1, 16, "<div> is never closed")]),
    "positions_on_a_later_line": (
        'x = t"""<ul>\n  <li>é\\t{{</li></ol>"""\n',
        [(2, 17, "</ol> does not match: <ul> is still open")],
    ),
    "positions_across_concatenated_literals": (
        'x = (t"<div>"\n     t"</span>")\n',
        [(2, 8, "</span> does not match: <div> is still open")],
    ),
    "several_in_one_template": (
        'x = t"""<ul>\n  <li onclik={f}>{{n}}</li>\n  <li onclick={g()}>\n"""\n',
        [
            (2, 7, "unknown event 'onclik'"),
            (2, 18, "{{n}} shows the text {n}"),
            (3, 3, "<li> is never closed: close it with </li>"),
            (3, 15, "onclick={g()} calls the handler"),
        ],
    ),
}
# The host's modules (server.py and its server_lib/) are compiled by this Python, not Pyodide's.
HOST_MISTAKES = {
    "server.py": ("api = (\n", [(1, 7, "syntax error: '(' was never closed")]),
    "server_lib/store.py": ("def f(:\n", [(1, 7, "syntax error: invalid syntax")]),
}
# What must pass: handlers passed, made by a factory or partial, custom events, CSS braces.
VALID = '''\
from functools import partial


class Row:
    def handler_for(self, item):
        return lambda: self.pick(item)

    def pick(self, item=None):
        pass

    def render(self):
        src = "a.png"
        return t"""<ul>
          <li onclick={(lambda: self.pick(1))} onkeydown.enter.prevent={self.pick}>a</li>
          <li onclick={self.handler_for(2)} on:my-event={self.pick}>b</li>
          <li onclick={partial(self.pick, 3)}><br><img src={src} alt="">é</li>
          <li><input .value={src}/></li>
        </ul><style>a {{ color: red }}</style>"""


def label():
    return "plain text, not markup"
'''


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[int, int, str]]]:
    app = tmp_path_factory.mktemp("mistakes")
    (app / "main.py").write_text(VALID)
    for name, (source, _) in MISTAKES.items():
        (app / f"{name}.py").write_text(source, encoding="utf-8")
    (app / "server_lib").mkdir()
    for path, (source, _) in HOST_MISTAKES.items():
        (app / path).write_text(source)
    found: dict[str, list[tuple[int, int, str]]] = {}
    for problem in lint.check_code(find_app(str(app))):
        found.setdefault(Path(problem.file).stem, []).append(
            (problem.line, problem.col, problem.message)
        )
    return found


@pytest.mark.parametrize("name", [*MISTAKES, *HOST_MISTAKES])
def test_each_mistake_is_reported_at_its_place(
    problems: dict[str, list[tuple[int, int, str]]], name: str
) -> None:
    expected = {**MISTAKES, **HOST_MISTAKES}[name][1]
    found = problems.get(Path(name).stem, [])
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected]
    for (_, _, message), (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in message


def test_correct_templates_and_handlers_are_not_reported(
    problems: dict[str, list[tuple[int, int, str]]],
) -> None:
    assert problems.get("main") is None


def test_the_apps_pass_check(capsys: pytest.CaptureFixture[str]) -> None:
    """No false positives: every demo app (apps/*) and the end-to-end test apps check clean,
    in one Pyodide run; but those that are wrong on purpose (xss: templates the parser must
    refuse; mistake*: a user's first-hour mistakes, shown in the page)."""
    folders = sorted((ROOT / "apps").iterdir())
    assert {"notebook", "todo", "upload"} <= {folder.name for folder in folders}
    folders += [
        folder
        for folder in sorted((ROOT / "tests" / "e2e" / "apps").iterdir())
        if folder.name != "xss" and not folder.name.startswith("mistake")
    ]
    apps = [find_app(str(folder)) for folder in folders if (folder / "main.py").is_file()]
    assert lint.check_apps(apps) == []
    assert main(["check", str(ROOT / "apps" / "todo")]) == 0
    assert capsys.readouterr().out.strip().endswith("pyscript.toml: ok")


def run_in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: once the e2e tier has started Playwright, its sync
    API keeps an event loop running in the main thread, where asyncio.run() would refuse."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_serve_sends_the_check_at_start_and_after_each_change(tmp_path: Path) -> None:
    """Live reload runs the check at start and after a change, and sends each page its result,
    also a page that connects after it ran; a page is never sent a result older than a change."""
    verdicts = iter(["main.py:1:7: <div> is never closed", ""])

    async def scenario() -> list[str]:
        hub = ReloadHub([tmp_path], checker=lambda: next(verdicts))
        watcher = asyncio.create_task(hub.watch())
        stream = hub._stream(None)  # type: ignore[arg-type]
        received = [await anext(stream), await asyncio.wait_for(anext(stream), 10)]
        late = hub._stream(None)  # type: ignore[arg-type]
        received += [await anext(late), await anext(late)]
        (tmp_path / "main.py").write_text("x = 1\n")
        received += [await asyncio.wait_for(anext(stream), 10) for _ in range(2)]
        assert hub.check_text == ""
        hub.close()
        await watcher
        return received

    assert run_in_own_loop(scenario()) == [
        ": connected\n\n",
        'event: check\ndata: "main.py:1:7: <div> is never closed"\n\n',
        ": connected\n\n",
        'event: check\ndata: "main.py:1:7: <div> is never closed"\n\n',
        "event: reload\ndata: reload\n\n",
        'event: check\ndata: ""\n\n',
    ]


def test_serve_check_tells_why_an_app_cannot_be_checked(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("x = 1\n")
    (tmp_path / "pyscript.toml").write_text("pakages = []\n")
    assert "key 'pakages': unknown key" in lint.check_text(str(tmp_path), tmp_path)
