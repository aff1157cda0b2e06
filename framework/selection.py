"""selector(): "is this key the selected one?" for long lists, notifying two readers, not all.

    is_selected = selector(lambda: selected.value)
    row_class = Computed(lambda: "danger" if is_selected(row.id) else None)

With a plain comparison every row reads `selected`, so selecting a row re-evaluates all of them.
A selector keeps one boolean signal per key that is being read: when the selection moves, only
the flags of the old and the new key change, so only those two rows update.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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


class Selector(Generic[K]):  # noqa: UP046 - importable on the host's Python 3.11
    """Call it with a key: a tracked bool, True for the key `source()` currently returns."""

    def __init__(self, source: Callable[[], K]) -> None:
        self._source = source
        self._flags: dict[K, Signal[bool]] = {}
        self._current: K = untracked(source)
        self._prune_at = MIN_PRUNE
        self._follower = Effect(self._follow, name="selector")  # owned like any effect

    def __call__(self, key: K) -> bool:
        flag = self._flags.get(key)
        if flag is None:
            if len(self._flags) >= self._prune_at:
                self._prune()
            flag = self._flags[key] = _Flag(key == self._current)
        return flag.value

    def _follow(self) -> None:
        new = self._source()
        old, self._current = self._current, new
        if old == new:
            return
        for key, selected in ((old, False), (new, True)):
            flag = self._flags.get(key)
            if flag is not None:
                flag.value = selected

    def _prune(self) -> None:
        """Forget the flags nobody reads any more (their rows are gone)."""
        self._flags = {key: flag for key, flag in self._flags.items() if flag._observers}
        self._prune_at = max(MIN_PRUNE, 2 * len(self._flags))

    def dispose(self) -> None:
        self._follower.dispose()
        self._flags.clear()


def selector(source: Callable[[], K]) -> Selector[K]:  # noqa: UP047 - as above
    return Selector(source)
