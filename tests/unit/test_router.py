"""The hash router over an in-memory location: matching, params, redirects, guards, history,
and the props each route gives its page."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pytest

from framework import Component, MemoryDom, PropError, Signal, effect, flush, mount
from framework.errors import set_error_reporter
from framework.router import Match, MemoryLocation, Router, RouterError, page, redirect


def make(path: str = "/", routes: dict[str, Any] | None = None, **options: Any) -> Router:
    table = routes if routes is not None else {"/": "all", "/active": "active"}
    return Router(table, location=MemoryLocation(path), **options).start()


@pytest.mark.parametrize(
    ("pattern", "path", "params"),
    [
        ("/", "/", {}),
        ("/todos/{id}", "/todos/abc", {"id": "abc"}),
        ("/todos/{id:int}", "/todos/42", {"id": 42}),
        ("/users/{name}/posts/{n:int}", "/users/ada/posts/7", {"name": "ada", "n": 7}),
        ("/files/{rest:path}", "/files/a/b/c.txt", {"rest": "a/b/c.txt"}),
        ("/todos/{id}", "/todos/caf%C3%A9", {"id": "café"}),
    ],
)
def test_patterns_capture_typed_params(pattern: str, path: str, params: dict[str, Any]) -> None:
    router = make(path, {pattern: "target"})
    assert router.route.pattern == pattern
    assert router.route.params == params


@pytest.mark.parametrize(
    ("pattern", "path"),
    [("/todos/{id:int}", "/todos/abc"), ("/todos/{id}", "/todos/a/b"), ("/active", "/actives")],
)
def test_a_path_that_does_not_match_goes_to_the_fallback(pattern: str, path: str) -> None:
    router = make(path, {pattern: "target"}, fallback="not found")
    assert router.route.found is False
    assert router.route.target == "not found"
    assert router.route.path == path


@pytest.mark.parametrize(("raw", "path"), [("", "/"), ("#", "/"), ("#/active", "/active")])
def test_navigate_normalises_paths(raw: str, path: str) -> None:
    router = make("/active")
    router.navigate(raw)
    assert router.route.path == path


def test_query_string_is_parsed_apart_from_the_path() -> None:
    router = make("/active?sort=title&q=")
    assert router.route.pattern == "/active"
    assert router.route.query == {"sort": "title", "q": ""}


def test_navigate_adds_history_and_back_forward_follow_it() -> None:
    location = MemoryLocation("/")
    router = Router({"/": "all", "/active": "active"}, location=location).start()
    router.navigate("/active")
    assert location.entries == ["/", "/active"]
    router.back()
    assert router.route.target == "all"
    router.forward()
    assert router.route.target == "active"


def test_navigate_with_replace_does_not_add_history() -> None:
    location = MemoryLocation("/")
    router = Router({"/": "all", "/active": "active"}, location=location).start()
    router.navigate("/active", replace=True)
    assert location.entries == ["/active"]


def test_a_link_click_updates_the_route_signal() -> None:
    location = MemoryLocation("/")
    router = Router({"/": "all", "/active": "active"}, location=location).start()
    seen: list[str] = []
    effect(lambda: seen.append(router.route.target))
    location.visit("/active")
    flush()
    assert seen == ["all", "active"]


def test_same_route_again_does_not_notify() -> None:
    location = MemoryLocation("/active")
    router = Router({"/": "all", "/active": "active"}, location=location).start()
    seen: list[str] = []
    effect(lambda: seen.append(router.route.path))
    router.navigate("/active")
    flush()
    assert seen == ["/active"]


def test_stopped_router_ignores_the_location() -> None:
    location = MemoryLocation("/")
    router = Router({"/": "all", "/active": "active"}, location=location).start()
    router.stop()
    location.visit("/active")
    assert router.route.target == "all"


def test_redirect_rewrites_the_url_without_a_history_entry() -> None:
    location = MemoryLocation("/old")
    router = Router({"/old": redirect("/new"), "/new": "new"}, location=location).start()
    assert router.route.target == "new"
    assert location.entries == ["/new"]


def test_fallback_can_redirect_unknown_paths() -> None:
    location = MemoryLocation("/")
    router = Router({"/": "home"}, fallback=redirect("/"), location=location).start()
    location.visit("/nowhere")
    assert router.route.path == "/"
    assert location.read() == "/"


def test_redirect_loop_is_a_clear_error() -> None:
    with pytest.raises(RouterError, match="redirect loop: /a -> /b -> /a"):
        make("/a", {"/a": redirect("/b"), "/b": redirect("/a")})


def test_guard_can_redirect() -> None:
    def login_first(match: Match) -> str | None:
        return "/login" if match.path.startswith("/admin") else None

    router = make("/", {"/": "home", "/admin": "admin", "/login": "login"}, guards=[login_first])
    router.navigate("/admin")
    assert router.route.target == "login"


def test_guard_can_block_and_the_url_goes_back() -> None:
    location = MemoryLocation("/")
    routes = {"/": "home", "/locked": "locked"}
    router = Router(routes, guards=[lambda m: m.path != "/locked"], location=location).start()
    location.visit("/locked")
    assert router.route.target == "home"
    assert location.read() == "/"


def test_guard_with_a_wrong_answer_is_a_clear_error() -> None:
    with pytest.raises(RouterError, match="return True or None to allow"):
        make("/", guards=[lambda m: 42])


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("active", "must start with '/'"), ("/x/{id:uuid}", "unknown type 'uuid'")],
)
def test_bad_route_table_is_a_clear_error(pattern: str, message: str) -> None:
    with pytest.raises(RouterError, match=message):
        make("/", {pattern: "x"})


@pytest.mark.parametrize(("path", "active"), [("/", True), ("/active", False)])
def test_is_active_compares_paths_without_query(path: str, active: bool) -> None:
    router = make("/?x=1")
    assert router.is_active(path) is active


def test_href_is_a_hash_link() -> None:
    assert make().href("/active") == "#/active"


class TodoPage(Component):
    id: int
    tab: str = "main"

    def render(self):
        return t"<p>todo {self.id} on {self.tab}</p>"


class Shell(Component):
    router: Router

    def render(self):
        return t"<main>{self.router.view(tab='notes')}</main>"


def test_view_renders_the_routed_component_with_params_as_props() -> None:
    location = MemoryLocation("/todos/3")
    router = Router({"/todos/{id:int}": TodoPage}, fallback=None, location=location).start()
    dom = MemoryDom()
    mounted = mount(Shell(router=router), "#app", backend=dom)
    assert (
        dom.container("#app").to_html() == '<div id="app"><main><p>todo 3 on notes</p></main></div>'
    )
    location.visit("/todos/4")
    mounted.flush()
    assert dom.container("#app").find("p")[0].text_content == "todo 4 on notes"
    location.visit("/elsewhere")
    mounted.flush()
    assert dom.container("#app").find("p") == []


def test_view_calls_a_plain_callable_with_the_match() -> None:
    router = make("/todos/9", {"/todos/{id:int}": lambda match: f"todo {match.params['id']}"})
    assert router.view() == "todo 9"


# -- props of a route's own ---------------------------------------------------------------------


class Article(Component):
    title: str
    page: int = 1
    theme: str = "light"
    setups = 0  # how many instances were set up: a kept page is fed new props, not rebuilt

    def setup(self):
        Article.setups += 1

    def render(self):
        return t"<p>{self.title}, page {self.page}, {self.theme}</p>"


TITLES = {1: "Intro", 2: "Usage"}


def article_props(match: Match) -> Mapping[str, Any]:
    """Props derived from the params and the query: an id becomes the title it names."""
    return {"title": TITLES[match.params["id"]], "page": int(match.query.get("page", "1"))}


class Layout(Component):
    router: Router
    shared: dict[str, Any] = {}  # noqa: RUF012 - a prop default, never mutated

    def render(self):
        return t"<main>{self.router.view(**self.shared)}</main>"


class Shown:
    """A layout around the router's view, mounted: its DOM and the location to drive it."""

    def __init__(self, routes: dict[str, Any], path: str, **shared: Any) -> None:
        self.location, self.dom = MemoryLocation(path), MemoryDom()
        router = Router(routes, location=self.location).start()
        self.app = mount(Layout(router=router, shared=shared), "#app", backend=self.dom)

    @property
    def text(self) -> str:
        self.app.flush()
        return self.dom.container("#app").text_content


