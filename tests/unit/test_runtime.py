"""The unit tier runs on the production interpreter: Pyodide's Python 3.14 in WebAssembly."""

import sys
from pathlib import Path
from string.templatelib import Interpolation, Template

import pydantic
import pytest

import framework


def test_interpreter_is_pyodide_python_314():
    assert sys.version_info[:2] == (3, 14)
    assert sys.platform == "emscripten"


def test_t_strings_keep_static_strings_and_values_apart():
    name = "<b>Ada</b>"
    template = t"<li class={'done'}>{name}!</li>"
    assert isinstance(template, Template)
    assert template.strings == ("<li class=", ">", "!</li>")
    assert [i.value for i in template.interpolations] == ["done", name]
    assert all(isinstance(i, Interpolation) for i in template.interpolations)
    assert template.interpolations[1].expression == "name"


def test_the_static_strings_are_the_same_object_each_time_a_line_runs():
    # The template cache keys on this identity (see DESIGN.md, "Templates").
    def render(value):
        return t"<p>{value}</p>"

    assert render(1).strings is render(2).strings


def test_pydantic_validates_and_rejects():
    class Todo(pydantic.BaseModel):
        title: str = pydantic.Field(min_length=1)
        done: bool = False

    assert Todo.model_validate({"title": "milk", "done": "yes"}) == Todo(title="milk", done=True)
    with pytest.raises(pydantic.ValidationError, match="at least 1 character"):
        Todo(title="")


def test_framework_imports_from_the_working_tree():
    assert framework.__version__
    repo = Path(__file__).parents[2]
    assert Path(framework.__file__) == repo / "framework" / "__init__.py"
