"""Fixtures shared by host-side tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smallest app: a main.py that prints and a pyscript.toml with a name (one per module;
    a module that needs another app defines its own `app_dir`)."""
    app = tmp_path_factory.mktemp("app") / "app"
    app.mkdir()
    (app / "main.py").write_text("print('hello')\n")
    (app / "pyscript.toml").write_text('name = "app"\n')
    return app
