"""Tests for framework.reactive: graphs are drawn in comments, recompute counts are asserted.

Every test flushes explicitly: the autouse fixture installs a scheduler that only records that a
flush was requested. That keeps the suite deterministic and identical on CPython and on Pyodide,
where the WebLoop always counts as a running loop. The default scheduling (synchronous without a
loop, call_soon with one) has its own tests below.
"""

from __future__ import annotations

import asyncio
import gc
import operator
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from framework import reactive
from framework.reactive import (
    MAX_FLUSH_PASSES,
    Computed,
    Effect,
    ReactiveCycleError,
    ReactiveError,
    Scope,
    Signal,
    Watch,
    after_flush,
    batch,
    before_flush,
    computed,
    create_root,
    effect,
    flush,
    get_owner,
    on_cleanup,
    run_with_owner,
    set_error_handler,
    set_scheduler,
    signal,
    untracked,
)


@pytest.fixture(autouse=True)
def scheduled() -> Iterator[list[Callable[[], None]]]:
    """Flush requests are recorded, not run: each test calls flush() itself."""
    requests: list[Callable[[], None]] = []
    previous_scheduler = set_scheduler(requests.append)
    previous_handler = set_error_handler(None)
    yield requests
    set_error_handler(lambda error: None)  # drain whatever a failing test left queued
    flush()
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.fn()


def observer_count(source: Signal[Any] | Computed[Any]) -> int:
    return len(source._observers)


# --- signal ---------------------------------------------------------------------------------


def test_signal_reads_and_writes_value() -> None:
    count = Signal(1)
    assert count.value == 1
    count.value = 2
    assert count.value == 2
    assert count.peek() == 2


def test_signal_set_and_update() -> None:
    count = signal(1)
    count.set(5)
    count.update(lambda n: n * 10)
    assert count.value == 50


def test_signal_repr_shows_name_and_value() -> None:
    assert repr(Signal(3, name="count")) == "Signal(name='count', value=3)"


class RaisingEq:
    def __eq__(self, other: object) -> bool:
        raise TypeError("cannot compare")

    __hash__ = object.__hash__


class NoTruthValue:
    """Like a numpy array: == returns something whose truth value raises."""

    def __eq__(self, other: object) -> Any:
        return self

    def __bool__(self) -> bool:
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


SHARED_LIST = [1, 2]
NAN = float("nan")


@pytest.mark.parametrize(
    ("old", "new", "notifies"),
    [
        pytest.param(1, 1, False, id="equal-int"),
        pytest.param("a", "a", False, id="equal-str"),
        pytest.param((1, 2), (1, 2), False, id="equal-tuple"),
        pytest.param(SHARED_LIST, SHARED_LIST, False, id="same-object"),
        pytest.param(NAN, NAN, False, id="same-nan-object"),
        pytest.param(1, 2, True, id="different"),
        pytest.param([1], [1, 2], True, id="different-list"),
        pytest.param(RaisingEq(), RaisingEq(), True, id="eq-raises"),
        pytest.param(NoTruthValue(), NoTruthValue(), True, id="eq-not-bool"),
    ],
)
def test_signal_notifies_only_on_change(old: object, new: object, notifies: bool) -> None:
    source = Signal(old)
    runs = Counter(lambda: source.value)
    effect(runs)
    source.value = new
    flush()
    assert runs.calls == (2 if notifies else 1)


@pytest.mark.parametrize(
    ("equals", "new", "notifies"),
    [
        pytest.param(operator.is_, SHARED_LIST, False, id="is-same-object"),
        pytest.param(operator.is_, [1, 2], True, id="is-equal-copy"),
        pytest.param(lambda old, new: len(old) == len(new), [3, 4], False, id="custom-same"),
        pytest.param(lambda old, new: len(old) == len(new), [3], True, id="custom-different"),
    ],
)
def test_signal_equals_decides_what_is_a_change(
    equals: Callable[[Any, Any], bool], new: object, notifies: bool
) -> None:
    source = Signal(SHARED_LIST, equals=equals)
    runs = Counter(lambda: source.value)
    effect(runs)
    source.value = new
    flush()
    assert runs.calls == (2 if notifies else 1)
    assert source.peek() is (new if notifies else SHARED_LIST)


def test_peek_does_not_track() -> None:
    a = Signal(1)
    b = Signal(1)
    runs = Counter(lambda: a.value + b.peek())
    effect(runs)
    b.value = 2
    flush()
    assert runs.calls == 1
    a.value = 2
    flush()
    assert runs.calls == 2


def test_repeated_reads_in_one_run_track_once() -> None:
    a = Signal(1)
    total = Computed(lambda: sum(a.value for _ in range(100)))
    effect(lambda: total.value)
    assert total.value == 100
    assert len(total._sources) == 1
    assert observer_count(a) == 1


def test_steady_state_rerun_keeps_its_dependency_list() -> None:
    # Re-running with the same reads in the same order reuses the same list (no allocation).
    a, b = Signal(1), Signal(2)
    runs = effect(lambda: a.value + b.value)
    sources = runs._sources
    a.value = 10
    flush()
    assert runs._sources is sources
    assert sources == [a, b]


# --- computed -------------------------------------------------------------------------------


