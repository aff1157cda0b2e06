"""The app's entry module runs as its own `__main__`: annotations resolve against its globals."""

import sys
import typing

import pytest

from framework.browser.boot import compile_entry, entry_module
from framework.component import Component

ENTRY = """\
{future}
from framework import Component


class Marker:
    pass


class Box(Component):
    marker: Marker

    def render(self):
        return None
"""


@pytest.fixture
def run_entry_source(tmp_path):
    saved = sys.modules["__main__"]

    def run(source):
        entry = tmp_path / "main.py"
        entry.write_text(source)
        module = entry_module(str(entry))
        exec(compile_entry(str(entry)), module.__dict__)
        return module

    yield run
    sys.modules["__main__"] = saved


def test_entry_does_not_inherit_the_boot_modules_future_flags(run_entry_source):
    module = run_entry_source(ENTRY.format(future=""))
    assert module.Box.__annotations__ == {"marker": module.Marker}  # a class, not a string


@pytest.mark.parametrize("future", ["", "from __future__ import annotations"])
def test_component_props_annotated_with_entry_classes_validate(run_entry_source, future):
    module = run_entry_source(ENTRY.format(future=future))
    assert sys.modules["__main__"] is module
    assert typing.get_type_hints(module.Box)["marker"] is module.Marker
    call = module.Box(marker=module.Marker())
    assert isinstance(call.props["marker"], module.Marker)
    assert issubclass(module.Box, Component)


def test_an_error_reported_without_a_traceback_shows_only_its_message():
    from framework.browser.boot import format_user_traceback
    from framework.storage.errors import StoreEditError

    text = format_user_traceback(StoreEditError('changed at\n  File "main.py", line 3'))
    assert text == 'framework.storage.errors.StoreEditError: changed at\n  File "main.py", line 3\n'


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        (["main.py:2: `import numpy` needs the package 'numpy', ..."], "main.py:2: `import numpy`"),
        ([], "the page cannot load 'numpy'"),
    ],
)
def test_a_missing_module_gets_a_hint_naming_the_import(missing, expected, monkeypatch):
    from framework.browser import boot

    monkeypatch.setattr(boot, "_missing_packages", missing)
    error = ModuleNotFoundError("No module named 'numpy.linalg'", name="numpy.linalg")
    assert boot.hint(error).startswith(f"\n\nHint: {expected}")
    assert boot.hint(ValueError("x")) == ""
