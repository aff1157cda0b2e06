"""Keyed lists: the items of a child slot holding a list, reconciled by key.

`keyed(key, value)` gives an item its key, `each(items, render, key=)` renders an item only when
its object changed. On each render ListContent keeps the items whose keys stay (updated in
place), removes the others, creates the new ones, and moves the fewest: a longest increasing
subsequence of the kept items' old positions stays put, every other kept item moves once.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from string.templatelib import Template
from typing import TYPE_CHECKING, Any, cast

from framework.dom import ops as op
from framework.template import readonly, safety
from framework.template.content import Content, Mountable, RawItem, SingleNode, TextItem
from framework.template.instance import TemplateInstance, release_all, same_template
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


class Each:
    """What each() returns: the items, how to render one and how to key it. A list slot
    reconciles it as it is (no object per row, a row rendered only when needed); iterating it
    gives `Keyed` items, for code that puts it among other items (`[header, *each(...)]`)."""

    __slots__ = ("items", "key", "render")

    def __init__(
        self, items: list[Any], render: Callable[[Any], Any], key: Callable[[Any], Any] | None
    ) -> None:
        self.items, self.render, self.key = items, render, key

    def keys(self) -> list[Any]:
        key = self.key
        return list(self.items) if key is None else [key(item) for item in self.items]

    def __iter__(self) -> Iterator[Keyed]:
        render = self.render
        for key, item in zip(self.keys(), self.items, strict=True):
            yield Keyed(key, Memo(item, render))

    def __len__(self) -> int:
        return len(self.items)

    def __add__(self, other: list[Any]) -> list[Any]:  # `each(...) + [footer]`, as with a list
        return [*self, *other]

    def __radd__(self, other: list[Any]) -> list[Any]:
        return [*other, *self]


def each(
    items: Iterable[Any], render: Callable[[Any], Any], *, key: Callable[[Any], Any] | None = None
) -> Each:
    """A keyed list that calls `render(item)` only for items it has not rendered yet, or whose
    object changed since (compared by identity, so keep items immutable and replace them):

        {each(rows, lambda row: t"<tr><td>{row.label}</td></tr>", key=lambda row: row.id)}

    A re-render of the parent then costs one identity check per unchanged row. `render` must
    depend only on its item (anything else it shows should be a Signal or Computed in a slot,
    which updates on its own). Without `key`, the item itself is the key.
    """
    return Each(list(items), render, key)  # a copy: the caller may change its list later


class _Rows:
    """The new items of one reconcile: the object each was made from (each()'s item, compared
    by identity; UNSET for other lists), the value to render for each, and their keys: each()'s
    are computed only where the old list does not already hold the same object."""

    __slots__ = ("each", "key_of", "known_keys", "name", "sources", "values")

    def __init__(self, values: Iterable[Any]) -> None:
        self.name = ""  # each()'s rows, in errors: named when the first row renders
        if type(values) is Each:
            self.each: Each | None = values
            self.sources = self.values = values.items
            self.key_of = values.key
            self.known_keys: list[Any] | None = values.items if values.key is None else None
        else:
            self.each, self.key_of = None, None
            self.known_keys, self.values = _keyed_values(values)
            self.sources = [v.source if type(v) is Memo else UNSET for v in self.values]

    def key_at(self, index: int) -> Any:
        key_of = self.key_of
        return self.known_keys[index] if key_of is None else key_of(self.values[index])  # type: ignore[index]

    def keys_between(self, low: int, high: int) -> list[Any]:
        key_of = self.key_of
        if key_of is None:
            return self.known_keys[low:high]  # type: ignore[index]
        return list(map(key_of, self.values[low:high]))

    def value(self, index: int) -> Any:
        """What position `index` renders: each()'s row function is called here, read-only."""
        found = self.each
        if found is None:
            return self.values[index]
        if not self.name:
            self.name = f"{readonly.component_name} (a row of each())"
        return readonly.rendering(self.name, found.render, self.values[index])


