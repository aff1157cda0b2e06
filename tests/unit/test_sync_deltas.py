"""Deltas: diff gives the smallest ops, apply(old, diff(old, new)) is new for every shape, ops
that do not fit are refused with what is wrong, and apply follows the rule on a value that
changed since the op was made (tests/unit/test_sync_rule.py shows the rule between clients)."""

import random

import pytest

from framework.sync.deltas import (
    DICT,
    LIST,
    VALUE,
    DeltaError,
    Shape,
    apply,
    apply_each,
    check_op,
    diff,
    same,
)


def item(key, title=None, done=False):
    return {"id": key, "title": title or f"t{key}", "done": done}


A, B, C, D = item("a"), item("b"), item("c"), item("d")

ROUND_TRIPS = [
    # (shape, old, new)
    (LIST, [], []),
    (LIST, [], [A, B]),
    (LIST, [A, B], []),
    (LIST, [A, B, C], [C, B, A]),
    (LIST, [A, B, C, D], [B, C, D, A]),
    (LIST, [A, B, C], [item("b", "new"), D, A]),
    (LIST, [A, B], [{"id": "a", "title": "no done field"}, B]),  # a field went away
    (LIST, [{"id": 1, "n": 1}, {"id": "1", "n": 2}], [{"id": "1", "n": 2}, {"id": 1, "n": 3}]),
    (DICT, {}, {"x": 1}),
    (DICT, {"x": 1, "y": [1, 2]}, {"y": [1, 2, 3], "z": None}),
    (DICT, {"x": 1}, {}),
    (VALUE, {"count": 1}, {"count": 2}),
    (VALUE, None, [1, "two", {"three": 3.0}]),
    (VALUE, 5, 5),
]


@pytest.mark.parametrize(("shape", "old", "new"), ROUND_TRIPS)
def test_apply_of_the_diff_gives_the_new_value(shape, old, new):
    assert same(apply(old, diff(old, new, shape), shape), new)


@pytest.mark.parametrize(("shape", "old", "new"), ROUND_TRIPS)
def test_applying_does_not_change_the_old_value(shape, old, new):
    before = repr(old)
    apply(old, diff(old, new, shape), shape)
    assert repr(old) == before


@pytest.mark.parametrize("seed", range(30))
def test_random_list_edits_round_trip(seed):
    rng = random.Random(seed)
    old = [item(str(n), done=rng.random() < 0.5) for n in range(rng.randrange(12))]
    new = [dict(x) for x in old if rng.random() < 0.8]
    for x in new:
        if rng.random() < 0.3:
            x["title"] = f"edited {rng.random()}"
    new += [item(f"new{n}") for n in range(rng.randrange(4))]
    if rng.random() < 0.5:
        rng.shuffle(new)
    assert apply(old, diff(old, new, LIST), LIST) == new


SMALLEST = [
    # (shape, old, new, the ops)
    (LIST, [A, B], [A, item("b", done=True)], [{"op": "set", "id": "b", "fields": {"done": True}}]),
    (LIST, [A, B], [A], [{"op": "delete", "id": "b"}]),
    (LIST, [A], [A, B], [{"op": "put", "id": "b", "item": B, "after": "a"}]),
    (LIST, [A, B], [B, A], [{"op": "move", "id": "b", "after": None}]),
    # one item out of place among many: one move, not a rewrite of the order
    (LIST, [A, B, C, D], [B, C, D, A], [{"op": "move", "id": "a", "after": "d"}]),
    (LIST, [A, B], [A, B], []),
    (DICT, {"x": 1, "y": 2}, {"x": 1, "y": 3}, [{"op": "set_key", "key": "y", "value": 3}]),
    (DICT, {"x": 1, "y": 2}, {"x": 1}, [{"op": "delete_key", "key": "y"}]),
    (VALUE, 1, 2, [{"op": "replace", "value": 2}]),
    (VALUE, {"a": 1}, {"a": 1}, []),
]


@pytest.mark.parametrize(("shape", "old", "new", "ops"), SMALLEST)
def test_diff_gives_the_smallest_ops(shape, old, new, ops):
    assert diff(old, new, shape) == ops


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [(1, 1.0, False), (1, True, False), ([1], [1.0], False), ({"a": 0}, {"a": 0}, True)],
)
def test_json_equality_tells_int_float_and_bool_apart(a, b, equal):
    assert same(a, b) is equal
    assert (diff(a, b, VALUE) == []) is equal


# -- ops that do not fit ---------------------------------------------------------------------------

