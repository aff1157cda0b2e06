"""The server's list kept by id (framework/sync/item_list.py): every op means what it means to
a client (`deltas.apply_each`, which builds a new list), and a mutation undone leaves the list
exactly as it was: its items, its order, and the list it hands out."""

import random

import pytest

from framework.sync import LIST, DeltaError, Shape
from framework.sync.deltas import apply_each
from framework.sync.item_list import ItemList

KEYS = ["a", "b", "c", "d", "e", 1, 2]


def random_op(rng: random.Random) -> dict:
    key = rng.choice(KEYS)
    after = rng.choice([None, "zz", *(k for k in KEYS if k != key)])  # "zz": not there
    kind = rng.choice(["put", "put", "set", "delete", "move"])
    if kind == "put":
        return {"op": "put", "id": key, "item": {"id": key, "n": rng.random()}, "after": after}
    if kind == "set":
        return {"op": "set", "id": key, "fields": {"n": rng.random(), "x": 1}}
    if kind == "move":
        return {"op": "move", "id": key, "after": after}
    return {"op": "delete", "id": key}


def start(rng: random.Random) -> list[dict]:
    return [{"id": key, "n": 0} for key in rng.sample(KEYS, rng.randrange(len(KEYS)))]


@pytest.mark.parametrize("seed", range(40))
def test_ops_do_what_they_do_to_a_client_s_list(seed):
    rng = random.Random(seed)
    value = start(rng)
    tombstones = {rng.choice(KEYS)}
    items = ItemList(list(value), LIST)
    for _ in range(30):
        ops = [random_op(rng) for _ in range(rng.randrange(1, 4))]
        expected, expected_done = apply_each(value, ops, LIST, tombstones)
        done, _ = items.apply(ops, tombstones)
        assert done == expected_done  # what each op did: dropped, or how it was placed
        assert items.value == expected
        value = expected


@pytest.mark.parametrize("seed", range(40))
def test_an_undone_mutation_leaves_the_list_as_it_was(seed):
    rng = random.Random(seed)
    items = ItemList(start(rng), LIST)
    before = [dict(item) for item in items.value]
    handed_out = items.value
    _, undo = items.apply([random_op(rng) for _ in range(rng.randrange(1, 8))])
    undo.run(items)
    assert items.value == before
    assert handed_out == before  # the list given out before the mutation was never edited
    for item in before:
        assert items.get(item["id"]) == item


def test_a_malformed_op_applies_nothing():
    items = ItemList([{"id": "a"}], LIST)
    ops = [
        {"op": "delete", "id": "a"},
        {"op": "set_key", "key": "a", "value": 1},  # a dict store's op
    ]
    with pytest.raises(DeltaError):
        items.apply(ops)
    assert items.value == [{"id": "a"}]


def test_the_id_field_is_the_shape_s():
    items = ItemList([{"key": 7, "t": "x"}], Shape("list", id_field="key"))
    items.apply([{"op": "set", "id": 7, "fields": {"t": "y"}}])
    assert items.value == [{"key": 7, "t": "y"}]
