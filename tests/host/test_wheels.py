"""The wheels a page loads follow the framework modules the app uses, not only its own imports;
an import nothing can satisfy is named, with its file and line, before the browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.errors import CliError
from framework.cli.main import main

E2E_APPS = Path(__file__).parents[1] / "e2e" / "apps"
PYDANTIC_WHEELS = {
    "pydantic", "pydantic-core", "typing-extensions", "annotated-types", "typing-inspection",
}  # fmt: skip


def wheel_names(tmp_path: Path, main_py: str, **modules: str) -> set[str]:
    (tmp_path / "main.py").write_text(main_py)
    for name, source in modules.items():
        (tmp_path / f"{name}.py").write_text(source)
    return {wheel.name for wheel in find_app(None, tmp_path).browser_wheels()}


@pytest.mark.parametrize(
    "main_py",
    [
        'from framework import Store\nnotes = Store("notes", list[str])\n',
        'from framework import (\n    Component,\n    Store,\n)\nview = t"<p>{1}</p>"\n',
        "import framework.store\n",
        "from framework.store import Store\n",
        "from framework.storage.codec import Codec\n",
    ],
)
def test_an_app_using_store_gets_pydantic_without_importing_it(
    tmp_path: Path, main_py: str
) -> None:
    assert wheel_names(tmp_path, main_py) >= PYDANTIC_WHEELS


def test_a_store_used_in_a_second_module_counts_too(tmp_path: Path) -> None:
    names = wheel_names(tmp_path, "import state\n", state="from framework import Store\n")
    assert names >= PYDANTIC_WHEELS


@pytest.mark.parametrize(
    "main_py",
    [
        'from framework import Component, Signal, mount\nview = t"<p>import pydantic</p>"\n',
        "from browser.local_storage import storage\n",  # a string storage: no schema, no pydantic
        "# from framework import Store\n",
    ],
)
def test_an_app_that_needs_no_validation_loads_no_wheel(tmp_path: Path, main_py: str) -> None:
    assert wheel_names(tmp_path, main_py) == set()


def test_the_store_app_without_pydantic_gets_pydantic() -> None:
    app = find_app(str(E2E_APPS / "store_no_pydantic"))
    assert {wheel.name for wheel in app.browser_wheels()} == PYDANTIC_WHEELS
    assert app.missing_packages() == []


def test_a_missing_package_is_named_with_the_import_that_needs_it(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text('import json\nview = t"<p/>"\nimport numpy.linalg as la\n')
    (problem,) = find_app(None, tmp_path).missing_packages()
    assert problem.package == "numpy"
    assert str(problem).startswith("main.py:3: `import numpy.linalg` needs the package 'numpy'")


@pytest.mark.parametrize(
    "main_py",
    [
        "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import numpy\n",
        "import helpers\nfrom helpers import tool\nfrom . import helpers as again\n",
        "import js\nfrom pyodide.ffi import create_proxy\nfrom string.templatelib import Template\n",
        "import annotationlib\nfrom browser import aio\n",
    ],
)
def test_imports_the_page_can_satisfy_are_not_missing(tmp_path: Path, main_py: str) -> None:
    (tmp_path / "main.py").write_text(main_py)
    (tmp_path / "helpers.py").write_text("tool = 1\n")
    assert find_app(None, tmp_path).missing_packages() == []


def test_build_refuses_a_missing_package_before_writing(tmp_path: Path) -> None:
    app_folder = tmp_path / "app"
    app_folder.mkdir()
    (app_folder / "main.py").write_text("import requests\n")
    with pytest.raises(CliError, match=r"main\.py:1: `import requests` needs the package"):
        build(find_app(str(app_folder)), tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_the_build_of_a_store_app_without_pydantic_loads_pydantic(tmp_path: Path) -> None:
    assert main(["build", str(E2E_APPS / "store_no_pydantic"), "-o", str(tmp_path)]) == 0
    page = (tmp_path / "index.html").read_text()
    found = re.search(r'id="framework-plan">(.*?)</script>', page)
    assert found is not None
    plan = json.loads(found.group(1))
    shipped = {Path(url).name.split("-")[0].replace("_", "-") for url in plan["wheels"]}
    assert shipped >= {"pydantic", "framework"}
    for url in plan["wheels"]:
        assert (tmp_path / url).is_file(), f"the page loads {url} but the build lacks it"
    assert plan["dev"] is False


def test_a_framework_module_changed_while_serving_is_scanned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk over the framework's imports is kept between page requests, but not past a
    change to a framework source file (a framework developer editing while `serve` runs)."""
    from framework.cli import wheels

    package = tmp_path / "framework"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "thing.py"
    module.write_text("import json\n")
    monkeypatch.setattr(wheels, "FRAMEWORK_ROOT", package)
    assert [site.module for site in wheels.framework_imports(["framework.thing"])] == ["json"]
    module.write_text("import json\nimport pydantic\n")
    found = [site.module for site in wheels.framework_imports(["framework.thing"])]
    assert found == ["json", "pydantic"]