def test_computed_is_lazy() -> None:
    a = Signal(1)
    double = Counter(lambda: a.value * 2)
    b = Computed(double)
    assert double.calls == 0
    assert b.value == 2
    assert double.calls == 1


def test_computed_caches_until_a_dependency_changes_and_it_is_read() -> None:
    a = Signal(1)
    double = Counter(lambda: a.value * 2)
    b = computed(double)
    assert [b.value, b.value, b.value] == [2, 2, 2]
    assert double.calls == 1
    a.value = 2
    a.value = 3
    assert double.calls == 1  # written twice, not read yet
    assert b.value == 6
    assert b.peek() == 6
    assert double.calls == 2


def test_computed_works_as_decorator() -> None:
    a = Signal(2)

    @computed
    def square() -> int:
        return a.value**2

    assert square.value == 4


def test_computed_unrelated_write_does_not_recompute() -> None:
    a, other = Signal(1), Signal(1)
    fn = Counter(lambda: a.value)
    b = Computed(fn)
    _ = b.value
    other.value = 2
    _ = b.value
    assert fn.calls == 1


def test_diamond_recomputes_bottom_once() -> None:
    #     a
    #   /   \
    #  b     c
    #   \   /
    #     d
    a = Signal("a")
    b = Computed(lambda: a.value + "b")
    c = Computed(lambda: a.value + "c")
    seen: list[tuple[str, str]] = []

    def both() -> str:
        seen.append((b.value, c.value))
        return b.value + c.value

    d_fn = Counter(both)
    d = Computed(d_fn)
    assert d.value == "abac"
    a.value = "A"
    assert d.value == "AbAc"
    assert d_fn.calls == 2
    assert seen == [("ab", "ac"), ("Ab", "Ac")]  # never b new with c old


@pytest.mark.parametrize("changes", [1, 5])
def test_diamond_effect_runs_once_per_flush_and_never_sees_a_glitch(changes: int) -> None:
    #     a
    #   /   \
    #  b     c
    #   \   /
    #     d
    #     |
    #   effect
    a = Signal(0)
    b_fn = Counter(lambda: a.value + 1)
    c_fn = Counter(lambda: a.value * 2)
    b, c = Computed(b_fn), Computed(c_fn)
    d_fn = Counter(lambda: (b.value, c.value))
    d = Computed(d_fn)
    seen: list[tuple[int, int]] = []
    effect(lambda: seen.append(d.value))
    for n in range(1, changes + 1):
        a.value = n
    flush()
    assert seen == [(1, 0), (changes + 1, changes * 2)]
    assert (b_fn.calls, c_fn.calls, d_fn.calls) == (2, 2, 2)


def test_unchanged_computed_stops_propagation() -> None:
    # a -> parity -> label -> effect; a goes 0 -> 2: parity recomputes to the same value.
    a = Signal(0)
    parity_fn = Counter(lambda: a.value % 2)
    parity = Computed(parity_fn)
    label_fn = Counter(lambda: "odd" if parity.value else "even")
    label = Computed(label_fn)
    runs = Counter(lambda: label.value)
    effect(runs)
    a.value = 2
    flush()
    assert (parity_fn.calls, label_fn.calls, runs.calls) == (2, 1, 1)
    a.value = 3
    flush()
    assert (parity_fn.calls, label_fn.calls, runs.calls) == (3, 2, 2)


def test_flag_graph_drops_indirect_update() -> None:
    #     x
    #   / |
    #  a  |
    #   \ |
    #     b
    #     |
    #     c
    x = Signal(2)
    a = Computed(lambda: x.value - 1)
    b = Computed(lambda: x.value + a.value)
    c_fn = Counter(lambda: f"c: {b.value}")
    c = Computed(c_fn)
    assert c.value == "c: 3"
    x.value = 4
    assert c.value == "c: 7"
    assert c_fn.calls == 2


def test_chain_refreshed_midway_stays_correct() -> None:
    # src -> c1 -> c2 -> c3; read c2 between writes, then read c3.
    src = Signal(0)
    c1 = Computed(lambda: src.value % 2)
    c2 = Computed(lambda: c1.value)
    c3 = Computed(lambda: c2.value)
    assert c3.value == 0
    src.value = 1
    assert c2.value == 1
    src.value = 3
    assert c3.value == 1


def test_dynamic_dependencies_drop_the_branch_not_taken() -> None:
    #  use_a ─┐
    #  a ─────┼─> pick      (reads a or b depending on use_a)
    #  b ─────┘
    use_a, a, b = Signal(True), Signal("a"), Signal("b")
    fn = Counter(lambda: a.value if use_a.value else b.value)
    pick = Computed(fn)
    effect(lambda: pick.value)
    assert fn.calls == 1
    b.value = "b2"  # not a dependency yet
    flush()
    assert fn.calls == 1
    use_a.value = False
    flush()
    assert (pick.value, fn.calls) == ("b2", 2)
    a.value = "a2"  # no longer a dependency
    flush()
    assert fn.calls == 2
    assert observer_count(a) == 0
    b.value = "b3"
    flush()
    assert (pick.value, fn.calls) == ("b3", 3)