@pytest.mark.parametrize(
    ("pattern", "target", "path", "text"),
    [
        ("/about", page(Article, props={"title": "About"}), "/about", "About, page 1, light"),
        ("/about", page(Article, props={"title": "A", "page": 2}), "/about", "A, page 2, light"),
        ("/n/{page:int}", page(Article, props={"title": "N"}), "/n/3", "N, page 3, light"),
        ("/a/{id:int}", page(Article, props=article_props), "/a/2", "Usage, page 1, light"),
        ("/a/{id:int}", page(Article, props=article_props), "/a/1?page=4", "Intro, page 4, light"),
        (
            "/s",
            page(Article, props=lambda m: {"title": m.query["q"]}),
            "/s?q=py",
            "py, page 1, light",
        ),
    ],
    ids=["static", "static-two", "static-and-params", "from-params", "from-query", "lambda"],
)
def test_a_route_gives_its_page_props_of_its_own(
    pattern: str, target: Any, path: str, text: str
) -> None:
    assert Shown({pattern: target}, path).text == text


@pytest.mark.parametrize(
    ("routes", "path", "shared", "text"),
    [
        ({"/a": page(Article, props={"title": "A"})}, "/a", {"theme": "dark"}, "A, page 1, dark"),
        ({"/a": page(Article, props={"title": "A"})}, "/a", {"title": "X"}, "A, page 1, light"),
        (
            {"/a/{page:int}": page(Article, props={"title": "A"})},
            "/a/5",
            {"page": 9},
            "A, page 5, light",
        ),
        (
            {"/a/{id:int}": page(Article, props=article_props)},
            "/a/1",
            {"page": 9},
            "Intro, page 1, light",
        ),
        ({"/{title}": Article}, "/Plain", {"title": "X", "theme": "dark"}, "Plain, page 1, dark"),
    ],
    ids=["shared-fills-in", "route-prop-wins", "param-wins", "function-wins", "no-page"],
)
def test_the_routes_props_win_over_the_shared_props_of_view(
    routes: dict[str, Any], path: str, shared: dict[str, Any], text: str
) -> None:
    assert Shown(routes, path, **shared).text == text


