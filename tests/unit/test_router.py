"""The hash router over an in-memory location: matching, params, redirects, guards, history."""

from __future__ import annotations

from typing import Any

import pytest

from framework import Component, MemoryDom, effect, flush, mount
from framework.router import Match, MemoryLocation, Router, RouterError, redirect


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
