"""The list rules of the TodoMVC spec, as pure functions."""

import model
import pytest
from model import Todo


def todos(*states: bool) -> list[Todo]:
    return [Todo(id=str(i), title=f"t{i}", completed=done) for i, done in enumerate(states)]


@pytest.mark.parametrize(
    ("typed", "title"), [("milk", "milk"), ("  milk \t", "milk"), ("a  b", "a  b")]
)
def test_add_trims_and_appends_at_the_bottom(typed: str, title: str) -> None:
    result = model.add(todos(False), typed)
    assert [t.title for t in result] == ["t0", title]
    assert result[-1].completed is False


@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_add_ignores_blank_titles(typed: str) -> None:
    before = todos(False)
    assert model.add(before, typed) is before


def test_ids_are_unique() -> None:
    items: list[Todo] = []
    for n in range(50):
        items = model.add(items, f"item {n}")
    assert len({t.id for t in items}) == 50


def test_toggle_flips_one_todo_only() -> None:
    result = model.toggle(todos(False, False), "1")
    assert [t.completed for t in result] == [False, True]


@pytest.mark.parametrize("completed", [True, False])
def test_set_all_keeps_todos_already_in_that_state(completed: bool) -> None:
    before = todos(True, False)
    after = model.set_all(before, completed)
    assert [t.completed for t in after] == [completed, completed]
    same = [a is b for a, b in zip(before, after, strict=True)]
    assert same == [t.completed == completed for t in before]


@pytest.mark.parametrize(("typed", "titles"), [(" new ", ["new", "t1"]), ("   ", ["t1"])])
def test_rename_trims_and_blank_destroys(typed: str, titles: list[str]) -> None:
    assert [t.title for t in model.rename(todos(False, False), "0", typed)] == titles


def test_clear_completed_keeps_active_todos() -> None:
    assert [t.id for t in model.clear_completed(todos(True, False, True))] == ["1"]


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("all", ["0", "1", "2"]),
        ("active", ["1"]),
        ("completed", ["0", "2"]),
        ("nonsense", ["0", "1", "2"]),
    ],
)
def test_visible_filters_on_the_model(name: str, ids: list[str]) -> None:
    assert [t.id for t in model.visible(todos(True, False, True), name)] == ids


@pytest.mark.parametrize(
    ("count", "words"), [(0, "items left"), (1, "item left"), (2, "items left")]
)
def test_counter_wording(count: int, words: str) -> None:
    assert model.items_left(count) == words


def test_todo_serialises_to_the_spec_keys() -> None:
    assert Todo(id="a", title="x").model_dump() == {"id": "a", "title": "x", "completed": False}


def test_new_ids_are_distinct_and_twelve_hex_digits() -> None:
    ids = [model.new_id() for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    assert all(len(found) == 12 and set(found) <= set("0123456789abcdef") for found in ids)
