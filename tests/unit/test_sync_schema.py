"""From a Store's schema to sync: per-item ops for a list of models with an id, per-key ops for
a dict, the whole value otherwise; and the validator the server runs, which gives the value as
the Store stores it and refuses fields the model does not have."""

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from framework.sync import DICT, VALUE, Shape
from framework.sync.schema import UnknownFieldError, item_validator, json_validator, shape_of


class Todo(BaseModel):
    id: str
    title: str
    completed: bool = False


class Note(BaseModel):
    key: int
    text: str


class Settings(BaseModel):
    theme: str = "light"
    todos: list[Todo] = []


@pytest.mark.parametrize(
    ("schema", "shape"),
    [
        (list[Todo], Shape("list", "id")),
        (Annotated[list[Todo], Field(max_length=10)], Shape("list", "id")),
        (list[Note], VALUE),  # no `id` field: the list is replaced whole
        (list[str], VALUE),
        (dict[str, int], DICT),
        (dict[str, Todo], DICT),
        (dict[int, str], VALUE),
        (Settings, VALUE),
        (int | None, VALUE),
    ],
)
def test_the_shape_follows_the_schema(schema, shape):
    assert shape_of(schema) == shape


def test_the_id_field_can_be_named():
    assert shape_of(list[Note], id_field="key") == Shape("list", "key")


def test_the_validator_returns_the_canonical_json_form():
    validate = json_validator(list[Todo])
    assert validate([{"id": "1", "title": "milk"}]) == [
        {"id": "1", "title": "milk", "completed": False}
    ]


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (
            [{"id": "1", "title": "milk", "color": "red"}],
            "value[0] has fields its model does not have: ['color']",
        ),
        (
            {"theme": "dark", "todos": [{"id": "1", "title": "t", "x": 1}]},
            "value.todos[0] has fields its model does not have: ['x']",
        ),
    ],
)
def test_the_validator_refuses_fields_the_model_does_not_have(value, where):
    schema = list[Todo] if isinstance(value, list) else Settings
    with pytest.raises(UnknownFieldError) as refused:
        json_validator(schema)(value)
    assert str(refused.value) == where


def test_the_validator_refuses_what_the_model_refuses():
    with pytest.raises(ValidationError):
        json_validator(list[Todo])([{"id": "1", "title": 5}])


def test_a_dict_of_any_keys_is_not_an_unknown_field():
    assert json_validator(dict[str, int])({"a": 1, "b": 2}) == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("schema", "item", "canonical"),
    [
        (list[Todo], {"id": "1", "title": "t"}, {"id": "1", "title": "t", "completed": False}),
        (dict[str, int], "3", 3),
    ],
)
def test_a_list_or_dict_is_validated_one_item_at_a_time(schema, item, canonical):
    validate = item_validator(schema)
    assert validate is not None and validate(item) == canonical


@pytest.mark.parametrize(
    "schema",
    [
        Annotated[list[Todo], Field(max_length=10)],  # a rule about the list itself
        Settings,
        list[Todo] | None,
    ],
)
def test_a_schema_with_rules_beyond_its_items_is_validated_whole(schema):
    assert item_validator(schema) is None
