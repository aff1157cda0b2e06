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
    the selector sets it."""

    __slots__ = ("chosen", "otherwise")

    def __init__(self, selected: bool, chosen: Any, otherwise: Any) -> None:
        # _Flag's stores, for the same reason (one per row of a long list).
        self._observers = {}
        self._version = self._epoch = 0
        self._name = self._equals = None
        self.chosen, self.otherwise = chosen, otherwise
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
        # when()'s signals by key, held weakly: the selector keeps one only while a row (or
        # whoever asked for it) does, so a signal it hands out is never one it stopped setting.
        self._choices: dict[K, list[weakref.ref[_Choice]]] = {}
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
        refs = self._choices.get(key)
        if refs is None:
            if len(self._choices) >= self._choices_prune_at:
                self._prune_choices()
            refs = self._choices[key] = []
        else:
            for ref in refs:
                found = ref()
                if found is not None and found.matches(chosen, otherwise):
                    return found
        choice = _Choice(key == self._current, chosen, otherwise)
        refs.append(weakref.ref(choice))
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
            for ref in self._choices.get(key, ()):
                choice = ref()
                if choice is not None:
                    choice.value = choice.chosen if selected else choice.otherwise

    def _prune(self) -> None:
        """Forget the flags nobody reads any more (their rows are gone)."""
        self._flags = {key: flag for key, flag in self._flags.items() if flag._observers}
        self._prune_at = max(MIN_PRUNE, 2 * len(self._flags))

    def _prune_choices(self) -> None:
        """Forget the keys whose when() signals are all gone (their rows were freed)."""
        kept = {}
        for key, refs in self._choices.items():
            alive = [ref for ref in refs if ref() is not None]
            if alive:
                kept[key] = alive
        self._choices = kept
        self._choices_prune_at = max(MIN_PRUNE, 2 * len(kept))

    def dispose(self) -> None:
        self._follower.dispose()
        self._flags.clear()
        self._choices.clear()


def selector(source: Callable[[], K]) -> Selector[K]:  # noqa: UP047 - as above
    return Selector(source)
