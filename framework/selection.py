"""selector(): "is this key the selected one?" for long lists, notifying two readers, not all.

    is_selected = selector(lambda: selected.value)
    row_class = is_selected.when(row.id, "danger")  # "danger" while row.id is selected, else None
    row_class = Computed(lambda: "danger" if is_selected(row.id) else None)  # the same, dearer

With a plain comparison every row reads `selected`, so selecting a row re-evaluates all of them.
A selector keeps one boolean signal per key that is being read: when the selection moves, only
the flags of the old and the new key change, so only those two rows update. `when()` goes one
step further for the common case, a value shown while the key is selected: the selector keeps
that value's signal itself and sets it, so a row follows it with no Computed and no function of
its own (a third of the Python a benchmark row costs, and of the objects it keeps).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from framework.reactive import Effect, Signal, untracked

K = TypeVar("K", bound=Hashable)

MIN_PRUNE = 64  # flags are swept once their count doubles (amortised O(1) per read)


class _Flag(Signal[bool]):
    """One key's flag: a Signal made the cheapest way (one per row of a long list). Unnamed:
    only the selector writes it, so no error names it."""

    __slots__ = ()

    def __init__(self, selected: bool) -> None:
        # Signal.__init__'s stores, without its keyword-only parameters: a call to a class whose
        # __init__ has them is not specialised, and costs twice as much.
        self._observers = {}
        self._version = self._epoch = 0
        self._name = self._equals = None
        self._value = selected


class _Choice(Signal[Any]):
    """What one key's readers show: `chosen` while the key is selected, else `otherwise`. Only
    the selector sets it. A key's choices are chained through `next` (almost always one: a
    chain costs a row no list)."""

    __slots__ = ("chosen", "next", "otherwise")

    def __init__(self, selected: bool, chosen: Any, otherwise: Any, after: _Choice | None) -> None:
        # _Flag's stores, for the same reason (one per row of a long list).
        self._observers = {}
        self._version = self._epoch = 0
        self._name = self._equals = None
        self.chosen, self.otherwise, self.next = chosen, otherwise, after
        self._value = chosen if selected else otherwise

    def matches(self, chosen: Any, otherwise: Any) -> bool:
        return (self.chosen is chosen or self.chosen == chosen) and (
            self.otherwise is otherwise or self.otherwise == otherwise
        )


class Selector(Generic[K]):  # noqa: UP046 - importable on the host's Python 3.11
    """Call it with a key: a tracked bool, True for the key `source()` currently returns."""

    def __init__(self, source: Callable[[], K]) -> None:
        self._source = source
        self._flags: dict[K, Signal[bool]] = {}
        # when()'s signals by key. Held here, so whatever follows one lives as long as the
        # selector (as a flag's readers do); dropped only when nothing follows it and nobody
        # else holds it (_prune_choices), so a signal handed out is never one it stopped setting.
        self._choices: dict[K, _Choice] = {}  # each key's first; the rest chained
        self._current: K = untracked(source)
        self._prune_at = self._choices_prune_at = MIN_PRUNE
        self._follower = Effect(self._follow, name="selector")  # owned like any effect

    def __call__(self, key: K) -> bool:
        flag = self._flags.get(key)
        if flag is None:
            if len(self._flags) >= self._prune_at:
                self._prune()
            flag = self._flags[key] = _Flag(key == self._current)
        return flag.value

    def when(self, key: K, chosen: Any, otherwise: Any = None) -> Signal[Any]:
        """A signal holding `chosen` while `key` is the selected one, else `otherwise`, for a
        slot to follow: `class={is_selected.when(row.id, "danger")}`. Only the rows of the old
        and the new key are told when the selection moves. The same arguments give the same
        signal (a row rendered again keeps following it); do not set it yourself."""
        first = found = self._choices.get(key)
        if first is None and len(self._choices) >= self._choices_prune_at:
            self._prune_choices()  # the key has none: pruning cannot drop what it looks for
        while found is not None:
            if found.matches(chosen, otherwise):
                return found
            found = found.next
        choice = self._choices[key] = _Choice(key == self._current, chosen, otherwise, first)
        return choice

    def _follow(self) -> None:
        new = self._source()
        old, self._current = self._current, new
        if old == new:
            return
        for key, selected in ((old, False), (new, True)):
            flag = self._flags.get(key)
            if flag is not None:
                flag.value = selected
            choice = self._choices.get(key)
            while choice is not None:
                choice.value = choice.chosen if selected else choice.otherwise
                choice = choice.next

    def _prune(self) -> None:
        """Forget the flags nobody reads any more (their rows are gone)."""
        self._flags = {key: flag for key, flag in self._flags.items() if flag._observers}
        self._prune_at = max(MIN_PRUNE, 2 * len(self._flags))

    def _prune_choices(self) -> None:
        """Forget the when() signals nothing follows and nobody else holds (their rows were
        freed). An unfollowed one is let go and looked for through a weak reference: still
        alive means someone holds it (to follow it later), so it is kept. Exact in CPython: an
        unfollowed signal is in no reference cycle, so it dies the moment it is let go."""
        kept, unfollowed = _split_followed(self._choices)
        self._choices = kept  # the old chains go: an unfollowed signal held by no one dies here
        for key, ref in unfollowed:
            held = ref()
            if held is not None:
                held.next = kept.get(key)
                kept[key] = held
        self._choices_prune_at = max(MIN_PRUNE, 2 * len(kept))

    def dispose(self) -> None:
        self._follower.dispose()
        self._flags.clear()
        self._choices.clear()


def _split_followed(  # noqa: UP047 - importable on the host's Python 3.11
    choices_by_key: dict[K, _Choice],
) -> tuple[dict[K, _Choice], list[tuple[K, weakref.ref[_Choice]]]]:
    """The followed signals, chained anew by key, and weak references to the others, unchained
    (so that none keeps another alive; a function of its own, so that no loop variable of the
    caller still holds one when it looks)."""
    kept: dict[K, _Choice] = {}
    unfollowed: list[tuple[K, weakref.ref[_Choice]]] = []
    for key, first in choices_by_key.items():
        choice: _Choice | None = first
        while choice is not None:
            following, choice.next = choice.next, None
            if choice._observers:
                choice.next = kept.get(key)
                kept[key] = choice
            else:
                unfollowed.append((key, weakref.ref(choice)))
            choice = following
    return kept, unfollowed


def selector(source: Callable[[], K]) -> Selector[K]:  # noqa: UP047 - as above
    return Selector(source)
