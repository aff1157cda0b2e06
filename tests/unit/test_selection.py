"""selector(): only the readers of the old and the new key re-run when the selection moves."""

import pytest

from framework import Computed, Signal, effect, flush
from framework.selection import Selector, selector


def rows_reading(is_selected, keys):
    """One effect per key, recording how often each ran and what it saw."""
    runs = {key: [] for key in keys}
    for key in keys:
        effect(lambda key=key: runs[key].append(is_selected(key)))
    return runs


def test_moving_the_selection_reruns_two_readers_only():
    selected = Signal(1)
    is_selected = selector(lambda: selected.value)
    runs = rows_reading(is_selected, range(1, 1001))
    selected.value = 500
    flush()
    changed = {key: seen for key, seen in runs.items() if len(seen) > 1}
    assert changed == {1: [True, False], 500: [False, True]}


@pytest.mark.parametrize(("start", "moves"), [(None, [3, None, 3]), (2, [2, 5, 2])])
def test_flags_follow_every_move(start, moves):
    selected = Signal(start)
    is_selected = selector(lambda: selected.value)
    states = []
    for move in moves:
        selected.value = move
        flush()
        states.append([is_selected(key) for key in (2, 3, 5)])
    assert states == [[key == move for key in (2, 3, 5)] for move in moves]


def test_works_inside_a_computed():
    selected = Signal("a")
    is_selected = selector(lambda: selected.value)
    recomputes = []

    def css():
        recomputes.append(1)
        return "danger" if is_selected("b") else None

    row = Computed(css)
    seen = []
    effect(lambda: seen.append(row.value))
    selected.value = "c"  # b was not and is not selected
    flush()
    selected.value = "b"
    flush()
    assert seen == [None, "danger"]
    assert len(recomputes) == 2


def test_flags_of_keys_nobody_reads_are_swept():
    selected = Signal(0)
    is_selected = Selector(lambda: selected.value)
    readers = [effect(lambda key=key: is_selected(key)) for key in range(200)]
    for reader in readers:
        reader.dispose()
    for key in range(1000, 1100):  # new rows: creating their flags sweeps the old ones
        effect(lambda key=key: is_selected(key))
    assert len(is_selected._flags) <= 200


def test_dispose_stops_following():
    selected = Signal(0)
    is_selected = selector(lambda: selected.value)
    runs = rows_reading(is_selected, [0, 1])
    is_selected.dispose()
    selected.value = 1
    flush()
    assert runs == {0: [True], 1: [False]}


def test_a_key_read_by_several_readers_notifies_each_and_only_them():
    selected = Signal(0)
    is_selected = selector(lambda: selected.value)
    first = Computed(lambda: is_selected(7))
    second = Computed(lambda: "on" if is_selected(7) else "off")
    seen = []
    effect(lambda: seen.append((first.value, second.value)))
    others = rows_reading(is_selected, [1, 2])
    selected.value = 7
    flush()
    selected.value = 1
    flush()
    assert seen == [(False, "off"), (True, "on"), (False, "off")]
    assert others == {1: [False, True], 2: [False]}