def test_condition_checked_before_guarded_computed() -> None:
    # A computed read only behind a condition is not evaluated once the condition turns false.
    item = Signal[dict[str, str] | None]({"name": "x"})
    name_fn = Counter(lambda: item.value["name"] if item.value else "")
    name = Computed(name_fn)
    text = Computed(lambda: name.value if item.value is not None else "none")
    effect(lambda: text.value)
    item.value = None
    flush()
    assert text.value == "none"


def test_computed_error_is_cached_and_heals() -> None:
    divisor = Signal(0)
    fn = Counter(lambda: 10 // divisor.value)
    ratio = Computed(fn)
    for _ in range(2):
        with pytest.raises(ZeroDivisionError):
            _ = ratio.value
    assert fn.calls == 1
    divisor.value = 5
    assert ratio.value == 2


def test_computed_must_not_write() -> None:
    a = Signal(1)
    b = Computed(lambda: a.set(2), name="writer")
    with pytest.raises(ReactiveError, match="'writer' wrote"):
        _ = b.value
    assert a.value == 1


def test_unobserved_computed_releases_its_sources() -> None:
    # a -> b -> effect; disposing the effect leaves a with no observers, so b can be collected.
    a = Signal(1)

    def watch() -> weakref.ref[Computed[int]]:
        b = Computed(lambda: a.value + 1)
        watcher = effect(lambda: b.value)
        assert (observer_count(a), observer_count(b)) == (1, 1)
        watcher.dispose()
        assert (observer_count(a), observer_count(b)) == (0, 0)
        return weakref.ref(b)

    ref = watch()
    gc.collect()
    assert ref() is None


def test_computed_stays_correct_across_observed_and_unobserved() -> None:
    a = Signal(1)
    b = Computed(lambda: a.value * 10)
    first = effect(lambda: b.value)
    first.dispose()
    a.value = 2  # b is not subscribed any more: it must revalidate when read
    assert b.value == 20
    seen: list[int] = []
    effect(lambda: seen.append(b.value))
    a.value = 3
    flush()
    assert seen == [20, 30]


def test_computed_self_read_raises_cycle_error() -> None:
    start = time.perf_counter()
    loop: Computed[int] = Computed(lambda: loop.value + 1, name="loop")
    with pytest.raises(ReactiveCycleError, match="computed 'loop' -> computed 'loop'"):
        _ = loop.value
    assert time.perf_counter() - start < 1


def test_computed_cycle_names_the_path() -> None:
    #  p -> q -> p
    p: Computed[int] = Computed(lambda: q.value, name="p")
    q: Computed[int] = Computed(lambda: p.value, name="q")
    with pytest.raises(ReactiveCycleError) as caught:
        _ = p.value
    assert str(caught.value) == "computed cycle: computed 'p' -> computed 'q' -> computed 'p'"


def test_cycle_error_names_an_unnamed_computed_by_function() -> None:
    def recursive() -> int:
        return me.value

    me = Computed(recursive)
    with pytest.raises(ReactiveCycleError, match=r"computed 'test_.*recursive' \(.*test_reactive"):
        _ = me.value


# --- effect ---------------------------------------------------------------------------------


def test_effect_runs_at_creation_and_after_changes() -> None:
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value))
    assert seen == [1]
    a.value = 2
    assert seen == [1]  # queued, not run inside the write
    flush()
    assert seen == [1, 2]


def test_effect_works_as_decorator() -> None:
    a = Signal(1)
    seen: list[int] = []

    @effect
    def log() -> None:
        seen.append(a.value)

    assert isinstance(log, Effect)
    assert seen == [1]


def test_effect_cleanup_order() -> None:
    a = Signal(1)
    log: list[str] = []

    def body() -> Callable[[], None]:
        value = a.value
        log.append(f"run {value}")
        on_cleanup(lambda: log.append(f"on_cleanup {value}"))
        return lambda: log.append(f"returned {value}")

    watcher = effect(body)
    a.value = 2
    flush()
    watcher.dispose()
    # Cleanups run before the next run and at dispose, last registered first.
    assert log == [
        "run 1",
        "returned 1",
        "on_cleanup 1",
        "run 2",
        "returned 2",
        "on_cleanup 2",
    ]


def test_effect_non_callable_result_is_not_a_cleanup() -> None:
    a = Signal(1)
    watcher = effect(lambda: a.value)  # returns an int
    a.value = 2
    flush()
    watcher.dispose()


def test_cleanup_reads_are_not_tracked() -> None:
    a, b = Signal(1), Signal(1)
    runs = Counter(lambda: (a.value, lambda: b.value)[1])
    effect(runs)
    a.value = 2
    flush()  # the cleanup reads b during the re-run
    b.value = 2
    flush()
    assert runs.calls == 2


def test_nested_effects_are_disposed_with_their_owner() -> None:
    # outer reads a and creates inner, which reads b.
    a, b = Signal(1), Signal(1)
    inner_runs = Counter(lambda: b.value)
    inner_cleanups: list[int] = []

    def outer_body() -> None:
        _ = a.value
        effect(inner_runs)
        on_cleanup(lambda: inner_cleanups.append(1))

    outer = effect(outer_body)
    assert inner_runs.calls == 1
    a.value = 2  # outer re-runs: the first inner is disposed, a new one created
    flush()
    assert inner_runs.calls == 2
    b.value = 2  # only the live inner reacts
    flush()
    assert inner_runs.calls == 3
    outer.dispose()
    b.value = 3
    flush()
    assert inner_runs.calls == 3
    assert inner_cleanups == [1, 1]
    assert observer_count(b) == 0