class ListContent(Content):
    """Items before an end anchor, reconciled by key with the fewest moves.

    The common changes need no diff: the items both lists start and end with are kept in
    place (a re-render, an append, a removal, an update of some rows), found for each() by
    comparing the rows' objects by identity at C speed, so an unchanged row costs no Python;
    two rows that trade places are two moves; only what else lies between is matched by key,
    and there the longest increasing subsequence of the kept items' old positions stays put
    while every other kept item moves once."""

    __slots__ = ("end", "items", "keys", "renderer", "sources")

    def __init__(self, renderer: Renderer, end: int) -> None:
        self.renderer, self.end = renderer, end
        self.items: list[Content] = []
        self.keys: list[Any] = []
        self.sources: list[Any] = []  # each()'s item behind each row (identity), else UNSET

    def reconcile(self, values: Iterable[Any]) -> None:
        """Make the items match `values`: kept items are updated in place (unless each()
        rendered them from the same object), dropped ones removed, new ones created."""
        new = _Rows(values)
        old_keys, items = self.keys, self.items
        start = self._keep_start(new)
        old_end, new_end = self._keep_end(new, start)
        swapped = None
        if start < old_end and start < new_end:
            swapped = self._swap_ends(new, start, old_end, new_end)
        if swapped is not None:
            middle, keys = swapped
        else:
            keys = new.keys_between(start, new_end)
            _check_unique(keys, old_keys, start, old_end)
            middle = self._middle(new, keys, start, old_end, new_end)
        self.items = [*items[:start], *middle, *items[old_end:]]
        self.keys = [*old_keys[:start], *keys, *old_keys[old_end:]]
        self.sources = new.sources

    def _middle(
        self, new: _Rows, keys: list[Any], start: int, old_end: int, new_end: int
    ) -> list[Content]:
        """The new items between the kept ends, in order."""
        if start == old_end:  # only insertions between the kept ends
            ref = self._ref_at(old_end)
            return [self._create(new, index, ref) for index in range(start, new_end)]
        if start == new_end:  # only removals
            self._remove_items(self.items[start:old_end], whole=old_end - start == len(self.items))
            return []
        return self._rematch(new, keys, start, old_end)

    def _keep_start(self, new: _Rows) -> int:
        """Keep the items both lists start with; returns where they stop."""
        old_keys = self.keys
        limit = min(len(old_keys), len(new.values))
        for index in self._differing(new, iter(self.sources), iter(new.sources), limit):
            if old_keys[index] != new.key_at(index) or not self._keep(index, index, new):
                return index
        return limit

    def _keep_end(self, new: _Rows, start: int) -> tuple[int, int]:
        """Keep the items both lists end with (after `start`); returns the old and new ends."""
        old_keys = self.keys
        old_end, new_end = len(old_keys), len(new.values)
        room = min(old_end, new_end) - start
        backwards = self._differing(new, reversed(self.sources), reversed(new.sources), room)
        for back in backwards:
            old, index = old_end - 1 - back, new_end - 1 - back
            if old_keys[old] != new.key_at(index) or not self._keep(old, index, new):
                return old + 1, index + 1
        return old_end - room, new_end - room

    @staticmethod
    def _differing(
        new: _Rows, old: Iterator[Any], fresh: Iterator[Any], limit: int
    ) -> Iterable[int]:
        """The offsets below `limit` whose items need a look: for each(), those whose object
        is not the old one at that offset (found without a Python step per item); else all."""
        if new.each is None:
            return range(limit)
        return compress(range(limit), map(operator.is_not, old, fresh, strict=False))

    def _keep(self, old: int, new_index: int, new: _Rows) -> bool:
        """Keep the item at old position `old` for new position `new_index`, updated with its
        new value unless each() rendered it from the same object; False if it cannot take it
        (another kind of content: it is replaced)."""
        source = new.sources[new_index]
        if source is not UNSET and source is self.sources[old]:
            return True
        value = new.value(new_index)
        item = self.items[old]
        if not _can_update(item, value):
            return False
        _update_item(item, value)
        return True

    def _ref_at(self, index: int) -> int:
        """The node before which an item at old position `index` would go: the first node of
        the first kept item from there on, else the end anchor."""
        for item in self.items[index:]:
            found = item.first()
            if found is not None:
                return found
        return self.end

    def _create(self, new: _Rows, index: int, ref: int) -> Content:
        return _create_item(self.renderer, new.value(index), ref)

    def _swap_ends(
        self, new: _Rows, start: int, old_end: int, new_end: int
    ) -> tuple[list[Content], list[Any]] | None:
        """Two rows that traded places, all between them the same objects (a swap): the two
        are kept and moved, and nothing else is looked at. Returns the new middle and its keys;
        None for any other change."""
        count = old_end - start
        if new.each is None or count < 2 or new_end - start != count:
            return None
        old_keys, sources = self.keys, self.sources
        last_key, first_key = old_keys[old_end - 1], old_keys[start]
        if new.key_at(start) != last_key or new.key_at(new_end - 1) != first_key:
            return None
        low, high = start + 1, old_end - 1
        if any(map(operator.is_not, sources[low:high], new.sources[low:high], strict=True)):
            return None
        if not (self._keep(old_end - 1, start, new) and self._keep(start, new_end - 1, new)):
            return None
        first, last = self.items[start], self.items[old_end - 1]
        first.move_before(self._ref_at(old_end))
        if count > 2:
            last.move_before(self._ref_at(low))
        middle = [last, *self.items[low:high], first]
        return middle, [last_key, *old_keys[low:high], first_key]

    def _rematch(self, new: _Rows, keys: list[Any], start: int, old_end: int) -> list[Content]:
        """Match the old items start..old_end with the new ones (`keys`, from start) by key:
        kept ones are updated, the rest removed, new ones created, and the kept ones outside
        the longest increasing run of old positions moved. Returns the new middle in order."""
        old_positions = dict(zip(self.keys[start:old_end], range(start, old_end), strict=True))
        sources = list(map(old_positions.get, keys, repeat(-1)))
        kept: list[Content | None] = []
        for offset, position in enumerate(sources):
            if position >= 0 and self._keep(position, start + offset, new):
                kept.append(self.items[position])
            else:
                kept.append(None)
                sources[offset] = -1
        taken = set(sources)
        dropped = [self.items[i] for i in range(start, old_end) if i not in taken]
        self._remove_items(dropped, whole=len(dropped) == len(self.items))
        ref = self._ref_at(old_end)
        if taken == {-1}:  # nothing kept (a replacement): created in order
            return [self._create(new, start + offset, ref) for offset in range(len(keys))]
        stay = _longest_increasing(sources)
        placed: list[Content] = []
        for offset in range(len(kept) - 1, -1, -1):
            item = kept[offset]
            if item is None:
                item = self._create(new, start + offset, ref)
            elif offset not in stay:
                item.move_before(ref)
            placed.append(item)
            first = item.first()
            if first is not None:
                ref = first
        placed.reverse()
        return placed

    def _remove_items(self, dropped: list[Content], whole: bool) -> None:
        """Remove items: all at once (one range op) when they are every item of the list."""
        if whole:
            self._remove_range(dropped)
        else:
            for item in dropped:
                item.remove()

    def _remove_range(self, items: list[Content]) -> None:
        """Remove every item at once: they are all that stands before the end anchor."""
        first = next((f for item in items if (f := item.first()) is not None), None)
        if first is not None:
            self.renderer.emit(op.REMOVE_RANGE, first, self.end)
        if set(map(type, items)) == {TemplateInstance}:  # rows of templates: released together
            release_all(cast("list[TemplateInstance]", items))
            return
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
            self._remove_range(self.items)
            self.items, self.keys, self.sources = [], [], []


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


