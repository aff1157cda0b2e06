"""The public API (`framework.__all__`) from the outside: lazy to import, and documented.

Importing the package costs nothing until a name is used: the browser pays only for what an app
uses, and the CLI, on the host's Python 3.11, imports this package although the browser modules
use Python 3.14 syntax. Every public name has an entry in a guide's API reference, and every
`from framework import ...` in the documentation imports a public name.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import framework

ROOT = Path(__file__).resolve().parents[2]
GUIDES = sorted((ROOT / "docs").glob("*.md"))
DOCUMENTATION = [ROOT / "README.md", *sorted(ROOT.glob("apps/*/README.md")), *GUIDES]
FENCED = re.compile(r"```.*?```", re.S)
INLINE = re.compile(r"`([^`\n]+)`")
FROM_FRAMEWORK_IMPORT = re.compile(r"^\s*from framework import (\([^)]*\)|.*)$", re.M)


def framework_modules_after(statement: str) -> list[str]:
    """The framework modules a fresh interpreter has imported after running statement."""
    listed = "sorted(m for m in sys.modules if m.partition('.')[0] == 'framework')"
    code = f"import sys\n{statement}\nprint(*{listed})"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("statement", "imported"),
    [
        ("import framework", ["framework"]),
        ("from framework import Signal, effect", ["framework", "framework.reactive"]),
    ],
)
def test_a_public_name_imports_only_its_own_module(statement: str, imported: list[str]) -> None:
    assert framework_modules_after(statement) == imported


def api_reference_code(guide: Path) -> str:
    """The code in a guide's `## API reference` section: its fenced blocks and inline spans."""
    text = guide.read_text(encoding="utf-8")
    section = text.partition("\n## API reference\n")[2].split("\n## ")[0]
    blocks = FENCED.findall(section)
    spans = INLINE.findall(FENCED.sub("", section))
    return "\n".join([*blocks, *spans])


def test_each_guide_ends_with_an_api_reference() -> None:
    assert len(GUIDES) >= 5
    assert [guide.name for guide in GUIDES if not api_reference_code(guide)] == []


# __version__ is the package's metadata, not an API to describe.
@pytest.mark.parametrize("name", [name for name in framework.__all__ if not name.startswith("__")])
def test_a_guide_documents_each_public_name(name: str) -> None:
    mention = re.compile(rf"(?<![\w.])(?:framework\.)?{re.escape(name)}(?!\w)")
    documented_in = [guide.name for guide in GUIDES if mention.search(api_reference_code(guide))]
    assert documented_in, f"{name} is in no API reference section of docs/*.md"


def names_imported_from_framework(text: str) -> list[str]:
    found = []
    for match in FROM_FRAMEWORK_IMPORT.finditer(text):
        names = re.sub(r"#.*", "", match.group(1)).strip("() \n")
        found += [name.split(" as ")[0].strip() for name in names.split(",") if name.strip()]
    return found


def test_the_documentation_imports_only_public_names_from_framework() -> None:
    imported = {
        (doc.relative_to(ROOT).as_posix(), name)
        for doc in DOCUMENTATION
        for name in names_imported_from_framework(doc.read_text(encoding="utf-8"))
    }
    assert len({name for _, name in imported}) >= 15  # the pattern still finds the imports
    assert sorted((doc, name) for doc, name in imported if name not in framework.__all__) == []