def test_owner_queued_with_its_child_runs_first_and_child_once() -> None:
    # outer and inner both read a; when a changes, only outer's re-run (which recreates inner)
    # runs inner: the stale inner does not run first.
    a = Signal(1)
    log: list[str] = []

    def outer_body() -> None:
        log.append(f"outer {a.value}")
        effect(lambda: log.append(f"inner {a.value}"))

    effect(outer_body)
    a.value = 2
    flush()
    assert log == ["outer 1", "inner 1", "outer 2", "inner 2"]


def test_dispose_stops_updates_and_is_idempotent() -> None:
    a = Signal(1)
    runs = Counter(lambda: a.value)
    watcher = effect(runs)
    watcher.dispose()
    watcher.dispose()
    a.value = 2
    flush()
    assert runs.calls == 1
    assert watcher.disposed
    assert observer_count(a) == 0


def test_dispose_of_a_queued_effect_skips_it() -> None:
    a = Signal(1)
    runs = Counter(lambda: a.value)
    watcher = effect(runs)
    a.value = 2
    watcher.dispose()
    flush()
    assert runs.calls == 1


def test_effect_disposing_itself_while_running() -> None:
    a = Signal(1)
    holder: list[Effect] = []

    def body() -> None:
        if a.value > 1:
            holder[0].dispose()

    holder.append(effect(body))
    a.value = 2
    flush()
    assert holder[0].disposed
    assert observer_count(a) == 0


