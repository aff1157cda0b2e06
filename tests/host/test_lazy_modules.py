"""Which modules a first visit leaves out: those named by `lazy("...")` literals that are the
app's own files and that nothing loaded at start imports. The app archive leaves them out (the
page's plan lists them for the browser's loader: tests/e2e/test_suspense_lazy.py checks it)."""

from __future__ import annotations

import io
import textwrap
import zipfile
from pathlib import Path

import pytest

from framework.cli.app import find_app
from framework.cli.bundle import build_app_zip
from framework.cli.lazy_modules import lazy_files

MAIN = """
    from framework import Router, lazy
    import framework

    router = Router({
        "/settings": lazy("pages.settings", fallback=t"<p>…</p>"),
        "/admin": framework.lazy("admin", "Admin"),
        "/elsewhere": lazy("not_in_the_app"),
    })
"""


def write_app(root: Path, files: dict[str, str]) -> Path:
    for name, source in {"main.py": MAIN, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


@pytest.fixture
def app_files() -> dict[str, str]:
    return {
        "pages/__init__.py": "",
        "pages/settings.py": "from pages import helpers\n",
        "pages/helpers.py": "",
        "admin/__init__.py": "from admin.views import Admin\n",
        "admin/views.py": "",
        "style.css": "",
    }


def test_lazy_literals_name_modules_and_packages_of_the_app(
    tmp_path: Path, app_files: dict[str, str]
) -> None:
    app = find_app(str(write_app(tmp_path, app_files)))
    assert lazy_files(app) == {
        "admin": ["admin/__init__.py", "admin/views.py"],
        "pages.settings": ["pages/settings.py"],
    }


@pytest.mark.parametrize(
    "importer",
    ["import pages.settings\n", "from pages import settings\n", "from pages.settings import X\n"],
)
def test_a_lazy_module_imported_at_start_stays_in_the_archive(
    tmp_path: Path, app_files: dict[str, str], importer: str
) -> None:
    app_files["pages/helpers.py"] = importer  # helpers is imported by main's modules' chain
    app_files["eager.py"] = "import pages.helpers\n"
    app = find_app(str(write_app(tmp_path, app_files)))
    assert list(lazy_files(app)) == ["admin"]


def test_the_archive_leaves_lazy_modules_out(tmp_path: Path, app_files: dict[str, str]) -> None:
    app = find_app(str(write_app(tmp_path, app_files)))
    with zipfile.ZipFile(io.BytesIO(build_app_zip(app).data)) as archive:
        shipped = sorted(archive.namelist())
    assert shipped == ["main.py", "pages/__init__.py", "pages/helpers.py", "style.css"]


def test_an_app_without_lazy_routes_ships_everything(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hi')\n")
    app = find_app(str(tmp_path))
    assert lazy_files(app) == {}
    with zipfile.ZipFile(io.BytesIO(build_app_zip(app).data)) as archive:
        assert archive.namelist() == ["main.py"]
