"""Finding the app: a pyscript.toml that points at an app folder with its own config."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.cli.app import find_app
from framework.cli.config import ConfigError


def make_pointer(base: Path, pointer: str, own: str | None) -> Path:
    app = base / "apps" / "demo"
    app.mkdir(parents=True)
    (app / "main.py").write_text("print('hi')\n")
    if own is not None:
        (app / "pyscript.toml").write_text(own)
    (base / "pyscript.toml").write_text(pointer)
    return app


def test_pointer_uses_the_app_folders_own_config(tmp_path: Path) -> None:
    app = make_pointer(tmp_path, '[framework]\napp = "apps/demo"\n', 'name = "Demo"\n')
    from_root, from_folder = find_app(None, tmp_path), find_app("apps/demo", tmp_path)
    assert from_root.root == from_folder.root == app
    assert from_root.config_path == from_folder.config_path == app / "pyscript.toml"
    assert from_root.title == "Demo"


def test_pointer_without_own_config_is_the_config(tmp_path: Path) -> None:
    make_pointer(tmp_path, 'name = "Root"\n[framework]\napp = "apps/demo"\n', None)
    assert find_app(None, tmp_path).title == "Root"


@pytest.mark.parametrize(
    ("pointer", "key"),
    [
        ('name = "Root"\n[framework]\napp = "apps/demo"\n', "name"),
        ('[framework]\napp = "apps/demo"\ntitle = "T"\n', "framework"),
    ],
)
def test_pointer_with_settings_of_its_own_is_refused(
    tmp_path: Path, pointer: str, key: str
) -> None:
    make_pointer(tmp_path, pointer, 'name = "Demo"\n')
    with pytest.raises(ConfigError, match=f"key '{key}'.*move the setting there"):
        find_app(None, tmp_path)


@pytest.mark.parametrize(
    "main",
    [
        "import pydantic\n",
        'from pydantic import BaseModel\nview = t"<p>{1}</p>"\n',  # t-strings: 3.14 only
        'def f():\n    import pydantic.fields\n    return t"{f}"\n',
    ],
)
def test_pydantic_is_shipped_when_any_module_imports_it(tmp_path: Path, main: str) -> None:
    (tmp_path / "main.py").write_text(main)
    assert "pydantic" in {wheel.name for wheel in find_app(None, tmp_path).browser_wheels()}


def test_pydantic_is_not_shipped_when_nothing_imports_it(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text('view = t"<p>import pydantic</p>"\n')
    assert find_app(None, tmp_path).browser_wheels() == []
