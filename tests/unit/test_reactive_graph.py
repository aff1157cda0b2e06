"""Graph-shape and disposal tests for framework.reactive, in the style of the behavioural suites of
preact-signals, Solid and Vue: the graph is drawn in a comment and recompute counts are asserted.

Two defects are pinned here: propagation used to recurse a few Python frames per level (a chain of
computeds deeper than ~250 raised RecursionError), and an effect disposed during its own run or
cleanup ran once more, leaving the child effects of that run alive.

Most chains are built the way an app builds them, each computed read once as it is created.
A chain never computed and first read from its far end nests one run per level (a computed's
function calls the next one's `.value`); the core unwinds such runs past a fixed depth and
resumes them from the top, which the first-read tests check, and which may run a function twice
(a computed may run at any time: it has no side effects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from framework.reactive import (
    Computed,
    Effect,
    Owner,
    Scope,
    Signal,
    effect,
    flush,
    get_owner,
    on_cleanup,
    set_error_handler,
    set_scheduler,
)

DEPTH = 10_000  # far beyond Python's default recursion limit (1,000 frames)
WIDTH = 10_000

Source = Signal[int] | Computed[int]


@pytest.fixture(autouse=True)
def scheduled() -> Iterator[None]:
    """Flush requests are recorded, not run: each test calls flush() itself."""
    previous_scheduler = set_scheduler(lambda run: None)
    previous_handler = set_error_handler(None)
    yield
    set_error_handler(lambda error: None)  # drain whatever a failing test left queued
    flush()
    set_scheduler(previous_scheduler)
    set_error_handler(previous_handler)


def observer_count(source: Source) -> int:
    return len(source._observers)


def plus_one(previous: Source, runs: list[int], index: int) -> Callable[[], int]:
    def step() -> int:
        runs[index] += 1
        return previous.value + 1

    return step


Step = Callable[[Source, list[int], int], Callable[[], int]]


def chain(
    head: Source, length: int, step: Step = plus_one, *, computed: bool = True
) -> tuple[list[Computed[int]], list[int]]:
    """head -> c0 -> c1 -> ... (each adds one); returns the nodes and each node's run count.

    Only the list and the chain itself refer to the nodes: freeing a long chain from its tail
    alone recurses in C (node, function, node...) and overflows Pyodide's stack, while a list
    releases its items from the end, one level at a time."""
    runs = [0] * length
    nodes: list[Computed[int]] = []
    previous = head
    for index in range(length):
        node = Computed(step(previous, runs, index))
        if computed:
            _ = node.value  # computed as built, as an app does (see the module docstring)
        nodes.append(node)
        previous = node
    return nodes, runs


# --- depth: a 10,000-deep chain ---------------------------------------------------------------


@pytest.mark.parametrize("observed", [False, True], ids=["read", "effect"])
def test_deep_chain_recomputes_each_node_once(observed: bool) -> None:
    # head -> c0 -> c1 -> ... -> c9999 (-> effect)
    head = Signal(0)
    nodes, runs = chain(head, DEPTH)
    seen: list[int] = []
    watcher = effect(lambda: seen.append(nodes[-1].value)) if observed else None
    head.value = 1
    flush()
    assert nodes[-1].value == DEPTH + 1
    assert runs == [2] * DEPTH
    if watcher is not None:
        assert seen == [DEPTH, DEPTH + 1]
        watcher.dispose()  # the whole chain lets go of its sources
        assert observer_count(head) == 0
        assert sum(map(observer_count, nodes)) == 0


def plus_one_guarded(previous: Source, runs: list[int], index: int) -> Callable[[], int]:
    """plus_one, in a function that turns any Exception into -1: the unwinding must pass it."""

    def step() -> int:
        runs[index] += 1
        try:
            return previous.value + 1
        except Exception:  # noqa: BLE001 - the point of the test
            return -1

    return step


@pytest.mark.parametrize("reader", ["value", "peek", "effect"])
@pytest.mark.parametrize("step", [plus_one, plus_one_guarded], ids=["plain", "except-exception"])
def test_deep_chain_computed_first_from_its_far_end(reader: str, step: Step) -> None:
    # head -> c0 -> c1 -> ... -> c9999, nothing computed until the end is read.
    head = Signal(0)
    nodes, runs = chain(head, DEPTH, step, computed=False)
    seen: list[int] = []
    if reader == "effect":
        effect(lambda: seen.append(nodes[-1].value))
    else:
        seen.append(nodes[-1].value if reader == "value" else nodes[-1].peek())
    assert seen == [DEPTH]
    assert min(runs) == 1
    assert max(runs) <= 2  # a run unwound part-way is run again, once
    first = list(runs)
    head.value = 1
    flush()
    assert nodes[-1].value == DEPTH + 1
    assert [now - before for now, before in zip(runs, first, strict=True)] == [1] * DEPTH
    if reader == "effect":
        assert seen == [DEPTH, DEPTH + 1]


def test_deep_chain_stops_where_a_value_does_not_change() -> None:
    # head -> parity -> c0 -> ... -> c9998 -> effect; head 0 -> 2 leaves parity at 0.
    head = Signal(0)
    parity_runs = [0]

    def parity_fn() -> int:
        parity_runs[0] += 1
        return head.value % 2

    parity = Computed(parity_fn)
    nodes, runs = chain(parity, DEPTH - 1)
    seen: list[int] = []
    effect(lambda: seen.append(nodes[-1].value))
    head.value = 2
    flush()
    assert (parity_runs[0], runs.count(1), seen) == (2, DEPTH - 1, [DEPTH - 1])
    head.value = 3
    flush()
    assert (parity_runs[0], runs.count(2), seen) == (3, DEPTH - 1, [DEPTH - 1, DEPTH])


def test_deep_chain_read_midway_between_writes() -> None:
    # head -> c0 -> ... -> c9999 -> effect; c4999 is read between two writes, then the end.
    head = Signal(0)
    nodes, runs = chain(head, DEPTH)
    seen: list[int] = []
    effect(lambda: seen.append(nodes[-1].value))
    head.value = 1
    assert nodes[DEPTH // 2 - 1].value == DEPTH // 2 + 1
    head.value = 2
    flush()
    assert seen == [DEPTH, DEPTH + 2]
    assert runs == [3] * (DEPTH // 2) + [2] * (DEPTH // 2)


# --- width: a 10,000-wide fan-out and fan-in --------------------------------------------------


@pytest.mark.parametrize("through_computed", [False, True], ids=["signal", "computed"])
def test_wide_fan_out_runs_each_effect_once(through_computed: bool) -> None:
    # head (-> doubled) -> effect0, effect1, ... effect9999
    head = Signal(1)
    doubled_runs = [0]

    def double() -> int:
        doubled_runs[0] += 1
        return head.value * 2

    source: Source = Computed(double) if through_computed else head
    seen = [0] * WIDTH
    runs = [0] * WIDTH

    def watch(index: int) -> Callable[[], None]:
        def body() -> None:
            runs[index] += 1
            seen[index] = source.value

        return body

    for index in range(WIDTH):
        effect(watch(index))
    head.value = 5
    flush()
    expected = 10 if through_computed else 5
    assert (seen, runs) == ([expected] * WIDTH, [2] * WIDTH)
    assert doubled_runs[0] == (2 if through_computed else 0)


def test_wide_fan_in_recomputes_each_branch_and_the_total_once() -> None:
    #            head
    #     /   /   |   \    \
    #   b0  b1   ...  b9998 b9999
    #     \   \   |   /    /
    #           total -> effect
    head = Signal(0)
    branches, runs = [], [0] * WIDTH
    for index in range(WIDTH):
        branches.append(Computed(plus_one(head, runs, index)))
    total_runs = [0]

    def add() -> int:
        total_runs[0] += 1
        return sum(branch.value for branch in branches)

    total = Computed(add)
    seen: list[int] = []
    effect(lambda: seen.append(total.value))
    head.value = 1
    flush()
    assert (seen, total_runs[0], runs) == ([WIDTH, 2 * WIDTH], 2, [2] * WIDTH)


# --- diamonds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 100, DEPTH // 2])
def test_diamond_of_chains_recomputes_bottom_once_without_a_glitch(depth: int) -> None:
    #           head
    #         /      \
    #   left × depth  right × depth
    #         \      /
    #          bottom -> effect
    head = Signal(0)
    left, left_runs = chain(head, depth)
    right, right_runs = chain(head, depth)
    pairs: list[tuple[int, int]] = []

    def join() -> int:
        pairs.append((left[-1].value, right[-1].value))
        return left[-1].value + right[-1].value

    bottom = Computed(join)
    seen: list[int] = []
    effect(lambda: seen.append(bottom.value))
    head.value = 10
    flush()
    assert pairs == [(depth, depth), (depth + 10, depth + 10)]  # never one side new, one old
    assert seen == [2 * depth, 2 * depth + 20]
    assert left_runs == right_runs == [2] * depth


def test_diamond_effect_reading_both_sides_runs_once_per_flush() -> None:
    #     a
    #   /   \
    #  b     c
    #   \   /
    #   effect (reads b and c directly)
    a = Signal(1)
    b_runs, c_runs = [0], [0]
    b = Computed(plus_one(a, b_runs, 0))
    c = Computed(plus_one(a, c_runs, 0))
    seen: list[tuple[int, int]] = []
    effect(lambda: seen.append((b.value, c.value)))
    a.value = 2
    a.value = 3
    flush()
    assert seen == [(2, 2), (4, 4)]
    assert (b_runs, c_runs) == ([2], [2])


@pytest.mark.parametrize("writes", [1, 3])
def test_effects_run_in_depth_first_subscription_order(writes: int) -> None:
    #        a
    #      /   \
    #     x     third   (subscribed last, directly to a)
    #    / \
    # first  y
    #        |
    #      second
    a = Signal(0)
    x = Computed(lambda: a.value + 1)
    y = Computed(lambda: x.value + 1)
    log: list[str] = []
    effect(lambda: log.append(f"first {x.value}"))
    effect(lambda: log.append(f"second {y.value}"))
    effect(lambda: log.append(f"third {a.value}"))
    log.clear()
    for _ in range(writes):
        a.value += 1
    flush()
    assert log == [f"first {writes + 1}", f"second {writes + 2}", f"third {writes}"]


# --- an effect disposed by itself, in its run or its cleanup ----------------------------------


class Tree:
    """An effect that reads `trigger` and, on every run, creates a child effect reading `leaf`."""

    def __init__(
        self, body: Callable[[Tree], object] = lambda tree: None, trigger: Signal[int] | None = None
    ) -> None:
        self.trigger, self.leaf = trigger or Signal(0), Signal(0)
        self.runs = self.child_runs = 0
        self.children: list[Effect] = []
        self._body = body
        self.effect = effect(self._run)

    def _run(self) -> object:
        self.runs += 1
        _ = self.trigger.value
        return self._body(self)  # a callable returned is the run's cleanup

    def dispose_effect(self) -> None:
        self.effect.dispose()

    def add_child(self) -> None:
        self.children.append(effect(self._child))

    def _child(self) -> None:
        self.child_runs += 1
        _ = self.leaf.value

    def poke(self) -> None:
        """Write both signals: a live effect or child would run again."""
        self.trigger.value += 1
        self.leaf.value += 1
        flush()

    def assert_released(self) -> None:
        assert self.effect.disposed
        assert all(child.disposed for child in self.children)
        assert (observer_count(self.trigger), observer_count(self.leaf)) == (0, 0)


def current_owner() -> Owner:
    owner = get_owner()
    assert owner is not None
    return owner


def dispose_current() -> None:
    current_owner().dispose()


@pytest.mark.parametrize("on_run", [1, 2], ids=["first-run", "re-run"])
@pytest.mark.parametrize("child_first", [True, False], ids=["after-child", "before-child"])
def test_effect_disposing_itself_in_its_run_stops_and_releases_children(
    on_run: int, child_first: bool
) -> None:
    def body(tree: Tree) -> None:
        if child_first:
            tree.add_child()
        if tree.runs == on_run:
            dispose_current()
        if not child_first:
            tree.add_child()

    tree = Tree(body)
    if on_run == 2:
        tree.poke()
    assert (tree.runs, tree.child_runs) == (on_run, on_run)  # each run made one child
    tree.poke()
    tree.poke()
    assert (tree.runs, tree.child_runs) == (on_run, on_run)
    tree.assert_released()


@pytest.mark.parametrize("returned", [False, True], ids=["on_cleanup", "returned-cleanup"])
def test_effect_disposed_by_its_own_cleanup_never_runs_again(returned: bool) -> None:
    # trigger -> effect (creates child -> leaf); the effect's cleanup disposes the effect.
    def body(tree: Tree) -> Callable[[], None] | None:
        tree.add_child()
        cleanup = tree.dispose_effect
        if returned:
            return cleanup
        on_cleanup(cleanup)
        return None

    tree = Tree(body)
    assert (tree.runs, tree.child_runs) == (1, 1)
    tree.poke()  # the re-run starts with the cleanup, which disposes the effect: no second run
    tree.poke()
    assert (tree.runs, tree.child_runs) == (1, 1)
    tree.assert_released()


@pytest.mark.parametrize("child_first", [True, False], ids=["after-child", "before-child"])
def test_scope_disposed_during_its_run_releases_the_effects_it_made(child_first: bool) -> None:
    leaf = Signal(0)
    runs: list[int] = []
    scope = Scope(detached=True)

    def body() -> None:
        if child_first:
            effect(lambda: runs.append(leaf.value))
        scope.dispose()
        if not child_first:
            effect(lambda: runs.append(leaf.value))

    scope.run(body)
    leaf.value = 1
    flush()
    assert (runs, observer_count(leaf)) == ([0], 0)  # ran once, then went with the scope


def test_effect_disposing_itself_after_switching_sources_releases_all_of_them() -> None:
    # Run 1 reads a, then trigger; run 2 reads b, then trigger, then disposes the effect.
    a, b, trigger = Signal(0), Signal(0), Signal(0)
    runs = [0]

    def body() -> None:
        runs[0] += 1
        _ = (b if trigger.peek() else a).value
        if trigger.value:
            dispose_current()

    effect(body)
    trigger.value = 1
    flush()
    assert tuple(map(observer_count, (a, b, trigger))) == (0, 0, 0)
    a.value = b.value = trigger.value = 2
    flush()
    assert runs == [2]


# --- an effect disposing a sibling ------------------------------------------------------------


@pytest.mark.parametrize("disposer_first", [True, False], ids=["disposer-first", "victim-first"])
@pytest.mark.parametrize("in_cleanup", [False, True], ids=["in-run", "in-cleanup"])
def test_effect_disposing_a_sibling_stops_it_and_its_children(
    disposer_first: bool, in_cleanup: bool
) -> None:
    # trigger -> disposer, trigger -> victim (creates child -> leaf); both queued by one write,
    # in subscription order. The disposer disposes the victim when trigger turns 1.
    trigger = Signal(0)
    victims: list[Tree] = []

    def disposer() -> None:
        if in_cleanup:
            on_cleanup(lambda: victims[0].dispose_effect())  # noqa: PLW0108 - victims[0] is late
        elif trigger.value:
            victims[0].dispose_effect()
        _ = trigger.value

    def make_victim() -> None:
        victims.append(Tree(lambda tree: tree.add_child(), trigger))

    if disposer_first:
        effect(disposer)
        make_victim()
    else:
        make_victim()
        effect(disposer)
    victim = victims[0]
    trigger.value = 1
    flush()
    expected = 1 if disposer_first else 2  # a victim queued first re-runs before it is disposed
    assert (victim.runs, victim.child_runs) == (expected, expected)
    victim.poke()
    assert (victim.runs, victim.child_runs) == (expected, expected)
    assert victim.effect.disposed and all(child.disposed for child in victim.children)
    assert (observer_count(trigger), observer_count(victim.leaf)) == (1, 0)  # the disposer


# --- nested effects go with their parent ------------------------------------------------------

ENDS = ["dispose", "re-run", "self-dispose-in-run", "self-dispose-in-cleanup"]


@pytest.mark.parametrize("end", ENDS)
def test_nested_effects_are_disposed_with_their_parent(end: str) -> None:
    # a -> outer, which creates middle (b), which creates inner (c). Then outer ends as `end` says.
    a, b, c = Signal(0), Signal(0), Signal(0)
    runs = {"outer": 0, "middle": 0, "inner": 0}
    made: list[Effect] = []
    log: list[str] = []

    def level(name: str, source: Signal[int], child: Callable[[], None] | None) -> None:
        runs[name] += 1
        value = source.value
        if child is not None:
            made.append(effect(child))
        on_cleanup(lambda: log.append(name))
        if name != "outer":
            return
        if end == "self-dispose-in-cleanup":
            on_cleanup(current_owner().dispose)  # last registered, so it runs first
        if end == "self-dispose-in-run" and value == 1:
            dispose_current()

    def inner() -> None:
        level("inner", c, None)

    def middle() -> None:
        level("middle", b, inner)

    outer = effect(lambda: level("outer", a, middle))
    if end == "dispose":
        outer.dispose()
    else:
        a.value = 1
        flush()
    reran = end in {"re-run", "self-dispose-in-run"}
    assert runs == dict.fromkeys(runs, 2 if reran else 1)
    twice = end == "self-dispose-in-run"
    assert log == ["inner", "middle", "outer"] * (2 if twice else 1)  # innermost first
    live = made[2:] if end == "re-run" else []
    assert [effect.disposed for effect in made] == [effect not in live for effect in made]
    before = dict(runs)
    b.value = c.value = 5
    if end != "re-run":
        a.value = 5
    flush()
    expected = {"outer": 2, "middle": 3, "inner": 3} if end == "re-run" else before
    assert runs == expected
    counts = tuple(map(observer_count, (a, b, c)))
    assert counts == ((1, 1, 1) if end == "re-run" else (0, 0, 0))