@pytest.mark.parametrize(
    ("first", "then", "text"),
    [
        ("/articles/1", "/articles/2", "Usage, page 1, light"),
        ("/articles/1?page=1", "/articles/1?page=3", "Intro, page 3, light"),
    ],
    ids=["params", "query"],
)
def test_the_same_route_with_other_params_updates_the_page(
    first: str, then: str, text: str
) -> None:
    shown = Shown({"/articles/{id:int}": page(Article, props=article_props)}, first)
    setups = Article.setups
    shown.location.visit(then)
    assert shown.text == text
    assert Article.setups == setups, "the page was kept and fed new props, not rebuilt"


def test_a_props_function_that_reads_a_signal_updates_the_page() -> None:
    theme = Signal("light")
    target = page(Article, props=lambda m: {"title": "T", "theme": theme.value})
    shown = Shown({"/": target}, "/")
    theme.value = "dark"
    assert shown.text == "T, page 1, dark"


def test_the_fallback_can_have_props_too() -> None:
    location = MemoryLocation("/nowhere")
    fallback = page(Article, props=lambda m: {"title": f"No {m.path}"})
    router = Router({"/": "home"}, fallback=fallback, location=location).start()
    assert router.route.target is Article
    dom = MemoryDom()
    mount(Layout(router=router), "#app", backend=dom)
    assert dom.container("#app").text_content == "No /nowhere, page 1, light"


def here() -> str:
    """`file:line` of the caller's line, as route errors name it."""
    caller = sys._getframe(1)
    return f"{caller.f_code.co_filename}:{caller.f_lineno}"


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"title": 3}, "route '/a' ({at}): Article: prop 'title' expects str, got 3 (int)"),
        ({"title": "A", "tilte": "B"}, "route '/a' ({at}): Article: unknown prop 'tilte'"),
        (
            {"title": "A", "page": "2"},
            "route '/a' ({at}): Article: prop 'page' expects int, got '2'",
        ),
    ],
    ids=["wrong-type", "unknown", "wrong-type-second"],
)
def test_fixed_props_are_checked_when_the_route_table_is_built(
    props: dict[str, Any], message: str
) -> None:
    target, at = page(Article, props=props), here()
    with pytest.raises(PropError) as raised:
        Router({"/a": target}, location=MemoryLocation("/"))
    assert message.format(at=at) in str(raised.value)


def test_a_parameter_the_page_cannot_take_is_an_error_at_once() -> None:
    with pytest.raises(
        PropError, match=r"route '/x/\{slug\}': Article has no prop for the parameter 'slug'"
    ):
        Router({"/x/{slug}": Article}, location=MemoryLocation("/"))


def wrong_title(match: Match) -> Mapping[str, Any]:
    return {"title": match.params["id"]}


