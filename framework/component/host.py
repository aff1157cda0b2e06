"""Hosting a component: what the renderer mounts for a component call.

A ComponentCall is the value a child slot or a list receives (the template layer knows it only
as a Mountable). Mounting it creates a ComponentHost: the instance, its reactive root, its
render effect and the HostSlot its render goes into. A later call of the same class in the same
place only feeds the host new props. Each host is released with everything its instance
registered when it unmounts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from framework.component.props import same_prop
from framework.errors import report_error
from framework.reactive import Effect, Signal, create_root, untracked
from framework.template.child import HostSlot
from framework.template.content import Content, Mountable

if TYPE_CHECKING:
    from framework.component.base import Component
    from framework.template.renderer import Renderer


class ComponentCall(Mountable):
    __slots__ = ("children", "component", "key", "props")

    def __init__(
        self,
        component: type[Component],
        props: dict[str, Any],
        children: tuple[Any, ...],
        key: Any,
    ) -> None:
        self.component, self.props, self.children, self.key = component, props, children, key

    def create_host(self, renderer: Renderer) -> Content:
        return ComponentHost(renderer, self, _current_host)

    def same_kind(self, host: Content) -> bool:
        return isinstance(host, ComponentHost) and host.component is self.component

    def update_host(self, host: Content) -> None:
        assert isinstance(host, ComponentHost)
        host.set_props(self.props, self.children)

    def __repr__(self) -> str:
        return f"{self.component.__name__}({self.props!r})"


_current_host: ComponentHost | None = None  # the host whose setup or render is running


class ComponentHost(Content):
    """A mounted component: its instance, reactive root, render effect and content slot."""

    def __init__(
        self, renderer: Renderer, call: ComponentCall, parent: ComponentHost | None
    ) -> None:
        self.renderer, self.component, self.parent = renderer, call.component, parent
        self.props = call.props
        self.provided: dict[Any, Any] = {}
        self.rendered = False
        self.part = HostSlot(renderer)
        self.instance = object.__new__(self.component)  # cls() is a ComponentCall
        self.instance.__dict__["_host"] = self
        self.signals = {
            name: Signal(value, equals=same_prop)
            for name, value in call.props.items()
            if not name.startswith("on_")
        }
        self.instance.__dict__["_signals"] = self.signals
        self.instance.children = call.children
        self.children_signal = Signal(call.children)
        self.dispose = untracked(lambda: create_root(self._start))

    def _start(self, dispose: Callable[[], None]) -> Callable[[], None]:
        global _current_host  # noqa: PLW0603 - the host whose render is running, for inject()
        outer, _current_host = _current_host, self
        try:
            self.instance.setup()
        finally:
            _current_host = outer
        Effect(self._render)
        return dispose

    def _render(self) -> None:
        global _current_host  # noqa: PLW0603
        outer, _current_host = _current_host, self
        try:
            try:
                self.children_signal.value  # noqa: B018 - re-render when the children change
                untracked(self.part.set, self.instance.render())
            except Exception as error:  # noqa: BLE001 - this component is an error boundary
                report_error(error)
                untracked(self.part.set, self.instance.fallback(error))
        finally:
            _current_host = outer
        instance = self.instance
        try:  # the hooks run untracked: what they read must not re-run this render
            if self.rendered:
                if instance._has_updated:
                    untracked(instance.updated)
            else:
                self.rendered = True
                if instance._has_mounted:
                    untracked(instance.mounted)
        except Exception as error:  # noqa: BLE001 - a lifecycle hook's bug must not break the page
            report_error(error)

    def set_props(self, props: dict[str, Any], children: tuple[Any, ...]) -> None:
        signals = self.signals
        for name, value in props.items():
            signal = signals.get(name)
            if signal is not None:  # event props (on_*) have no signal: the latest one is used
                signal.value = value
        self.props = props  # the call's own dict: an event prop it no longer passes is gone
        if children or self.instance.children:
            self.instance.children = children
            self.children_signal.value = children

    # Content protocol
    def first(self) -> int:
        return self.part.first()

    def move_before(self, ref: int) -> None:
        self.part.move_before(ref)

    def remove(self) -> None:
        self.dispose()
        _safe_call(self.instance.unmounted)
        self.part.remove()


def _safe_call(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception as error:  # noqa: BLE001 - a lifecycle hook's bug must not break the page
        report_error(error)