BAD_OPS = [
    ({"op": "upsert", "id": "a"}, LIST, '"op" must be one of'),
    ({"op": "delete"}, LIST, "missing ['id']"),
    ({"op": "delete", "id": "a", "extra": 1}, LIST, "unexpected ['extra']"),
    ({"op": "delete", "id": True}, LIST, "must be an item id"),
    ({"op": "delete", "id": 1.5}, LIST, "must be an item id"),
    ({"op": "set", "id": "a", "fields": {}}, LIST, "non-empty"),
    ({"op": "set", "id": "a", "fields": {"id": "b"}}, LIST, "cannot change an item's id"),
    ({"op": "put", "id": "a", "item": {"id": "b"}, "after": None}, LIST, "must hold its id"),
    ({"op": "put", "id": "a", "item": [], "after": None}, LIST, "must be a JSON object"),
    ({"op": "move", "id": "a", "after": "a"}, LIST, "after itself"),
    ({"op": "set_key", "key": "x", "value": 1}, LIST, "does not fit a list store"),
    ({"op": "set_key", "key": 1, "value": 1}, DICT, '"key" must be a string'),
    ({"op": "replace", "value": 1}, DICT, "does not fit a dict store"),
    ({"op": "delete", "id": "a"}, VALUE, "does not fit a value store"),
    ("delete a", LIST, "must be a JSON object"),
]


@pytest.mark.parametrize(("op", "shape", "message"), BAD_OPS)
def test_an_op_that_does_not_fit_is_refused_with_the_reason(op, shape, message):
    with pytest.raises(DeltaError) as raised:
        check_op(op, shape)
    assert message in str(raised.value)
    with pytest.raises(DeltaError):
        apply([A] if shape is LIST else {}, [op], shape)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([A, A], "two items of a synced list have the id 'a'"),
        ([{"title": "no id"}], "item 0 of a synced list must be an object with an id"),
        ({"a": 1}, "must be a JSON array"),
    ],
)
def test_a_list_value_needs_unique_ids(value, message):
    with pytest.raises(DeltaError) as raised:
        diff(value, [], LIST)
    assert message in str(raised.value)


def test_a_shape_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="'list', 'dict' or 'value'"):
        Shape("set")


def test_the_id_field_is_the_shapes():
    shape = Shape("list", id_field="key")
    old = [{"key": 1, "n": 1}]
    assert diff(old, [{"key": 1, "n": 2}], shape) == [{"op": "set", "id": 1, "fields": {"n": 2}}]


# -- applying to a value that changed ----------------------------------------------------------------

CHANGED = [
    # (what the op meets, the op, the result, what it did: None when dropped)
    ([A], {"op": "set", "id": "b", "fields": {"done": True}}, [A], None),
    ([A], {"op": "delete", "id": "b"}, [A], None),
    ([A], {"op": "move", "id": "b", "after": None}, [A], None),
    (
        [A, C],
        {"op": "put", "id": "b", "item": B, "after": "gone"},
        [A, C, B],
        {"op": "put", "id": "b", "item": B, "after": "c"},
    ),
    (
        [A, B, C],
        {"op": "move", "id": "a", "after": "gone"},
        [B, C, A],
        {"op": "move", "id": "a", "after": "c"},
    ),
    (
        [item("a", done=True)],
        {"op": "set", "id": "a", "fields": {"title": "x"}},
        [{"id": "a", "title": "x", "done": True}],
        {"op": "set", "id": "a", "fields": {"title": "x"}},
    ),
    (
        [A, B],
        {"op": "put", "id": "b", "item": item("b", "new"), "after": None},
        [A, item("b", "new")],
        {"op": "put", "id": "b", "item": item("b", "new"), "after": None},
    ),
]


@pytest.mark.parametrize(("value", "op", "result", "done"), CHANGED)
def test_an_op_applies_to_what_is_there(value, op, result, done):
    assert apply_each(value, [op], LIST) == (result, [done])


def test_a_put_of_a_tombstoned_id_is_dropped():
    op = {"op": "put", "id": "b", "item": B, "after": None}
    assert apply_each([A], [op], LIST, tombstones={"b"}) == ([A], [None])


@pytest.mark.parametrize(
    ("value", "op", "result"),
    [
        ({"x": 1}, {"op": "delete_key", "key": "y"}, {"x": 1}),
        ({}, {"op": "set_key", "key": "y", "value": 2}, {"y": 2}),
    ],
)
def test_dict_ops_apply_to_what_is_there(value, op, result):
    assert apply(value, [op], DICT) == result
