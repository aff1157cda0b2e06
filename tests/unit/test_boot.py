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
