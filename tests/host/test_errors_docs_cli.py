"""docs/errors.md, the CLI's part: each `console` block runs its `$ framework ...` commands on the
files written just above it (the blocks starting `# myapp/...`) and prints exactly the lines it
shows, failing with a non-zero exit status. The guide's folder is /home/me; here it is a
temporary one."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from framework.cli.main import main

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
HOME = "/home/me"


def examples() -> list[tuple[dict[str, str], str]]:
    """(files by path, console text) for each console block, in the guide's order."""
    found, files = [], {}
    for language, text in FENCE.findall(GUIDE.read_text(encoding="utf-8")):
        if language == "console":
            found.append((files, text))
            files = {}
        elif text.startswith("# myapp/"):
            files[text.splitlines()[0].removeprefix("# ")] = text
    return found


EXAMPLES = examples()


def commands(console: str) -> list[tuple[str, list[str]]]:
    """Each `$ ` line of a console block with the lines it prints."""
    runs: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            runs[-1][1].append(line)
    return runs


def test_the_guide_shows_the_check_and_the_commands() -> None:
    shown = [command for _, console in EXAMPLES for command, _ in commands(console)]
    assert "framework check myapp" in shown
    assert len(shown) >= 5


@pytest.mark.parametrize(
    ("files", "console"), EXAMPLES, ids=[f"console{i}" for i in range(len(EXAMPLES))]
)
def test_a_command_prints_what_the_guide_shows(
    files: dict[str, str],
    console: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command, expected in commands(console):
        program, *arguments = shlex.split(command)
        assert program == "framework"
        assert main(arguments) != 0, command
        out, err = capsys.readouterr()
        printed = (out + err).replace(str(tmp_path.resolve()), HOME).replace(str(tmp_path), HOME)
        assert printed.splitlines() == expected, command


BOOT_JS = GUIDE.parents[1] / "framework" / "browser" / "boot.js"


def page_hints() -> list[str]:
    """The hints the page adds to known runtime errors: boot.js's HINTS, one text each."""
    table = BOOT_JS.read_text(encoding="utf-8").split("const HINTS = [", 1)[1].split("\n];", 1)[0]
    entries = table.split("\n  [")[1:]
    return ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', entry)) for entry in entries]


def test_the_guide_shows_each_hint_of_the_page_as_the_page_writes_it() -> None:
    hints = page_hints()
    assert hints
    guide = GUIDE.read_text(encoding="utf-8")
    assert [hint for hint in hints if f"Hint: {hint}\n" not in guide] == []
