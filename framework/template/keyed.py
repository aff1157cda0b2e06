"""Keyed lists: the items of a child slot holding a list, reconciled by key.

`keyed(key, value)` gives an item its key, `each(items, render, key=)` renders an item only when
its object changed. On each render ListContent keeps the items whose keys stay (updated in
place), removes the others, creates the new ones, and moves the fewest: a longest increasing
subsequence of the kept items' old positions stays put, every other kept item moves once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from string.templatelib import Template
from typing import TYPE_CHECKING, Any

from framework.dom import ops as op
from framework.template import readonly, safety
from framework.template.content import Content, Mountable, RawItem, SingleNode, TextItem
from framework.template.instance import TemplateInstance
from framework.template.located import locate
from framework.template.part import UNSET

if TYPE_CHECKING:
    from framework.template.renderer import Renderer


@dataclass(frozen=True, slots=True)
class Keyed:
    """A list item with an explicit key, so reordering moves its nodes."""

    key: Any
    value: Any


def keyed(key: Any, value: Any) -> Keyed:
    return Keyed(key, value)


class Memo:
    """A list item rendered from `source` only when needed: `each()` makes these."""

    __slots__ = ("_value", "render", "source")

    def __init__(self, source: Any, render: Callable[[Any], Any]) -> None:
        self.source, self.render = source, render
        self._value: Any = UNSET

    @property
    def value(self) -> Any:
        if self._value is UNSET:  # user code building a template: read-only, as render()
            name = f"{readonly.component_name} (a row of each())"
            self._value = readonly.rendering(name, self.render, self.source)
        return self._value


def each(
    items: Iterable[Any], render: Callable[[Any], Any], *, key: Callable[[Any], Any] | None = None
) -> list[Keyed]:
    """A keyed list that calls `render(item)` only for items it has not rendered yet, or whose
    object changed since (compared by identity, so keep items immutable and replace them):

        {each(rows, lambda row: t"<tr><td>{row.label}</td></tr>", key=lambda row: row.id)}

    A re-render of the parent then costs one identity check per unchanged row. `render` must
    depend only on its item (anything else it shows should be a Signal or Computed in a slot,
    which updates on its own). Without `key`, the item itself is the key.
    """
    if key is None:
        return [Keyed(item, Memo(item, render)) for item in items]
    return [Keyed(key(item), Memo(item, render)) for item in items]


class ListContent(Content):
    """Items before an end anchor, reconciled by key with the fewest moves (longest increasing
    subsequence of the kept items stays put; every other kept item moves once)."""

    __slots__ = ("end", "items", "keys", "renderer", "sources")

    def __init__(self, renderer: Renderer, end: int) -> None:
        self.renderer, self.end = renderer, end
        self.items: list[Content] = []
        self.keys: list[Any] = []
        self.sources: list[Any] = []  # each()'s item behind each row (identity), else UNSET

    def reconcile(self, values: Iterable[Any]) -> None:
        """Make the items match `values`: kept items are updated in place, dropped ones removed,
        new ones created, and only kept items outside the longest increasing run are moved."""
        new_keys, new_values = _keyed_values(values)
        if len(set(new_keys)) != len(new_keys):
            raise ValueError(f"duplicate keys in a list: {_duplicates(new_keys)}")
        new_sources = [v.source if type(v) is Memo else UNSET for v in new_values]
        if not self.items:
            self._append_all(new_keys, new_values)
        elif not new_keys:
            self._remove_all()
        elif not self._extend_in_place(new_keys, new_values, new_sources):
            kept, sources = self._update_kept(new_keys, new_values, new_sources)
            self._remove_dropped({source for source in sources if source >= 0})
            self.items = self._place(kept, sources, new_values)
            self.keys = new_keys
        self.sources = new_sources

    def _extend_in_place(self, keys: list[Any], values: list[Any], sources: list[Any]) -> bool:
        """The common cases, without diffing: the same keys in the same order (a re-render),
        or those followed by new ones (an append). False when the general path is needed."""
        count = len(self.keys)
        if len(keys) < count or keys[:count] != self.keys:
            return False
        items, old_sources = self.items, self.sources
        changed = [
            index
            for index in range(count)
            if sources[index] is UNSET or sources[index] is not old_sources[index]
        ]
        if not all(_can_update(items[index], values[index]) for index in changed):
            return False
        for index in changed:
            _update_item(items[index], values[index])
        for value in values[count:]:
            item = _create_item(self.renderer, value)
            item.move_before(self.end)
            items.append(item)
        self.keys = keys
        return True

    def _update_kept(
        self, keys: list[Any], values: list[Any], memos: list[Any]
    ) -> tuple[list[Content | None], list[int]]:
        """For each new position: the old item it keeps, updated with its new value (unless
        each() rendered it from the same object), and that item's old position; or None and -1
        where a new item has to be created."""
        old_positions = {key: index for index, key in enumerate(self.keys)}
        kept: list[Content | None] = []
        sources: list[int] = []
        for key, value, memo in zip(keys, values, memos, strict=True):
            index = old_positions.get(key, -1)
            old = self.items[index] if index >= 0 else None
            if old is not None and memo is not UNSET and memo is self.sources[index]:
                kept.append(old)
                sources.append(index)
            elif old is not None and _can_update(old, value):
                _update_item(old, value)
                kept.append(old)
                sources.append(index)
            else:
                kept.append(None)
                sources.append(-1)
        return kept, sources

    def _remove_dropped(self, kept: set[int]) -> None:
        """Remove the old items no new position keeps: all at once if none is kept."""
        dropped = [item for index, item in enumerate(self.items) if index not in kept]
        if dropped and len(dropped) == len(self.items):
            self._remove_range(dropped)
        else:
            for item in dropped:
                item.remove()

    def _place(
        self, kept: list[Content | None], sources: list[int], values: list[Any]
    ) -> list[Content]:
        """Walk the new order backwards, each item going before the one after it: new items are
        created there, kept items move unless they are in the longest increasing run."""
        stay = _longest_increasing(sources)
        ref = self.end
        placed: list[Content] = []
        for position in range(len(kept) - 1, -1, -1):
            item = kept[position]
            if item is None:
                item = _create_item(self.renderer, values[position])
                item.move_before(ref)
            elif position not in stay:
                item.move_before(ref)
            placed.append(item)
            first = item.first()
            if first is not None:
                ref = first
        placed.reverse()
        return placed

    def _append_all(self, keys: list[Any], values: list[Any]) -> None:
        items = []
        for value in values:
            item = _create_item(self.renderer, value)
            item.move_before(self.end)
            items.append(item)
        self.items, self.keys = items, keys

    def _remove_all(self) -> None:
        self._remove_range(self.items)
        self.items, self.keys, self.sources = [], [], []

    def _remove_range(self, items: list[Content]) -> None:
        """Remove every item at once when they are all that stands before the end anchor."""
        first = next((f for item in self.items if (f := item.first()) is not None), None)
        if first is None:
            return
        self.renderer.emit(op.REMOVE_RANGE, first, self.end)
        for item in items:
            if isinstance(item, TemplateInstance):
                item.release()
            elif isinstance(item, SingleNode):
                self.renderer.drop(item.id, 1)
            else:
                item.remove()

    def first(self) -> int | None:
        for item in self.items:
            found = item.first()
            if found is not None:
                return found
        return None

    def move_before(self, ref: int) -> None:
        for item in self.items:
            item.move_before(ref)

    def remove(self) -> None:
        if self.items:
            self._remove_all()


def _keyed_values(values: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    keys: list[Any] = []
    items: list[Any] = []
    for index, value in enumerate(values):
        if isinstance(value, Keyed):
            keys.append(value.key)
            items.append(value.value)
        else:
            key = value.key if isinstance(value, Mountable) else None
            keys.append(("#", index) if key is None else key)
            items.append(value)
    return keys, items


def _duplicates(keys: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    return [k for k in keys if k in seen or seen.add(k)][:5]  # type: ignore[func-returns-value]


def _create_item(renderer: Renderer, value: Any) -> Content:
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Template):
        return renderer.instantiate(value)
    if isinstance(value, Mountable):
        return value.create_host(renderer)
    if isinstance(value, safety.DangerousHTML):
        return RawItem(renderer, value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return TextItem(renderer, str(value))
    raise TypeError(
        f"cannot render a {type(value).__name__} as a list item: use a template (t'...'), a "
        "component, str or a number"
    )


def _can_update(item: Content, value: Any) -> bool:
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Template):
        return isinstance(item, TemplateInstance) and item.meta.strings is value.strings
    if isinstance(value, Mountable):
        return value.same_kind(item)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return isinstance(item, TextItem)
    return False


def _update_item(item: Content, value: Any) -> None:
    """Feed a kept item its new value (_can_update said the kinds match)."""
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Mountable):
        value.update_host(item)
    elif isinstance(item, TemplateInstance):
        try:
            item.update(value.values)
        except Exception as error:  # the user's mistake, shown at the slot in their source
            locate(error, value)
            raise
    elif isinstance(item, TextItem):
        item.set(str(value))


def _longest_increasing(sources: list[int]) -> set[int]:
    """Positions (in the new order) of a longest run of kept items whose old order increases."""
    tails: list[int] = []  # positions, by subsequence length
    previous = [-1] * len(sources)
    for position, source in enumerate(sources):
        if source < 0:
            continue
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if sources[tails[middle]] < source:
                low = middle + 1
            else:
                high = middle
        previous[position] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    result: set[int] = set()
    position = tails[-1] if tails else -1
    while position >= 0:
        result.add(position)
        position = previous[position]
    return result
