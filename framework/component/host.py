"""Hosting a component: what the renderer mounts for a component call.

A ComponentCall is the value a child slot or a list receives (the template layer knows it only
as a Mountable). Mounting it creates a ComponentHost: the instance, its reactive root, its
render effect and the HostSlot its render goes into. A later call of the same class in the same
place only feeds the host new props. Each host is released with everything its instance
registered when it unmounts.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from string.templatelib import Template
from typing import TYPE_CHECKING, Any, cast

from framework.component.checks import check_rendered, mark_failure
from framework.component.props import same_prop
from framework.environment import prerendering
from framework.errors import begin_batch, end_batch, report_error
from framework.reactive import Effect, Signal, create_root, untracked
from framework.template import carry, readonly, scoping
from framework.template.child import HostSlot
from framework.template.content import Content, Mountable

if TYPE_CHECKING:
    from framework.component.base import Component
    from framework.template.renderer import Renderer


class ComponentCall(Mountable):
    __slots__ = ("children", "component", "failure", "key", "props")

    def __init__(
        self,
        component: type[Component],
        props: dict[str, Any],
        children: tuple[Any, ...],
        key: Any,
        failure: Exception | None = None,
    ) -> None:
        self.component, self.props, self.children, self.key = component, props, children, key
        self.failure = failure  # a call refused (its props) while a parent rendered

    def create_host(self, renderer: Renderer) -> Content:
        offer = carry.offered
        if offer is None:  # always, but while hot reload replaces a template (carry.py)
            return ComponentHost(renderer, self, _current_host)
        host = cast("ComponentHost | None", offer.take(self._carries))
        if host is not None:
            host.parent_tag = scoping.parent_tag
            self.update_host(host)
            return host
        carry.offered = None  # a new component's children are its own, not the old template's
        try:
            return ComponentHost(renderer, self, _current_host)
        finally:
            carry.offered = offer

    def _carries(self, host: Content) -> bool:
        """Whether a host offered by a replaced template is this call's (hot reload)."""
        return self.same_kind(host) and cast("ComponentHost", host).key == self.key

    def same_kind(self, host: Content) -> bool:
        return (
            isinstance(host, ComponentHost)
            and host.component is self.component
            and self.failure is None
            and not host.failed
        )

    def update_host(self, host: Content) -> None:
        assert isinstance(host, ComponentHost)
        host.set_props(self.props, self.children)

    def __repr__(self) -> str:
        return f"{self.component.__name__}({self.props!r})"


_current_host: ComponentHost | None = None  # the host whose setup or render is running
# The mounted hosts, where hot reload (framework/component/hot.py) finds a class's instances to
# render again with its new code. None, so nothing is kept, unless `framework serve` turned it on.
live_hosts: weakref.WeakSet[ComponentHost] | None = None


def rendering_now() -> bool:
    """Whether a component is rendering (or being set up) at this moment."""
    return _current_host is not None


class ComponentHost(Content):
    """A mounted component: its instance, reactive root, render effect and content slot.

    It is an error boundary: a failure of its props, setup() or render() shows its fallback in
    its own slot, is reported once, and leaves its parent and siblings working."""

    def __init__(
        self, renderer: Renderer, call: ComponentCall, parent: ComponentHost | None
    ) -> None:
        self.renderer, self.component, self.parent = renderer, call.component, parent
        self.key = call.key  # what hot reload matches it by, with its class (carry.py)
        self.props = call.props
        self.provided: dict[Any, Any] = {}
        self.rendered = False
        self.failed = False
        self.parent_tag = scoping.parent_tag  # the element around it: its fallback fits there
        self.part = HostSlot(renderer)
        if self.component._scope is not None:
            scoping.adopt_stylesheet(renderer, self.component._scope, self.component._scoped_css)
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
        self.dispose: Callable[[], None] = _nothing
        self.effect: Effect | None = None  # its render, once setup() has run
        if live_hosts is not None:
            live_hosts.add(self)
        self.skipped = self.component.client_only and prerendering()  # its place stays empty
        if call.failure is not None:
            self._fail(call.failure)
            return
        if not self.skipped:
            self.dispose = untracked(lambda: create_root(self._start))

    def _start(self, dispose: Callable[[], None]) -> Callable[[], None]:
        global _current_host  # noqa: PLW0603 - the host whose render is running, for inject()
        outer, _current_host = _current_host, self
        try:
            self.instance.setup()
        except Exception as error:  # noqa: BLE001 - this component fails alone
            self._fail(error)
            return dispose
        finally:
            _current_host = outer
        self.effect = Effect(self._render)
        return dispose

    def _render(self) -> None:
        global _current_host  # noqa: PLW0603
        outer, _current_host = _current_host, self
        instance, component = self.instance, self.component
        saved = readonly.component_name, readonly.component_class
        readonly.component_name, readonly.component_class = component.__name__, component
        place = self._enter()
        begin_batch()
        try:
            try:
                self.children_signal.value  # noqa: B018 - re-render when the children change
                render = instance.render
                result = readonly.rendering(f"{component.__name__}.render()", render)
                if type(result) is not Template:
                    check_rendered(component, render, result)
                untracked(self.part.set, result)
            except Exception as error:  # noqa: BLE001 - this component is an error boundary
                mark_failure(error, component)
                report_error(error)
                untracked(self.part.set, self._fallback(error))
        finally:
            _current_host = outer
            readonly.component_name, readonly.component_class = saved
            scoping.scope, scoping.parent_tag = place
            end_batch()
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

    def _fail(self, error: Exception) -> None:
        """Props or setup() failed: show the fallback in this slot, and never render."""
        self.failed = True
        mark_failure(error, self.component)
        place = self._enter()
        begin_batch()
        try:
            report_error(error)
            untracked(self.part.set, self._fallback(error))
        finally:
            scoping.scope, scoping.parent_tag = place
            end_batch()

    def _enter(self) -> tuple[str | None, str]:
        """Make this component's scope and place the render's; returns the outer ones. Its
        templates carry its scope attribute (not its parent's, nor a child's); its top-level
        content goes where the component stands."""
        outer = scoping.scope, scoping.parent_tag
        scoping.scope, scoping.parent_tag = self.component._scope, self.parent_tag
        return outer

    def _fallback(self, error: Exception) -> Any:
        """The component's fallback(error); the default one if that fails too."""
        try:
            return self.instance.fallback(error)
        except Exception as failure:  # noqa: BLE001 - the boundary must show something
            mark_failure(failure, self.component)
            report_error(failure)
            from framework.component.base import Component

            return Component.fallback(self.instance, error)

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
        if live_hosts is not None:
            live_hosts.discard(self)
        self.dispose()
        if not (self.failed or self.skipped):
            _safe_call(self.instance.unmounted)
        self.part.remove()


def _safe_call(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception as error:  # noqa: BLE001 - a lifecycle hook's bug must not break the page
        report_error(error)


def _nothing() -> None:
    """The disposer of a component that never started."""
