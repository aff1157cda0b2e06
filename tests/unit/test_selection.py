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


# -- when(): the value a row shows while its key is selected ------------------------------------


def rows_following(signals):
    """One effect per key following its when() signal, recording what it saw."""
    seen = {key: [] for key in signals}
    for key, signal in signals.items():
        effect(lambda key=key, signal=signal: seen[key].append(signal.value))
    return seen


def test_when_shows_its_value_for_the_selected_key_and_tells_two_rows_only():
    selected = Signal(1)
    is_selected = selector(lambda: selected.value)
    seen = rows_following({key: is_selected.when(key, "danger") for key in range(1, 1001)})
    selected.value = 500
    flush()
    changed = {key: values for key, values in seen.items() if len(values) > 1}
    assert changed == {1: ["danger", None], 500: [None, "danger"]}


@pytest.mark.parametrize(("start", "moves"), [(None, [3, None, 3]), (2, [2, 5, 2])])
def test_when_follows_every_move_with_its_otherwise_value(start, moves):
    selected = Signal(start)
    is_selected = selector(lambda: selected.value)
    signals = {key: is_selected.when(key, "on", "off") for key in (2, 3, 5)}
    states = []
    for move in moves:
        selected.value = move
        flush()
        states.append([signals[key].value for key in (2, 3, 5)])
    assert states == [["on" if key == move else "off" for key in (2, 3, 5)] for move in moves]


def test_when_asked_again_gives_the_same_signal_and_other_values_their_own():
    is_selected = selector(lambda: 7)
    first = is_selected.when(7, "danger")
    assert is_selected.when(7, "danger") is first  # a row rendered again keeps following it
    other = is_selected.when(7, "active", "idle")
    assert other is not first
    assert (first.value, other.value, is_selected.when(8, "active", "idle").value) == (
        "danger",
        "active",
        "idle",
    )


def test_when_signals_are_forgotten_once_nobody_holds_them_and_kept_while_someone_does():
    selected = Signal(0)
    is_selected = Selector(lambda: selected.value)
    held = is_selected.when(5, "x")  # asked for, not followed yet: must keep working
    for key in range(1000, 1200):  # rows come and go: their signals are dropped with them
        is_selected.when(key, "x")
    assert len(is_selected._choices) <= 130
    assert is_selected.when(5, "x") is held
    seen = []
    effect(lambda: seen.append(held.value))
    selected.value = 5
    flush()
    assert seen == [None, "x"]


@pytest.mark.parametrize("followed_first", [True, False])
def test_several_when_values_of_one_key_survive_a_sweep_as_each_is_held(followed_first):
    """A key's signals for different values: the followed one and one someone holds are kept
    through a sweep and still follow the selection; one nobody holds goes, and asking again
    makes a new one that works."""
    import weakref

    selected = Signal(0)
    is_selected = Selector(lambda: selected.value)
    order = ["a", "b", "c"] if followed_first else ["c", "b", "a"]
    made = {value: is_selected.when(5, value) for value in order}
    followed, held, dropped = made["a"], made["b"], weakref.ref(made.pop("c"))
    del made
    seen = []
    effect(lambda: seen.append(followed.value))
    for key in range(1000, 1200):  # other rows come and go: a sweep runs
        is_selected.when(key, "x")
    assert dropped() is None
    assert is_selected.when(5, "a") is followed and is_selected.when(5, "b") is held
    again = is_selected.when(5, "c")
    selected.value = 5
    flush()
    assert (seen, held.value, again.value) == ([None, "a"], "b", "c")
    selected.value = 6
    flush()
    assert (seen[-1], held.value, again.value) == (None, None, None)


def test_a_row_whose_class_follows_when_updates_only_its_attribute():
    from framework import Component, each, mount
    from framework.dom.memory import MemoryDom

    selected = Signal(2)
    is_selected = selector(lambda: selected.value)

    class Table(Component):
        def row(self, key):
            return t"<tr class={is_selected.when(key, 'danger')}><td>{key}</td></tr>"

        def render(self):
            return t"<tbody>{each([1, 2, 3], self.row)}</tbody>"

    dom = MemoryDom()
    mounted = mount(Table(), "#app", backend=dom)
    dom.reset_counts()
    selected.value = 3
    mounted.flush()
    assert dict(dom.counts) == {"UNATTR": 1, "ATTR": 1}
    classes = [tr.attrs.get("class") for tr in dom.container("#app").find("tr")]
    assert classes == [None, None, "danger"]


def test_what_follows_a_when_signal_lives_as_long_as_the_selector():
    """Nothing but the selector holds the signal and its follower (a reference cycle): a
    garbage collection must not end the follower."""
    import gc

    selected = Signal(0)
    is_selected = selector(lambda: selected.value)
    seen = []
    for key in (1, 2):
        signal = is_selected.when(key, "danger")
        effect(lambda key=key, signal=signal: seen.append((key, signal.value)))
    del signal
    gc.collect()
    seen.clear()
    selected.value = 2
    flush()
    assert seen == [(2, "danger")]