def not_a_dict(match: Match) -> Any:
    return [("title", "A")]


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            wrong_title,
            "route '/a/{{id:int}}' (props from wrong_title() at {at}): "
            "Article: prop 'title' expects str, got 7 (int)",
        ),
        (
            lambda m: {"page": 2},
            "route '/a/{{id:int}}' (props from <lambda>() at {at}): "
            "Article: missing required prop 'title'",
        ),
        (
            not_a_dict,
            "route '/a/{{id:int}}': not_a_dict() at {at} returned [('title', 'A')]; "
            "return a dict of props",
        ),
    ],
    ids=["wrong-type", "missing", "not-a-dict"],
)
def test_props_from_a_function_are_checked_when_the_page_renders(props: Any, message: str) -> None:
    code = props.__code__
    router = make("/a/7", {"/a/{id:int}": page(Article, props=props)})
    with pytest.raises(PropError) as raised:
        router.view()
    assert message.format(at=f"{code.co_filename}:{code.co_firstlineno}") in str(raised.value)


def test_a_props_function_that_raises_is_named_in_a_note() -> None:
    router = make("/a/9", {"/a/{id:int}": page(Article, props=article_props)})
    with pytest.raises(KeyError) as raised:
        router.view()
    assert any(
        "props of route '/a/{id:int}' with article_props()" in n for n in raised.value.__notes__
    )


def test_a_wrong_prop_in_a_mounted_page_is_reported_once_naming_the_route() -> None:
    errors: list[BaseException] = []
    previous = set_error_reporter(errors.append)
    try:
        shown = Shown({"/a/{id:int}": page(Article, props=wrong_title)}, "/a/7")
    finally:
        set_error_reporter(previous)
    assert [type(error) for error in errors] == [PropError]
    assert str(errors[0]).startswith("route '/a/{id:int}' (props from wrong_title() at ")
    assert "7, page 1" not in shown.text
    assert shown.dom.container("#app").find("main"), "the page failed alone, the layout stayed"


@pytest.mark.parametrize(
    ("target", "props", "message"),
    [
        ("home", {"a": 1}, "the target of page\\(\\) must be a Component"),
        (Article, 42, "props must be a dict or a function of the Match"),
    ],
)
def test_page_needs_a_component_and_props(target: Any, props: Any, message: str) -> None:
    with pytest.raises(RouterError, match=message):
        page(target, props=props)


# -- history mode ------------------------------------------------------------------------------


class BasedLocation(MemoryLocation):
    """A memory history under a base path, as the page's HistoryLocation has one."""

    base = "/app/"


@pytest.mark.parametrize(
    ("mode", "location", "path", "href"),
    [
        ("hash", MemoryLocation("/"), "/book/7", "#/book/7"),
        ("history", MemoryLocation("/"), "/book/7", "/book/7"),
        ("history", MemoryLocation("/"), "book/7?tab=notes", "/book/7?tab=notes"),
        ("history", BasedLocation("/"), "/book/7", "/app/book/7"),
        ("history", BasedLocation("/"), "/", "/app/"),
    ],
)
def test_href_follows_the_mode_and_the_base(
    mode: Any, location: MemoryLocation, path: str, href: str
) -> None:
    router = Router({"/": "home"}, location=location, mode=mode)
    assert router.href(path) == href


def test_history_mode_deep_link_back_and_forward() -> None:
    location = MemoryLocation("/book/7")
    routes = {"/": "home", "/book/{id:int}": "book"}
    router = Router(routes, location=location, mode="history").start()
    assert (router.route.target, router.route.params) == ("book", {"id": 7})
    location.visit("/")  # a link click
    router.navigate("/book/8")
    assert location.entries == ["/book/7", "/", "/book/8"]
    router.back()
    assert router.route.target == "home"
    router.back()
    assert router.route.params == {"id": 7}
    router.forward()
    router.forward()
    assert router.route.params == {"id": 8}


def test_each_mode_has_its_own_default_location() -> None:
    from framework import router as router_module

    made: list[str] = []

    def factory(mode: str) -> Any:
        return lambda: made.append(mode) or MemoryLocation("/" + mode)

    saved = dict(router_module._location_factories)
    try:
        router_module.set_default_location(factory("hash"))
        router_module.set_default_location(factory("history"), mode="history")
        assert Router({"/{name}": "x"}, mode="history").route.params == {"name": "history"}
        assert Router({"/{name}": "x"}).route.params == {"name": "hash"}
    finally:
        router_module._location_factories.update(saved)
    assert made == ["history", "hash"]


def test_an_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(
        RouterError, match="Router\\(mode='path'\\): the mode is 'hash' or 'history'"
    ):
        Router({"/": "home"}, location=MemoryLocation("/"), mode="path")  # type: ignore[arg-type]
