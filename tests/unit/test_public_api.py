"""framework/__init__.py: `__all__` is the public API, and each of its names resolves to its home.

The names are also placed in a table (imported on first use) and imported for type checkers;
these tests keep the three in step with `__all__`.
"""

import ast
import sys
from pathlib import Path

import pytest

import framework

PACKAGE_ONLY = {"__version__"}  # defined in framework/__init__.py itself


def type_checking_imports():
    """(name, module) for every name the `if TYPE_CHECKING:` block imports."""
    tree = ast.parse(Path(framework.__file__).read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    return [
        (alias.asname or alias.name, node.module)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_every_public_name_is_listed_once():
    assert len(set(framework.__all__)) == len(framework.__all__)


def test_the_lazy_table_places_every_public_name_once():
    placed = [name for names in framework._HOMES.values() for name in names]
    assert sorted(placed) == sorted(set(framework.__all__) - PACKAGE_ONLY)


def test_type_checkers_import_each_public_name_from_its_home():
    assert sorted(type_checking_imports()) == sorted(framework._HOME_OF.items())


@pytest.mark.parametrize("name", sorted(set(framework.__all__) - PACKAGE_ONLY))
def test_a_public_name_is_the_object_its_home_module_exports(name):
    home = framework._HOME_OF[name]
    value = getattr(framework, name)
    if home == "framework":  # a module of its own, such as framework.aio
        assert value is sys.modules[f"framework.{name}"]
    else:
        assert value is getattr(sys.modules[home], name)


def test_a_star_import_binds_exactly_the_public_names():
    namespace = {}
    exec("from framework import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(framework.__all__)


def test_a_misspelt_name_is_an_import_error_that_names_it():
    with pytest.raises(ImportError, match="cannot import name 'Sgnal' from 'framework'"):
        exec("from framework import Sgnal", {})
    assert not hasattr(framework, "Sgnal")  # an AttributeError, as hasattr expects