def _check_unique(keys: list[Any], old_keys: list[Any], start: int, old_end: int) -> None:
    """The new keys between the kept ends are unique and none is a kept item's key (the kept
    ones are unique already: they were the old list's)."""
    unique = set(keys)
    kept = (old_keys[:start], old_keys[old_end:])
    if len(unique) == len(keys) and all(unique.isdisjoint(part) for part in kept):
        return
    every = [*old_keys[:start], *keys, *old_keys[old_end:]]
    raise ValueError(f"duplicate keys in a list: {_duplicates(every)}")


def _duplicates(keys: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    return [k for k in keys if k in seen or seen.add(k)][:5]  # type: ignore[func-returns-value]


def _create_item(renderer: Renderer, value: Any, ref: int) -> Content:
    """New content for a list item, placed before node `ref`."""
    if type(value) is Memo:
        value = value.value
    if type(value) is Template:
        return renderer.instantiate(value, ref)
    item: Content
    if isinstance(value, Mountable):
        item = value.create_host(renderer)
    elif isinstance(value, safety.DangerousHTML):
        item = RawItem(renderer, value)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        item = TextItem(renderer, str(value))
    else:
        raise _not_an_item(value)
    item.move_before(ref)
    return item


def _not_an_item(value: Any) -> TypeError:
    return TypeError(
        f"cannot render a {type(value).__name__} as a list item: use a template (t'...'), a "
        "component, str or a number"
    )


def _can_update(item: Content, value: Any) -> bool:
    if type(value) is Memo:
        value = value.value
    if isinstance(value, Template):
        return isinstance(item, TemplateInstance) and same_template(item, value)
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
    tail_sources: list[int] = []  # their old positions, increasing: searched by bisect
    previous = [-1] * len(sources)
    for position, source in enumerate(sources):
        if source < 0:
            continue
        length = bisect_left(tail_sources, source)
        previous[position] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(position)
            tail_sources.append(source)
        else:
            tails[length] = position
            tail_sources[length] = source
    result: set[int] = set()
    position = tails[-1] if tails else -1
    while position >= 0:
        result.add(position)
        position = previous[position]
    return result
