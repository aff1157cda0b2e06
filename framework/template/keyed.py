"""Keyed lists: the items of a child slot holding a list, reconciled by key.

`keyed(key, value)` gives an item its key, `each(items, render, key=)` renders an item only when
its object changed. On each render ListContent keeps the items whose keys stay (updated in
place), removes the others, creates the new ones, and moves the fewest: a longest increasing
subsequence of the kept items' old positions stays put, every other kept item moves once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
    """The new items of one reconcile: their keys, the object each was made from (each()'s
    item, compared by identity; UNSET for other lists) and the value to render for each."""

    __slots__ = ("each", "keys", "name", "sources", "values")

    def __init__(self, values: Iterable[Any]) -> None:
        self.name = ""  # each()'s rows, in errors: named when the first row renders
        if type(values) is Each:
            self.each: Each | None = values
            self.keys, self.sources = values.keys(), values.items
            self.values: list[Any] = values.items
        else:
            self.each = None
            self.keys, self.values = _keyed_values(values)
            self.sources = [v.source if type(v) is Memo else UNSET for v in self.values]

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
    place (a re-render, an append, a removal, an update of some rows); only what lies between
    is matched by key, and there the longest increasing subsequence of the kept items' old
    positions stays put while every other kept item moves once (a swap: two moves)."""

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
        keys = new.keys
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate keys in a list: {_duplicates(keys)}")
        old_keys, items = self.keys, self.items
        start, old_end, new_end = 0, len(old_keys), len(keys)
        while start < old_end and start < new_end and old_keys[start] == keys[start]:
            if not self._keep(start, start, new):
                break
            start += 1
        while old_end > start and new_end > start and old_keys[old_end - 1] == keys[new_end - 1]:
            if not self._keep(old_end - 1, new_end - 1, new):
                break
            old_end -= 1
            new_end -= 1
        if start == old_end:  # only insertions between the kept ends
            ref = self._ref_at(old_end)
            middle = [self._create(new, index, ref) for index in range(start, new_end)]
        elif start == new_end:  # only removals
            self._remove_items(items[start:old_end], whole=old_end - start == len(items))
            middle = []
        else:
            middle = self._rematch(new, start, old_end, new_end)
        self.items = [*items[:start], *middle, *items[old_end:]]
        self.keys = keys
        self.sources = new.sources

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

    def _rematch(self, new: _Rows, start: int, old_end: int, new_end: int) -> list[Content]:
        """Match the old items start..old_end with the new start..new_end by key: kept ones
        are updated, the rest removed, new ones created, and the kept ones outside the
        longest increasing run of old positions moved. Returns the new middle in order."""
        old_positions = {key: index for index, key in enumerate(self.keys[start:old_end], start)}
        kept: list[Content | None] = []
        sources: list[int] = []
        for index in range(start, new_end):
            position = old_positions.get(new.keys[index], -1)
            if position >= 0 and self._keep(position, index, new):
                kept.append(self.items[position])
                sources.append(position)
            else:
                kept.append(None)
                sources.append(-1)
        taken = set(sources)
        dropped = [self.items[i] for i in range(start, old_end) if i not in taken]
        self._remove_items(dropped, whole=len(dropped) == len(self.items))
        ref = self._ref_at(old_end)
        if taken == {-1}:  # nothing kept (a replacement): created in order
            return [self._create(new, index, ref) for index in range(start, new_end)]
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
