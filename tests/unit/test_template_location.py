"""Template errors at the user's line: file, line and column of the slot, the source line with a
caret, and one report per template and error, with a count."""

import importlib.util
import sys

import pytest

from framework import Component, MemoryDom, TemplateSyntaxError, mount
from framework.errors import set_error_reporter
from framework.template.located import EventSlotError

HERE = "test_template_location.py"


def raised_by(build):
    with pytest.raises(Exception) as raised:
        mount(build(), "#app", backend=MemoryDom())
    return raised.value


def where(error):
    """(file:line:col, source line, caret line) of the located error."""
    note = next(note for note in error.__notes__ if note.startswith("in a template of"))
    location, source, caret = note.split("\n")
    return location.rsplit(" at ", 1)[1], source.strip(), caret.strip()


def first_line(function):
    return function.__code__.co_firstlineno


def test_a_bad_child_value_points_at_its_slot():
    def build():
        mapping = {"a": 1}
        return t"<p>count: {mapping}</p>"

    error = raised_by(build)
    assert isinstance(error, TypeError)
    location, source, caret = where(error)
    assert location.endswith(
        f"{HERE}:{first_line(build) + 2}:{len('        return t"<p>count: ') + 1}"
    )
    assert source == 'return t"<p>count: {mapping}</p>"'
    assert caret == "^" * len("{mapping}")


def test_a_slot_on_a_later_line_of_a_multiline_template_names_that_line():
    def build():
        ok = "fine"
        bad = object()
        return t"""<section>
            <p>{ok}</p>
            <p>{bad}</p>
        </section>"""

    location, source, _ = where(raised_by(build))
    assert location.endswith(f"{HERE}:{first_line(build) + 5}:16")
    assert source == "<p>{bad}</p>"


def test_a_syntax_error_is_shown_in_the_users_source_not_the_template():
    def build():
        title = "x"
        return t"<div><h1>{title}</h2></div>"

    error = raised_by(build)
    assert isinstance(error, TemplateSyntaxError)
    assert str(error) == "</h2> does not match: <h1> is still open"
    location, source, _ = where(error)
    assert location.startswith(__file__.rsplit("/", 1)[0])
    assert f"{HERE}:{first_line(build) + 2}:" in location
    assert source == 'return t"<div><h1>{title}</h2></div>"'


def test_an_error_in_a_nested_template_points_at_the_nested_slot():
    def build():
        items = [1, {"two": 2}]
        return t"<ul>{[t'<li>{item}</li>' for item in items]}</ul>"

    location, _, caret = where(raised_by(build))
    column = len("        return t\"<ul>{[t'<li>") + 1
    assert location.endswith(f"{HERE}:{first_line(build) + 2}:{column}")
    assert caret == "^^^^^^"


def test_a_called_handler_returning_none_names_the_fix():
    def build():
        def remove():
            pass

        return t"<button onclick={remove()}>x</button>"

    error = raised_by(build)
    assert isinstance(error, EventSlotError)
    assert "got None" in str(error)
    assert "You called the handler: write onclick={remove}, not onclick={remove()}" in "\n".join(
        error.__notes__
    )


def test_none_from_a_plain_expression_means_no_handler():
    def build():
        editable = False
        return t"<button onclick={print if editable else None}>x</button>"

    dom = MemoryDom()
    mount(build(), "#app", backend=dom)
    event = dom.dispatch(dom.container("#app").find("button")[0], "click")
    assert not event.defaultPrevented  # nothing ran, and nothing was reported


def test_the_same_mistake_in_200_rows_is_reported_once_with_a_count():
    errors = []
    previous = set_error_reporter(errors.append)

    class Row(Component):
        n: int

        def render(self):
            return t"<li>{ {'n': self.n} }</li>"

    class Table(Component):
        def render(self):
            return t"<ul>{[Row(n=n, key=n) for n in range(200)]}</ul>"

    try:
        mount(Table(), "#app", backend=MemoryDom())
    finally:
        set_error_reporter(previous)
    assert len(errors) == 1
    notes = "\n".join(errors[0].__notes__)
    assert f"{HERE}:" in notes and "{ {'n': self.n} }" in notes
    assert "the same mistake happened 200 times in this render" in notes


MODULE = """\
from framework import MemoryDom, mount

try:
    mount(t"<p>{ {1: 2} }</p>", "#app", backend=MemoryDom())
except TypeError as error:
    caught = error
"""


def test_a_template_at_a_modules_top_level_is_located(tmp_path):
    path = tmp_path / "top_level_app.py"
    path.write_text(MODULE)
    spec = importlib.util.spec_from_file_location("top_level_app", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["top_level_app"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["top_level_app"]
    location, source, _ = where(module.caught)
    assert location == f"{path}:4:16"
    assert source == 'mount(t"<p>{ {1: 2} }</p>", "#app", backend=MemoryDom())'
