"""Hot reload only: the components mounted in a template that a re-render replaces, offered to
the template that replaces it, so that they keep their state.

A re-render replaces a template instance when its markup changed (an edit under hot reload).
Everything in the old instance would go with it, the components mounted there too. While
hot reload renders again (`hot` is set by framework/component/hot.py), a child slot that
replaces a template instance first gathers the hosts mounted in it, in document order, through
nested templates and lists (`Offer`); each component call of the new instance then takes the
first one not yet taken that has its class and its key (component/host.py), and that host moves
into the new place with its new props instead of a new one mounting. So the n-th Counter of
the new markup is the n-th Counter of the old, whatever the edit added or removed around it,
and a keyed one is the one with that key. What no call takes goes with the old instance.

Outside hot reload `hot` is False and none of this runs: a render costs what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from framework.template.content import Content, Mountable, SingleNode
from framework.template.instance import TemplateInstance
from framework.template.keyed import ListContent

if TYPE_CHECKING:
    from string.templatelib import Template

    from framework.template.child import ChildPart
    from framework.template.renderer import Renderer

hot = False  # hot reload is rendering again: replaced templates offer their components
offered: Offer | None = None  # the hosts a template being built may take (a component's own
# children are not offered: host.py hides the offer while a new component mounts)


class Offer:
    """The hosts mounted in a template instance being replaced, and which of them were taken."""

    __slots__ = ("places", "taken")

    def __init__(self, instance: TemplateInstance) -> None:
        # Where each host is: its slot, or its list and index there.
        self.places: list[tuple[Content, ChildPart | ListContent, int]] = []
        self.taken: list[int] = []  # indexes into places, in the order they were taken
        self._gather(instance)

    def _gather(self, instance: TemplateInstance) -> None:
        from framework.template.child import ChildPart  # child.py imports this module

        for part in instance.parts or ():
            if not isinstance(part, ChildPart) or part.content is None:
                continue
            content = part.content
            if isinstance(content, TemplateInstance):
                self._gather(content)
            elif isinstance(content, ListContent):
                for index, item in enumerate(content.items):
                    if isinstance(item, TemplateInstance):
                        self._gather(item)
                    elif not isinstance(item, SingleNode):  # a text or raw HTML item
                        self.places.append((item, content, index))
            elif isinstance(part.value, Mountable):
                self.places.append((content, part, 0))

    def take(self, matches: Callable[[Content], bool]) -> Content | None:
        """The first host not yet taken that `matches` (the call's own test), now taken."""
        for index, (host, _, _) in enumerate(self.places):
            if index not in self.taken and matches(host):
                self.taken.append(index)
                return host
        return None

    def detach(self) -> None:
        """The new instance was built: the taken hosts are no longer the old one's to remove."""
        for index in self.taken:
            _, holder, position = self.places[index]
            if isinstance(holder, ListContent):
                holder.items[position] = _CARRIED
            else:
                holder.content = None

    def put_back(self) -> None:
        """The new instance failed: the taken hosts go back where they were, last first, so
        that each goes before a neighbour already in place."""
        for index in sorted(self.taken, reverse=True):
            host, holder, position = self.places[index]
            if isinstance(holder, ListContent):
                after = (item.first() for item in holder.items[position + 1 :])
                host.move_before(next((f for f in after if f is not None), holder.end))
            else:
                host.move_before(holder.node)
        self.taken.clear()


def instantiate(renderer: Renderer, template: Template, old: TemplateInstance) -> TemplateInstance:
    """A new instance of `template`, taking the components mounted in `old` that it calls again."""
    global offered  # noqa: PLW0603 - the offer is for the calls made while the instance is built
    offer, outer = Offer(old), offered
    offered = offer
    try:
        instance = renderer.instantiate(template)
    except BaseException:
        offer.put_back()
        raise
    finally:
        offered = outer
    offer.detach()
    return instance


class _Carried(Content):
    """What a list keeps in place of a host that moved to the new instance: nothing."""

    __slots__ = ()

    def first(self) -> None:
        return None

    def move_before(self, ref: int) -> None:
        pass

    def remove(self) -> None:
        pass


_CARRIED = _Carried()
