"""The memory backend's transitions: what the applier plays in the page (protocol.json's ENTER,
LEAVE, END_LEAVES and FLIP), modelled so that a unit test sees each stage.

There is no CSS here and no frames, so the test says when time passes: `next_frame()` moves
every transition from its `from` class to its `to` class, and a transition ends when the test
dispatches `transitionend` or `animationend` on its element, or calls `end_transitions()`;
one given a duration ends after that many milliseconds of the test's event loop (`settle(dom,
advance=...)`), as the page's timer does. An element leaving stays in the tree, with its
classes, until its end; then it is removed. Moves have no layout to measure: an element moved
when its place among its parent's children changed (a vertical list's rows), and it gets the
move class until its end. With `reduced_motion`, nothing plays.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from framework.dom import protocol
from framework.dom.tree import Element, Node

STAGES: dict[str, list[str]] = {
    "enter": protocol.TRANSITIONS["enter"],
    "leave": protocol.TRANSITIONS["leave"],
}
MOVE: str = protocol.TRANSITIONS["move"]
END_EVENTS: frozenset[str] = frozenset(protocol.TRANSITIONS["end_events"])


@dataclass(eq=False)
class Playing:
    """One element's transition: its classes ([from, active, to], or [move]), whether the
    `from` class still stands, the slot anchor it leaves (None: not leaving)."""

    element: Element
    classes: list[str]
    timed: bool  # ends by its duration's timer only, not by end events
    leaving_from: Node | None = None
    first_frame: bool = True


@dataclass
class Transitions:
    """The transitions playing in one MemoryDom, by element."""

    reduced_motion: bool = False
    playing: dict[Element, Playing] = field(default_factory=dict)  # enters and leaves
    moving: dict[Element, Playing] = field(default_factory=dict)  # slides, beside an enter
    _positions: list[tuple[str, dict[Element, tuple[Element | None, int]]]] = field(
        default_factory=list
    )

    def leaving(self) -> list[Element]:
        """The elements still in the tree only until their leave ends."""
        return [
            play.element
            for play in self.playing.values()
            if play.leaving_from is not None and play.element.parent is not None
        ]

    def is_leaving(self, node: Node) -> bool:
        play = self.playing.get(node) if isinstance(node, Element) else None
        return play is not None and play.leaving_from is not None

    def enter(self, nodes: list[Node], name: str, duration: float | None) -> None:
        if not self.reduced_motion:
            for element in _elements(nodes):
                self._play(element, "enter", name, duration, None)

    def leave(self, nodes: list[Node], anchor: Node, name: str, duration: float | None) -> None:
        if not self.reduced_motion:  # else the REMOVE that follows takes them at once
            for element in _elements(nodes):
                self._play(element, "leave", name, duration, anchor)

    def end_leaves(self, anchor: Node) -> None:
        for play in list(self.playing.values()):
            if play.leaving_from is anchor:
                self.end(play.element)

    def note_positions(self, nodes: list[Node], name: str) -> None:
        """FLIP's first half: where each element is (its parent and place there)."""
        if self.reduced_motion:
            return
        places = {
            node: (node.parent, _index(node))
            for node in _elements(nodes)
            if not self.is_leaving(node)
        }
        self._positions.append((name, places))

    def after_batch(self) -> None:
        """FLIP's second half: the elements that moved get the move class."""
        noted, self._positions = self._positions, []
        for name, places in noted:
            for element, place in places.items():
                if element.parent is None or self.is_leaving(element):
                    continue
                if (element.parent, _index(element)) != place:
                    self._end_move(element)  # a slide in flight ends where it is
                    move = Playing(element, [f"{name}-{MOVE}"], False, first_frame=False)
                    self.moving[element] = move
                    _add_classes(element, move.classes)

    def next_frame(self) -> None:
        for play in list(self.playing.values()):
            if play.first_frame:
                play.first_frame = False
                from_class, _active, to_class = play.classes
                _remove_classes(play.element, [from_class])
                _add_classes(play.element, [to_class])

    def end(self, element: Element) -> None:
        """The element's transitions end: their classes go, and a leaving element goes too."""
        self._end_move(element)
        play = self.playing.pop(element, None)
        if play is None:
            return
        _remove_classes(element, play.classes)
        if play.leaving_from is not None and element.parent is not None:
            element.parent.children.remove(element)
            element.parent = None

    def _end_move(self, element: Element) -> None:
        move = self.moving.pop(element, None)
        if move is not None:
            _remove_classes(element, move.classes)

    def end_event(self, element: Element, event_type: str) -> None:
        """transitionend or animationend on an element: the end of what it plays timed by CSS."""
        if event_type not in END_EVENTS:
            return
        self._end_move(element)
        play = self.playing.get(element)
        if play is not None and not play.timed:
            self.end(element)

    def end_all(self) -> None:
        for element in [*self.playing, *self.moving]:
            self.end(element)

    def _play(
        self, element: Element, stage: str, name: str, duration: float | None, anchor: Node | None
    ) -> None:
        self.end(element)  # an enter or slide in flight ends where it is
        classes = [f"{name}-{suffix}" for suffix in STAGES[stage]]
        play = Playing(element, classes, duration is not None, anchor)
        self.playing[element] = play
        _add_classes(element, classes[:2])
        if duration is not None:
            loop = asyncio._get_running_loop()  # a test's TestLoop: its clock is virtual
            if loop is not None:
                loop.call_later(duration / 1000, self._timer_ends, play)

    def _timer_ends(self, play: Playing) -> None:
        if self.playing.get(play.element) is play:
            self.end(play.element)


def _elements(nodes: list[Node]) -> list[Element]:
    return [node for node in nodes if isinstance(node, Element)]


def _index(node: Node) -> int:
    return node.parent.children.index(node) if node.parent is not None else -1


def _add_classes(element: Element, names: list[str]) -> None:
    classes = element.attrs.get("class", "").split()
    element.set_attribute("class", " ".join([*classes, *(n for n in names if n not in classes)]))


def _remove_classes(element: Element, names: list[str]) -> None:
    """As classList.remove: the attribute stays, empty when the last class goes."""
    classes = element.attrs.get("class", "").split()
    element.set_attribute("class", " ".join(c for c in classes if c not in names))


def nodes_between(first: Node, end: Node) -> list[Node]:
    """first and its next siblings up to (not) end."""
    parent = first.parent
    if parent is None:
        return []
    siblings = parent.children
    start = siblings.index(first)
    stop = siblings.index(end) if end.parent is parent else len(siblings)
    return siblings[start:stop]
