"""In dev, an in-place edit of a Store's value is reported at the line that made it, once, at
the end of the flush; assignments (also of the same object again) are not edits; a build turns
the detection off. The storage is a MemoryStorage; flushes are explicit (a scheduler that only
records requests, as the browser's microtask does)."""

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from framework import MemoryStorage, Store, flush, set_error_reporter
from framework.reactive import set_scheduler
from framework.storage.edits import set_edit_detection
from framework.storage.errors import StoreEditError


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


@pytest.fixture(autouse=True)
def scheduled() -> Iterator[None]:
    previous = set_scheduler(lambda flush_now: None)  # flushes happen when the test says
    yield
    set_scheduler(previous)


@pytest.fixture
def reported() -> Iterator[list[BaseException]]:
    errors: list[BaseException] = []
    previous = set_error_reporter(errors.append)
    yield errors
    set_error_reporter(previous)


@pytest.fixture
def disk() -> MemoryStorage:
    return MemoryStorage(persistent=True)


def line_of(function: Callable[..., Any], marker: str) -> int:
    """The line of `function`'s source that holds marker (a comment), as the traceback shows."""
    lines, first = inspect.getsourcelines(function)
    return first + next(number for number, text in enumerate(lines) if marker in text)


def add_note(notes: Store[list[str]]) -> None:
    count = len(notes.value)
    notes.value.append(f"note {count}")  # <- edit: append
    print("added")


def complete_first(todos: Store[list[Todo]]) -> None:
    first = todos.value[0]
    first.completed = True  # <- edit: model attribute


def rename_in_loop(todos: Store[list[Todo]]) -> None:
    for todo in todos.value:
        todo.title = todo.title.upper()  # <- edit: in a loop


def set_key(settings: Store[dict[str, int]]) -> None:
    settings.peek()["size"] = 3  # <- edit: dict key via peek


EDITS = [
    pytest.param(lambda disk: Store("notes", list[str], backend=disk), add_note, id="append"),
    pytest.param(
        lambda disk: Store("todos", list[Todo], backend=disk, default=[Todo(id="1", title="a")]),
        complete_first,
        id="model-attribute",
    ),
    pytest.param(
        lambda disk: Store("todos", list[Todo], backend=disk, default=[Todo(id="1", title="a")]),
        rename_in_loop,
        id="loop",
    ),
    pytest.param(lambda disk: Store("size", dict[str, int], backend=disk), set_key, id="dict-key"),
]


@pytest.mark.parametrize(("make", "edit"), EDITS)
def test_an_in_place_edit_is_reported_at_its_line_with_the_fix(disk, reported, make, edit):
    store = make(disk)
    flush()
    before = disk.get_item(store.key)
    edit(store)
    assert reported == [], "reported at the end of the flush, not during the handler"
    flush()
    (error,) = reported
    assert isinstance(error, StoreEditError)
    line = line_of(edit, "# <- edit")
    assert f'File "{__file__}", line {line}, in {edit.__name__}' in error.message
    assert "# <- edit" in error.message, "the source line is shown"
    assert "store.update(lambda items: [*items, item])" in error.message
    assert error.kind == "edited_in_place"
    assert disk.get_item(store.key) == before, "the stored value is still the previous one"


def test_an_edit_is_reported_once(disk, reported):
    notes = Store("notes", list[str], backend=disk)
    add_note(notes)
    flush()
    flush()
    notes.value = [*notes.value, "assigned"]
    flush()
    assert len(reported) == 1


def test_assigning_a_new_value_or_the_same_object_again_is_not_an_edit(disk, reported):
    todos = Store("todos", list[Todo], backend=disk, default=[Todo(id="1", title="a")])
    todos.value = [*todos.value, Todo(id="2", title="b")]
    items = todos.value
    items[0].completed = True
    todos.value = items  # the documented way to save an object edited in place
    todos.update(lambda items: [*items, Todo(id="3", title="c")])
    flush()
    assert reported == []
    assert [todo.completed for todo in Store("todos", list[Todo], backend=disk).value] == [
        True,
        False,
        False,
    ]


def test_reading_without_editing_reports_nothing(disk, reported):
    notes = Store("notes", list[str], backend=disk, default=["a"])
    assert len(notes.value) == 1
    assert notes.peek() == ["a"]
    flush()
    assert reported == []


def keep(notes: Store[list[str]], kept: list[list[str]]) -> None:
    kept.append(notes.value)  # <- read


def test_an_edit_made_elsewhere_names_the_read_that_handed_the_value_out(disk, reported):
    notes = Store("notes", list[str], backend=disk)
    kept: list[list[str]] = []
    keep(notes, kept)
    kept[0].append("later")
    flush()
    (error,) = reported
    assert f'after it was read at\n  File "{__file__}", line {line_of(keep, "# <- read")}' in (
        error.message
    )


def test_a_build_turns_the_detection_off(disk, reported):
    previous = set_edit_detection(False)
    try:
        notes = Store("notes", list[str], backend=disk)
        add_note(notes)
        flush()
    finally:
        set_edit_detection(previous)
    assert reported == []
