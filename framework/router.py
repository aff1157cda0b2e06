"""A router: a route table with parameters, the current route as a signal, redirects, guards.

    router = Router({"/": Home, "/todos/{id:int}": TodoPage}, fallback=NotFound).start()
    router = Router({"/": Home, "/book/{id:int}": Book}, mode="history").start()

A route can give its page props of its own, fixed or worked out from the URL:
`"/todos/{id:int}": page(TodoPage, props=lambda match: {"todo": find(match.params["id"])})`.
A route's component can live in a module imported on its first visit: `lazy("pages.settings")`
(framework/lazy_routes.py), as a target or inside `page(...)`.

The location is `#/path?query` (mode="hash", the default: works from any static folder) or the
URL's own path, `/path?query` (mode="history": the server must answer every route's URL with the
page, see docs/router.md). The router never touches the browser itself: it talks to a `Location`
(the browser layer registers one per mode, over `window.location`, `hashchange` or `popstate` and
link clicks; tests use `MemoryLocation`), so routing logic is testable without a browser and
back/forward are the browser's own.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args
from urllib.parse import parse_qsl, unquote

from framework.component.base import Component
from framework.component.props import PropError, _type_name, prop_specs
from framework.lazy_routes import Lazy
from framework.reactive import Signal
from framework.template.readonly import refuse_during_render

MAX_REDIRECTS = 10
Mode = Literal["hash", "history"]
MODES: tuple[Mode, ...] = get_args(Mode)


class RouterError(RuntimeError):
    """A route table or navigation that cannot work: bad pattern, redirect loop, bad guard."""


class Location(Protocol):
    """Where the current path lives: the URL's hash or path in the browser, a list in tests."""

    def read(self) -> str:
        """The current path, such as `/todos/3?tab=notes` (no `#`)."""
        ...

    def write(self, path: str, *, replace: bool) -> None:
        """Make path current: a new history entry, or replace the current one."""
        ...

    def go(self, delta: int) -> None:
        """Move in history: -1 is back, 1 is forward."""
        ...

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call callback when the path changes from outside (links, back/forward); return stop."""
        ...


class MemoryLocation:
    """A history stack in memory, for tests and for running outside a browser."""

    def __init__(self, path: str = "/") -> None:
        self.entries, self.index = [path], 0
        self._listeners: list[Callable[[], None]] = []

    def read(self) -> str:
        return self.entries[self.index]

    def write(self, path: str, *, replace: bool) -> None:
        if replace:
            self.entries[self.index] = path
            return
        del self.entries[self.index + 1 :]
        self.entries.append(path)
        self.index += 1

    def go(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.entries) and delta:
            self.index = target
            self._changed()

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def visit(self, path: str) -> None:
        """What a link click does (`<a href="#/path">`, or `<a href="/path">` in history mode):
        a new entry, then a change notification."""
        self.write(path, replace=False)
        self._changed()

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()


# The location a Router gets when given none, per mode; the browser layer registers the page's.
_location_factories: dict[str, Callable[[], Location]] = dict.fromkeys(MODES, MemoryLocation)


def set_default_location(factory: Callable[[], Location], *, mode: Mode = "hash") -> None:
    """The browser layer registers the real URL here at boot, once per mode."""
    _location_factories[_checked_mode(mode)] = factory


def _checked_mode(mode: str) -> str:
    if mode not in MODES:
        known = " or ".join(repr(m) for m in MODES)
        raise RouterError(f"Router(mode={mode!r}): the mode is {known}")
    return mode


@dataclass(frozen=True)
class Redirect:
    """A route target that sends the user elsewhere: `{"/old": redirect("/new")}`."""

    to: str


def redirect(to: str) -> Redirect:
    return Redirect(normalise(to))


@dataclass(frozen=True)
class Match:
    """The current route: what the path matched, with its parameters and query."""

    path: str
    pattern: str | None  # None: no route matched and this is the fallback
    target: Any
    params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    # The route's page(...) declaration, when it has one. Not compared: a route has one page,
    # and comparing would run `==` on the user's prop values.
    page: Page | None = field(default=None, compare=False, repr=False)

    @property
    def found(self) -> bool:
        return self.pattern is not None


# What a route's page gets as props: fixed values, or a function of the Match (params, query).
PropsFunction = Callable[[Match], Mapping[str, Any]]
RouteProps = Mapping[str, Any] | PropsFunction


@dataclass(frozen=True)
class Page:
    """A route target with props of its own; made by `page(Component, props=...)`."""

    component: type[Component] | Lazy
    props: RouteProps
    declared_at: str  # `file:line` of the page(...) call, for error messages

    def props_for(self, match: Match) -> dict[str, Any]:
        """The route's props for this match: a mapping adds to the params; a function sees the
        params and returns the props in full (so it can turn an id into the item it names)."""
        if isinstance(self.props, Mapping):
            return {**match.params, **self.props}
        try:
            props = self.props(match)
        except Exception as error:
            error.add_note(f"while computing the props of {_route_name(match)} with {self.source}")
            raise
        if not isinstance(props, Mapping):
            raise PropError(
                f"{_route_name(match)}: {self.source} returned {props!r}; return a dict of props "
                f'such as {{"id": match.params["id"]}}'
            )
        return dict(props)

    @property
    def source(self) -> str:
        """Where the props come from, for error messages: `todo_props() at app.py:20`, or
        `page() at app.py:14` for fixed props."""
        code = getattr(self.props, "__code__", None)
        if isinstance(self.props, Mapping) or code is None:
            return f"page() at {self.declared_at}"
        name = getattr(self.props, "__qualname__", "props")
        return f"{name}() at {code.co_filename}:{code.co_firstlineno}"


def page(component: type[Component] | Lazy, *, props: RouteProps) -> Page:
    """A route target whose component gets props of its own, besides the shared ones of
    `router.view(...)`: a mapping (`props={"title": "About"}`, added to the route's params)
    or a function of the Match returning them all (`props=lambda match: {...}`). The component
    may be a `lazy(...)` one."""
    is_component = isinstance(component, type) and issubclass(component, Component)
    if not (is_component or isinstance(component, Lazy)):
        raise RouterError(
            f"page({component!r}, ...): the target of page() must be a Component or a lazy(...)"
        )
    if not isinstance(props, Mapping) and not callable(props):
        name = getattr(component, "__name__", repr(component))
        raise RouterError(
            f"page({name}, props={props!r}): props must be a dict or a function "
            "of the Match returning a dict"
        )
    caller = sys._getframe(1)  # the user's line, for errors found later (at Router() or render)
    declared_at = f"{caller.f_code.co_filename}:{caller.f_lineno}"
    return Page(component, dict(props) if isinstance(props, Mapping) else props, declared_at)


Guard = Callable[[Match], "bool | str | None"]

_CONVERTERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "str": (r"[^/]+", unquote),
    "int": (r"\d+", int),
    "path": (r".*", unquote),
}
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?\}")


class _Route:
    """One compiled pattern such as `/todos/{id:int}`."""

    def __init__(self, pattern: str, target: Any) -> None:
        if not pattern.startswith("/"):
            raise RouterError(f"route {pattern!r} must start with '/', like '/{pattern}'")
        self.pattern = pattern
        self.page = target if isinstance(target, Page) else None
        self.target = target.component if isinstance(target, Page) else target
        self.converters: dict[str, Callable[[str], Any]] = {}
        self.regex = re.compile(self._compile(pattern))
        _check_props(f"route {pattern!r}", self.target, self.page, list(self.converters))

    def _compile(self, pattern: str) -> str:
        parts, last = ["^"], 0
        for found in _PARAM.finditer(pattern):
            name, kind = found.group(1), found.group(2) or "str"
            if kind not in _CONVERTERS:
                known = ", ".join(_CONVERTERS)
                raise RouterError(f"route {pattern!r}: unknown type {kind!r}; use one of {known}")
            regex, self.converters[name] = _CONVERTERS[kind]
            parts += [re.escape(pattern[last : found.start()]), f"(?P<{name}>{regex})"]
            last = found.end()
        parts += [re.escape(pattern[last:]), "$"]
        return "".join(parts)

    def match(self, path: str) -> dict[str, Any] | None:
        found = self.regex.match(path)
        if found is None:
            return None
        return {name: self.converters[name](text) for name, text in found.groupdict().items()}


def _check_props(route: str, target: Any, page: Page | None, params: list[str]) -> None:
    """Catch what the route table already shows: a parameter the page's component has no prop
    for, a fixed prop it does not declare or of the wrong type. Props from a function and from
    `router.view(...)` are checked when the page renders."""
    if not (isinstance(target, type) and issubclass(target, Component)):
        return
    fixed: Mapping[str, Any] = {}
    if page is not None:
        if not isinstance(page.props, Mapping):
            return  # a props function decides which params to pass on
        fixed = page.props
    specs, where = prop_specs(target), "" if page is None else f" ({page.declared_at})"
    for name in params:
        if name not in specs:
            raise PropError(
                f"{route}: {target.__name__} has no prop for the parameter '{name}' "
                f"(props: {', '.join(sorted(specs)) or 'none'}); declare `{name}: ...` on it, "
                "or give the route a props function"
            )
    for name, value in fixed.items():
        spec = specs.get(name)
        if spec is None and not (name.startswith("on_") and callable(value)):
            raise PropError(
                f"{route}{where}: {target.__name__}: unknown prop '{name}' "
                f"(props: {', '.join(sorted(specs)) or 'none'})"
            )
        if spec is not None and not spec.accepts(value):
            raise PropError(
                f"{route}{where}: {target.__name__}: prop '{name}' expects "
                f"{_type_name(spec.annotation)}, got {value!r} ({type(value).__name__})"
            )


def normalise(path: str) -> str:
    """`#/a`, `a`, `` and `#` become `/a`, `/a`, `/` and `/`."""
    path = path.removeprefix("#")
    return path if path.startswith("/") else "/" + path


def split_query(path: str) -> tuple[str, dict[str, str]]:
    route, _, query = path.partition("?")
    return route, dict(parse_qsl(query, keep_blank_values=True))


class Router:
    """Routes `#/path` (or `/path`, mode="history") to targets; `current` is a signal holding
    the active `Match`."""

    def __init__(
        self,
        routes: Mapping[str, Any],
        *,
        fallback: Any = None,
        guards: Iterable[Guard] = (),
        location: Location | None = None,
        mode: Mode = "hash",
    ) -> None:
        self.mode = _checked_mode(mode)
        self._routes = [_Route(pattern, target) for pattern, target in routes.items()]
        self._fallback_page = fallback if isinstance(fallback, Page) else None
        self._fallback = fallback.component if isinstance(fallback, Page) else fallback
        _check_props("the fallback", self._fallback, self._fallback_page, [])
        self._guards = list(guards)
        self._location = location if location is not None else _location_factories[mode]()
        self._stop: Callable[[], None] | None = None
        self.current: Signal[Match] = Signal(self._resolve(self._location.read()), name="route")
        self._sync_location()

    def start(self) -> Router:
        """Follow the location (links, back/forward, typed URLs) until stop()."""
        if self._stop is None:
            self._stop = self._location.listen(self._on_location_change)
        return self

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None

    @property
    def route(self) -> Match:
        """The active route; reading it in a render or computed value tracks it."""
        return self.current.value

    def navigate(self, path: str, *, replace: bool = False) -> None:
        """Go to path (a new history entry unless replace), honouring redirects and guards."""
        refuse_during_render(f"navigate to {path!r}")  # render is read-only (issue 17)
        match = self._resolve(normalise(path))
        if match.path != self._location.read():
            self._location.write(match.path, replace=replace)
        self.current.value = match

    def back(self) -> None:
        self._location.go(-1)

    def forward(self) -> None:
        self._location.go(1)

    def href(self, path: str) -> str:
        """The link for path: `href=router.href("/active")` gives `#/active`, or in history
        mode `/active` under the page's base path (`/app/active` for a page at `/app/`)."""
        if self.mode == "hash":
            return "#" + normalise(path)
        base: str = getattr(self._location, "base", "/")
        return base.rstrip("/") + normalise(path)

    def is_active(self, path: str) -> bool:
        """True when path is the current route's path (tracked, for a link's `selected` class)."""
        return split_query(self.current.value.path)[0] == split_query(normalise(path))[0]

    def view(self, **props: Any) -> Any:
        """Render the current target: a component gets the route's props (its params, or those
        of its page(...)) over the shared props given here; a callable gets the match."""
        match = self.current.value
        target = match.target
        if target is None:
            return None
        if isinstance(target, Lazy):  # its fallback until imported, then the page as below
            return target.page_class(call=lambda component: _page_call(match, props, component))
        if isinstance(target, type):
            return _page_call(match, props)
        if callable(target):
            return target(match)
        return target

    def _on_location_change(self) -> None:
        here = self._location.read()
        match = self._resolve(normalise(here))
        if match.path != here:  # redirected or blocked: the URL shows where we really are
            self._location.write(match.path, replace=True)
        self.current.value = match

    def _sync_location(self) -> None:
        """At start, a redirected or normalised first path replaces what the URL showed."""
        if self.current.peek().path != self._location.read():
            self._location.write(self.current.peek().path, replace=True)

    def _resolve(self, path: str) -> Match:
        seen: list[str] = []
        while len(seen) <= MAX_REDIRECTS:
            seen.append(path)
            match = self._match(path)
            verdict = self._guard(match)
            if isinstance(match.target, Redirect):
                path = match.target.to
            elif verdict is False:
                return self._blocked(path)
            elif isinstance(verdict, str):
                path = normalise(verdict)
            else:
                return match
        chain = " -> ".join([*seen, path])
        raise RouterError(f"redirect loop: {chain}; make one of these routes render something")

    def _match(self, path: str) -> Match:
        route_path, query = split_query(path)
        for route in self._routes:
            params = route.match(route_path)
            if params is not None:
                return Match(path, route.pattern, route.target, params, query, route.page)
        return Match(path, None, self._fallback, {}, query, self._fallback_page)

    def _guard(self, match: Match) -> bool | str | None:
        for guard in self._guards:
            verdict = guard(match)
            if verdict is False or isinstance(verdict, str):
                return verdict
            if verdict not in (True, None):
                raise RouterError(
                    f"guard {getattr(guard, '__name__', guard)!r} returned {verdict!r}; return "
                    "True or None to allow, False to block, or a path to redirect"
                )
        return None

    def _blocked(self, path: str) -> Match:
        """A guard said no: stay where we were (or show the fallback on the very first path)."""
        current: Signal[Match] | None = getattr(self, "current", None)
        if current is not None:
            return current.peek()
        return Match(path, None, self._fallback, {}, {}, self._fallback_page)


def _route_name(match: Match) -> str:
    """How error messages name a route: its pattern, or "the fallback"."""
    return "the fallback" if match.pattern is None else f"route {match.pattern!r}"


def _page_call(
    match: Match, shared: Mapping[str, Any], component: type[Component] | None = None
) -> Any:
    """Call the matched component (or the lazy route's, once imported) with its props. The
    route's own props (params, or its page's) win over the shared ones of `router.view(...)`:
    the route is the more specific."""
    own = match.params if match.page is None else match.page.props_for(match)
    try:
        call = (component or match.target)(**{**shared, **own})
    except PropError as error:  # called outside a render: the caller gets the error
        raise _in_route(match, error) from None
    failure = getattr(call, "failure", None)
    if isinstance(failure, PropError):  # inside a render the page fails alone, in its slot
        call.failure = _in_route(match, failure)
    return call


def _in_route(match: Match, error: PropError) -> PropError:
    """The component's prop error, said of the route and of where its props come from (the
    component's own note would point here, into the router, so it is left behind)."""
    source = "" if match.page is None else f" (props from {match.page.source})"
    return PropError(f"{_route_name(match)}{source}: {error}")