def test_effect_first_run_error_propagates_and_disposes() -> None:
    a = Signal(0)
    runs = Counter(lambda: 1 // a.value)
    with pytest.raises(ZeroDivisionError):
        effect(runs)
    a.value = 1
    flush()
    assert runs.calls == 1
    assert observer_count(a) == 0


def test_effects_chain_within_one_flush() -> None:
    # first writes b; second reads b: both run in the same flush.
    a, b = Signal(1), Signal(0)
    seen: list[int] = []
    effect(lambda: b.set(a.value * 10))
    effect(lambda: seen.append(b.value))
    a.value = 2
    flush()
    assert seen == [10, 20]


# --- batch and untracked --------------------------------------------------------------------


def test_batch_notifies_once() -> None:
    a, b = Signal(1), Signal(1)
    runs = Counter(lambda: a.value + b.value)
    effect(runs)
    with batch():
        a.value = 2
        b.value = 2
        a.value = 3
    flush()
    assert runs.calls == 2


def test_nested_batches_request_a_flush_at_the_outermost_exit(
    scheduled: list[Callable[[], None]],
) -> None:
    a = Signal(1)
    effect(lambda: a.value)
    with batch():
        with batch():
            a.value = 2
        assert scheduled == []
    assert scheduled == [flush]


def test_batch_as_decorator() -> None:
    a, b = Signal(1), Signal(1)
    runs = Counter(lambda: a.value + b.value)
    effect(runs)

    @batch()
    def write_both() -> None:
        a.value += 1
        b.value += 1

    write_both()
    flush()
    assert runs.calls == 2


def test_batch_ends_when_the_body_raises(scheduled: list[Callable[[], None]]) -> None:
    a = Signal(1)
    effect(lambda: a.value)

    @batch()
    def write_then_fail() -> None:
        a.value = 2
        raise KeyError("boom")

    with pytest.raises(KeyError):
        write_then_fail()
    assert scheduled == [flush]


def test_reads_inside_a_batch_are_fresh() -> None:
    a = Signal(1)
    b = Computed(lambda: a.value * 2)
    with batch():
        a.value = 5
        assert b.value == 10


@pytest.mark.parametrize("style", ["function", "context-manager"])
def test_untracked_reads_do_not_subscribe(style: str) -> None:
    a, b = Signal(1), Signal(1)

    def body() -> int:
        if style == "function":
            return a.value + untracked(lambda: b.value)
        with untracked():
            other = b.value
        return a.value + other

    runs = Counter(body)
    effect(runs)
    b.value = 2
    flush()
    assert runs.calls == 1
    a.value = 2
    flush()
    assert runs.calls == 2


def test_untracked_passes_arguments_and_tracks_none_of_the_call() -> None:
    a, b = Signal(1), Signal(10)
    runs = Counter(lambda: untracked(lambda base, step: base + step * b.value, a.value, 2))
    effect(runs)
    assert runs.calls == 1
    b.value = 20  # read inside the untracked call only
    flush()
    assert runs.calls == 1
    a.value = 2  # read by the effect itself, to build the arguments
    flush()
    assert runs.calls == 2


def test_untracked_computed_read_is_still_fresh() -> None:
    a = Signal(1)
    b = Computed(lambda: a.value + 1)
    a.value = 2
    assert untracked(lambda: b.value) == 3


# --- scheduling -----------------------------------------------------------------------------


@pytest.fixture
def no_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Default scheduling as in a plain script: no scheduler, no running event loop."""
    set_scheduler(None)
    monkeypatch.setattr(reactive, "_running_loop", lambda: None)


@pytest.mark.usefixtures("no_loop")
def test_without_loop_effects_run_at_the_end_of_the_write() -> None:
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value))
    a.value = 2
    assert seen == [1, 2]


@pytest.mark.usefixtures("no_loop")
def test_without_loop_a_batch_flushes_once_at_its_outermost_exit() -> None:
    a, b = Signal(1), Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value + b.value))
    with batch():
        a.value = 2
        with batch():
            b.value = 2
        assert seen == [2]
    assert seen == [2, 4]


class FakeLoop:
    def __init__(self) -> None:
        self.callbacks: list[Callable[[], None]] = []

    def call_soon(self, callback: Callable[[], None]) -> None:
        self.callbacks.append(callback)


def test_with_a_running_loop_one_flush_is_scheduled(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = FakeLoop()
    set_scheduler(None)
    monkeypatch.setattr(reactive, "_running_loop", lambda: loop)
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value))
    a.value = 2
    a.value = 3
    assert (seen, loop.callbacks) == ([1], [flush])
    loop.callbacks.pop()()
    assert seen == [1, 3]
    a.value = 4  # the previous flush ran: a new one is scheduled
    assert loop.callbacks == [flush]


@pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Pyodide's WebLoop always runs and cannot block; the fake-loop test covers this",
)
def test_with_asyncio_effects_run_on_the_next_loop_iteration() -> None:
    set_scheduler(None)

    async def scenario() -> list[int]:
        a = Signal(1)
        seen: list[int] = []
        effect(lambda: seen.append(a.value))
        a.value = 2
        a.value = 3
        assert seen == [1]
        await asyncio.sleep(0)
        return seen

    assert asyncio.run(scenario()) == [1, 3]


def test_custom_scheduler_receives_flush(scheduled: list[Callable[[], None]]) -> None:
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value))
    a.value = 2
    a.value = 3
    assert scheduled == [flush]  # one request per flush, however many writes
    scheduled.pop()()
    assert seen == [1, 3]


def test_flush_with_nothing_pending_is_a_no_op() -> None:
    flush()


# --- before_flush ---------------------------------------------------------------------------


def test_before_flush_runs_once_before_the_queued_effects_and_requests_no_flush(
    scheduled: list[Callable[[], None]],
) -> None:
    # A row's effect that its release, held back by before_flush, disposes: it never runs.
    a = Signal(1)
    seen: list[str] = []
    row = effect(lambda: seen.append(f"effect {a.value}"))
    before_flush(row.dispose)
    before_flush(row.dispose)  # the same callable again: still one run
    before_flush(lambda: seen.append("before"))
    assert scheduled == []
    a.value = 2
    scheduled.pop()()
    assert seen == ["effect 1", "before"]
    effect(lambda: seen.append(f"another {a.value}"))
    flush()
    assert seen == ["effect 1", "before", "another 2"], "a callback runs before one flush only"


def test_a_before_flush_error_goes_to_the_handler_and_the_effects_still_run() -> None:
    errors: list[Exception] = []
    set_error_handler(errors.append)
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: seen.append(a.value))
    before_flush(lambda: 1 / 0)
    a.value = 2
    flush()
    assert [type(error) for error in errors] == [ZeroDivisionError]
    assert seen == [1, 2]


# --- after_flush ----------------------------------------------------------------------------


def test_after_flush_runs_once_after_the_effects_settle() -> None:
    # a -> effect writes b -> effect reads b; the callback sees the settled b, once.
    a, b = Signal(1), Signal(0)
    effect(lambda: b.set(a.value * 10))
    seen: list[int] = []

    def record() -> None:
        seen.append(b.peek())

    a.value = 2
    after_flush(record)
    after_flush(record)  # the same callable again: still one run
    assert seen == []
    flush()
    assert seen == [20]
    flush()
    assert seen == [20], "a callback runs at the end of one flush only"


def test_after_flush_inside_a_batch_requests_one_flush_at_the_outermost_exit(
    scheduled: list[Callable[[], None]],
) -> None:
    seen: list[str] = []
    with batch():
        after_flush(lambda: seen.append("first"))
        with batch():
            after_flush(lambda: seen.append("second"))
        assert scheduled == []
    assert scheduled == [flush]
    scheduled.pop()()
    assert seen == ["first", "second"]


@pytest.mark.usefixtures("no_loop")
def test_after_flush_without_a_loop_runs_at_the_end_of_the_write() -> None:
    seen: list[int] = []
    a = Signal(1)
    after_flush(lambda: seen.append(a.peek()))
    assert seen == [1]
    with batch():
        a.value = 2
        after_flush(lambda: seen.append(a.peek()))
        a.value = 3
        assert seen == [1]
    assert seen == [1, 3]


def test_writes_made_by_an_after_flush_callback_are_flushed_in_the_same_flush() -> None:
    saved = Signal(False)
    shown: list[bool] = []
    effect(lambda: shown.append(saved.value))
    after_flush(lambda: saved.set(True))
    flush()
    assert shown == [False, True]


def test_an_after_flush_error_goes_to_the_handler_and_the_others_still_run() -> None:
    errors: list[Exception] = []
    set_error_handler(errors.append)
    seen: list[str] = []

    def fail() -> None:
        raise ValueError("disk on fire")

    after_flush(fail)
    after_flush(lambda: seen.append("ran"))
    flush()
    assert seen == ["ran"]
    assert [str(error) for error in errors] == ["disk on fire"]


def test_an_after_flush_callback_that_keeps_registering_itself_is_a_cycle() -> None:
    errors: list[Exception] = []
    set_error_handler(errors.append)
    runs = 0

    def again() -> None:
        nonlocal runs
        runs += 1
        after_flush(again)

    after_flush(again)
    flush()
    assert runs == MAX_FLUSH_PASSES
    assert len(errors) == 1
    assert isinstance(errors[0], ReactiveCycleError)
    assert "again" in str(errors[0])
    flush()
    assert runs == MAX_FLUSH_PASSES, "the cycle was dropped, not left queued"


# --- cycles and errors ----------------------------------------------------------------------


def test_effect_self_trigger_raises_cycle_error_in_bounded_time() -> None:
    count = Signal(0)
    runs = Counter(lambda: count.set(count.value + 1))
    effect(runs, name="increment")
    start = time.perf_counter()
    with pytest.raises(ReactiveCycleError, match="effect 'increment'"):
        flush()
    assert time.perf_counter() - start < 1
    assert runs.calls == MAX_FLUSH_PASSES + 1
    assert reactive._queue == []


@pytest.mark.usefixtures("no_loop")
def test_effect_self_trigger_without_loop_raises_at_creation() -> None:
    count = Signal(0)
    with pytest.raises(ReactiveCycleError, match="still re-triggered after 100 passes"):
        effect(lambda: count.set(count.value + 1))


def test_two_effects_ping_pong_is_a_cycle() -> None:
    # ping: a -> b, pong: b -> a
    a, b = Signal(0), Signal(0)
    effect(lambda: b.set(a.value + 1), name="ping")
    effect(lambda: a.set(b.value + 1), name="pong")
    with pytest.raises(ReactiveCycleError, match="effect cycle"):
        flush()


def test_cycle_error_reaches_the_error_handler() -> None:
    errors: list[Exception] = []
    set_error_handler(errors.append)
    count = Signal(0)
    effect(lambda: count.set(count.value + 1))
    flush()
    assert [type(error) for error in errors] == [ReactiveCycleError]


def test_failing_effect_does_not_stop_the_others() -> None:
    a = Signal(1)
    seen: list[str] = []
    errors: list[Exception] = []
    set_error_handler(errors.append)
    effect(lambda: seen.append(f"first {a.value}"))
    effect(lambda: 1 // (a.value - 2))
    effect(lambda: seen.append(f"third {a.value}"))
    a.value = 2
    flush()
    assert seen == ["first 1", "third 1", "first 2", "third 2"]
    assert [type(error) for error in errors] == [ZeroDivisionError]


def test_failed_effect_keeps_its_dependencies_and_recovers() -> None:
    a = Signal(1)
    set_error_handler(lambda error: None)
    seen: list[float] = []
    effect(lambda: seen.append(1 / (a.value - 2)))
    a.value = 2  # raises after reading a: still subscribed
    flush()
    a.value = 3
    flush()
    assert seen == [-1.0, 1.0]


def test_effect_reading_a_failing_computed_recovers() -> None:
    divisor = Signal(1)
    ratio = Computed(lambda: 10 // divisor.value)
    errors: list[Exception] = []
    set_error_handler(errors.append)
    seen: list[int] = []
    effect(lambda: seen.append(ratio.value))
    divisor.value = 0
    flush()
    divisor.value = 5
    flush()
    assert seen == [10, 2]
    assert [type(error) for error in errors] == [ZeroDivisionError]


def test_update_inside_an_effect_does_not_subscribe() -> None:
    # clicks -> effect -> total.update(...): update reads total untracked, so no cycle.
    clicks, total = Signal(0), Signal(0)
    effect(lambda: total.update(lambda t: t + clicks.value))
    clicks.value = 5
    flush()
    assert total.value == 5


def test_default_handler_raises_after_the_flush_completes() -> None:
    a = Signal(1)
    seen: list[int] = []
    effect(lambda: 1 // (a.value - 2))
    effect(lambda: seen.append(a.value))
    a.value = 2
    with pytest.raises(ZeroDivisionError):
        flush()
    assert seen == [1, 2]


def test_default_handler_groups_several_errors() -> None:
    a = Signal(1)
    effect(lambda: 1 // (a.value - 2))
    empty: dict[int, int] = {}
    effect(lambda: empty[a.value] if a.value == 2 else None)
    a.value = 2
    with pytest.raises(ExceptionGroup) as caught:
        flush()
    assert [type(error) for error in caught.value.exceptions] == [ZeroDivisionError, KeyError]


def test_raising_handler_does_not_lose_the_error() -> None:
    def broken_handler(error: Exception) -> None:
        raise RuntimeError("handler broke") from error

    set_error_handler(broken_handler)
    a = Signal(1)
    effect(lambda: 1 // (a.value - 2))
    a.value = 2
    with pytest.raises(RuntimeError, match="handler broke"):
        flush()


def test_failing_cleanup_does_not_skip_the_others() -> None:
    errors: list[Exception] = []
    set_error_handler(errors.append)
    log: list[str] = []

    def body() -> None:
        on_cleanup(lambda: log.append("first registered"))
        on_cleanup(lambda: 1 // 0)

    effect(body).dispose()
    assert log == ["first registered"]
    assert [type(error) for error in errors] == [ZeroDivisionError]


def test_scope_on_error_is_an_error_boundary() -> None:
    a = Signal(1)
    caught: list[Exception] = []
    global_errors: list[Exception] = []
    set_error_handler(global_errors.append)
    boundary = Scope(on_error=caught.append)
    boundary.run(effect, lambda: 1 // (a.value - 2))
    a.value = 2
    flush()
    assert [type(error) for error in caught] == [ZeroDivisionError]
    assert global_errors == []


def test_rethrowing_boundary_passes_the_error_up() -> None:
    a = Signal(1)
    global_errors: list[Exception] = []
    set_error_handler(global_errors.append)

    def rethrow(error: Exception) -> None:
        raise ValueError("wrapped") from error

    outer_seen: list[Exception] = []
    outer = Scope(on_error=outer_seen.append, detached=True)
    inner = outer.run(Scope, on_error=rethrow)
    inner.run(effect, lambda: 1 // (a.value - 2))
    a.value = 2
    flush()
    assert [str(error) for error in outer_seen] == ["wrapped"]
    assert global_errors == []


# --- owners and roots -----------------------------------------------------------------------


def test_create_root_disposal_releases_everything() -> None:
    a = Signal(1)
    double = Computed(lambda: a.value * 2)
    runs = Counter(lambda: double.value)
    log: list[str] = []

    def app(dispose: Callable[[], None]) -> Callable[[], None]:
        effect(runs)
        effect(lambda: effect(lambda: a.value))  # nested
        child = Scope()
        child.run(on_cleanup, lambda: log.append("child scope"))
        on_cleanup(lambda: log.append("root"))
        return dispose

    dispose = create_root(app)
    assert (observer_count(a), observer_count(double)) == (2, 1)
    dispose()
    a.value = 2
    flush()
    assert runs.calls == 1
    assert (observer_count(a), observer_count(double)) == (0, 0)
    assert log == ["child scope", "root"]


def test_create_root_is_detached_from_the_current_owner() -> None:
    a = Signal(1)
    inner_runs = Counter(lambda: a.value)
    roots: list[Callable[[], None]] = []

    def outer_body() -> None:
        _ = a.value
        if not roots:
            roots.append(create_root(lambda dispose: (effect(inner_runs), dispose)[1]))

    effect(outer_body)
    a.value = 2  # outer re-runs; the root it created survives
    flush()
    assert inner_runs.calls == 2
    roots[0]()
    a.value = 3
    flush()
    assert inner_runs.calls == 2


def test_scope_owned_by_an_effect_is_disposed_on_rerun() -> None:
    a = Signal(1)
    log: list[int] = []

    def body() -> None:
        value = a.value
        Scope().run(on_cleanup, lambda: log.append(value))

    effect(body)
    a.value = 2
    flush()
    assert log == [1]


def test_scope_with_explicit_parent() -> None:
    parent = Scope(detached=True)
    log: list[str] = []
    child = Scope(parent=parent)
    child.run(on_cleanup, lambda: log.append("child"))
    parent.dispose()
    assert child.disposed
    assert log == ["child"]


def test_disposed_scope_refuses_to_run_and_runs_late_cleanups_now() -> None:
    scope = Scope(detached=True)
    scope.dispose()
    with pytest.raises(ReactiveError, match="disposed"):
        scope.run(lambda: None)
    log: list[str] = []
    run_with_owner(scope, on_cleanup, lambda: log.append("late"))
    assert log == ["late"]


def test_scope_run_does_not_track_for_the_enclosing_effect() -> None:
    a = Signal(1)
    runs = Counter(lambda: Scope().run(lambda: a.value))
    effect(runs)
    a.value = 2
    flush()
    assert runs.calls == 1


def test_on_cleanup_without_owner_raises() -> None:
    with pytest.raises(ReactiveError, match="needs an owner"):
        on_cleanup(lambda: None)


def test_get_owner_and_run_with_owner_adopt_later_effects() -> None:
    a = Signal(1)
    runs = Counter(lambda: a.value)
    owners: list[Any] = []
    scope = Scope(detached=True)
    scope.run(lambda: owners.append(get_owner()))
    assert owners == [scope]
    assert get_owner() is None
    run_with_owner(owners[0], effect, runs)  # e.g. from an event handler, later
    scope.dispose()
    a.value = 2
    flush()
    assert runs.calls == 1


def test_dispose_writes_in_cleanups_notify_once() -> None:
    a = Signal(0)
    runs = Counter(lambda: a.value)
    effect(runs)
    scope = Scope(detached=True)
    for _ in range(3):
        scope.run(on_cleanup, lambda: a.update(lambda n: n + 1))
    scope.dispose()
    flush()
    assert (a.value, runs.calls) == (3, 2)


def test_thousand_rows_mount_and_unmount_leave_nothing_behind() -> None:
    selected = Signal(-1)
    labels = [Signal(f"row {i}") for i in range(1000)]
    renders = Counter(lambda: None)
    root = Scope(detached=True)

    def row(index: int) -> None:
        is_selected = Computed(lambda: selected.value == index)
        effect(lambda: (renders(), labels[index].value, is_selected.value))

    def mount(index: int) -> None:
        Scope().run(row, index)  # one scope per row component, owned by the root

    for index in range(1000):
        root.run(mount, index)
    assert renders.calls == 1000
    selected.value = 7  # all 1,000 computeds revalidate; only row 7's changes: one render
    flush()
    assert renders.calls == 1001
    labels[10].value = "changed"
    flush()
    assert renders.calls == 1002
    root.dispose()
    assert observer_count(selected) == 0
    assert all(observer_count(label) == 0 for label in labels)


# -- Watch: one source followed, as a template slot bound to a signal follows it -----------------


def test_a_watch_shows_the_value_now_and_each_change_once_per_batch():
    count, seen = Signal(1), []
    watch = Watch(count, seen.append)
    with batch():
        count.value = 2
        count.value = 3
    flush()
    count.value = 3  # equal: no change
    flush()
    watch.dispose()
    count.value = 4
    flush()
    assert seen == [1, 3]
    assert not count._observers


def test_a_watched_computed_follows_its_sources_and_lets_go_of_them_on_dispose():
    selected = Signal(0)
    css = Computed(lambda: "danger" if selected.value == 2 else None)
    seen = []
    watch = Watch(css, seen.append)
    selected.value = 1  # the computed's value stays None: nothing to show
    flush()
    selected.value = 2
    flush()
    assert seen == [None, "danger"]
    watch.dispose()
    assert not css._observers and not selected._observers  # nothing keeps the row alive


def test_a_watch_made_in_an_effect_leaves_the_effect_untouched_by_its_source():
    outer, inner, runs = Signal(0), Signal(0), []

    def render():
        runs.append(outer.value)
        Watch(inner, lambda value: None)

    effect(render)
    inner.value = 1
    flush()
    assert runs == [0]  # the watch read inner untracked: the render does not depend on it


def test_an_error_in_a_watch_callback_goes_to_the_error_handler():
    errors: list[Exception] = []
    set_error_handler(errors.append)
    count = Signal(0)

    def show(value):
        if value == 1:
            raise ValueError("cannot show 1")

    Watch(count, show)
    count.value = 1
    flush()
    assert [str(e) for e in errors] == ["cannot show 1"]


@pytest.mark.parametrize("depth", [1, 3])
def test_disposing_a_watch_lets_go_of_a_whole_chain_of_computeds(depth):
    head = Signal(1)
    chain = [Computed(lambda: head.value)]
    for _ in range(depth - 1):
        chain.append(Computed(lambda below=chain[-1]: below.value + 1))
    seen = []
    watch = Watch(chain[-1], seen.append)
    head.value = 2
    flush()
    watch.dispose()
    head.value = 3
    flush()
    assert seen == [depth, depth + 1]
    assert observer_count(head) == 0
    assert all(observer_count(node) == 0 for node in chain)


@pytest.mark.parametrize("source", ["signal", "computed"])
def test_dispose_all_lets_go_as_dispose_does_and_a_queued_watch_never_runs(source):
    head = Signal(0)
    followed = head if source == "signal" else Computed(lambda: head.value + 1)
    seen: list[int] = []
    watches = [Watch(followed, seen.append) for _ in range(3)]
    watches[0].dispose()  # already disposed: skipped
    head.value = 5  # queued, not yet run
    Watch.dispose_all(watches)
    Watch.dispose_all(watches)  # idempotent, as dispose() is
    flush()
    first = 0 if source == "signal" else 1
    assert seen == [first] * 3  # only the values shown at creation
    assert observer_count(head) == 0 and observer_count(followed) == 0


def test_a_watched_computed_that_raises_fails_the_watch_and_keeps_nothing_subscribed():
    source = Signal(0)
    broken = Computed(lambda: 1 // source.value)
    seen = []
    with pytest.raises(ZeroDivisionError):
        Watch(broken, seen.append)
    assert seen == []
    assert observer_count(broken) == 0 and observer_count(source) == 0


def test_flush_after_runs_the_effects_at_its_end_and_schedules_none(
    scheduled: list[Callable[[], None]],
) -> None:
    count = Signal(0)
    seen: list[int] = []
    Effect(lambda: seen.append(count.value))

    def handler() -> None:
        count.value = 1
        count.value = 2
        assert seen == [0]  # nothing runs inside: once, at the end

    reactive.flush_after(handler)
    assert (seen, scheduled) == ([0, 2], [])


def test_flush_after_a_failing_fn_schedules_a_flush_for_what_it_wrote(
    scheduled: list[Callable[[], None]],
) -> None:
    count = Signal(0)
    seen: list[int] = []
    Effect(lambda: seen.append(count.value))

    def handler() -> None:
        count.value = 1
        raise ValueError("the handler's own error")

    with pytest.raises(ValueError, match="own error"):
        reactive.flush_after(handler)
    assert len(scheduled) == 1
    scheduled.pop()()
    assert seen == [0, 1]
