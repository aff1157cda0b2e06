"""What the open pages are told about a change: swap the edited modules in, or load again (why)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framework.cli.reload import module_name, page_update

FILES = {
    "main.py": "from counter import Counter\n",
    "counter.py": "class Counter: ...\n",
    "pages/__init__.py": "",
    "pages/settings.py": "TITLE = 'Settings'\n",
    "style.css": "p { color: teal; }\n",
    "server.py": "api = None\n",
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path.resolve()


def update(app: Path, *names: str) -> tuple[str, object] | None:
    shipped = {app / name for name in FILES if name != "server.py"}
    found = page_update(app, "main.py", {app / name for name in names}, shipped)
    return None if found is None else (found[0], json.loads(found[1]))


def test_an_edited_module_is_sent_with_its_source(app: Path) -> None:
    assert update(app, "counter.py", "pages/settings.py") == (
        "hot",
        {
            "modules": [
                {"module": "counter", "path": "counter.py", "source": FILES["counter.py"]},
                {
                    "module": "pages.settings",
                    "path": "pages/settings.py",
                    "source": FILES["pages/settings.py"],
                },
            ]
        },
    )


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        (("main.py",), "main.py is the entry module: it runs once, at start"),
        (("counter.py", "style.css"), "style.css changed (only Python modules are hot-swapped)"),
    ],
)
def test_what_cannot_be_swapped_reloads_the_page_and_says_why(
    app: Path, names: tuple[str, ...], reason: str
) -> None:
    assert update(app, *names) == ("reload", reason)


def test_a_removed_module_reloads_the_page(app: Path) -> None:
    (app / "counter.py").unlink()

    assert update(app, "counter.py") == ("reload", "counter.py was removed")


def test_a_file_the_page_does_not_have_changes_nothing_there(app: Path) -> None:
    assert update(app, "server.py") is None


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("counter.py", "counter"),
        ("pages/settings.py", "pages.settings"),
        ("pages/__init__.py", "pages"),
    ],
)
def test_module_names_follow_the_import_system(path: str, name: str) -> None:
    assert module_name(path) == name
