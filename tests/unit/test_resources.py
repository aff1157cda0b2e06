"""resource(): an async load as reactive state. Loads, reloads when its source changes (the load
in flight cancelled, its request aborted), never shows a stale result, keeps failures for the
error boundary, and dies with its owner.

Each test runs on its own TestLoop (virtual clock): `settle(advance=s)` runs the loads' tasks
and the effects they trigger, s virtual seconds on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from framework import (
    Component,
    MemoryDom,
    Resource,
    Scope,
    Signal,
    aio,
    computed,
    effect,
    mount,
    resource,
)
from framework.aio import HTTPError
from framework.testing import pending_tasks, settle
from tests.unit.users_api import Api


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    previous = aio.set_transport(server.transport)
    yield server
    aio.set_transport(previous)


@pytest.fixture
def owner() -> Iterator[Scope]:
    """What a component's setup runs under: the resources made in it die with it."""
    scope = Scope(detached=True)
    yield scope
    scope.dispose()


async def load_user(user_id: str) -> str:
    request = await aio.get(f"/api/users/{user_id}", format="json", raise_for_status=True)
    name: str = request.data["name"]
    return name


async def load_me() -> str:
    return await load_user("me")


def follow(loaded: Resource[Any]) -> list[Any]:
    """Every value an effect reading `loaded.value` saw, in order."""
    seen: list[Any] = []
    effect(lambda: seen.append(loaded.value))
    return seen


# -- loading -----------------------------------------------------------------------------------

KINDS: dict[str, Callable[[], Resource[Any]]] = {
    "no source": lambda: resource(load_me, initial="nobody"),
    "function": lambda: resource(load_user, source=lambda: "me", initial="nobody"),
    "signal": lambda: resource(load_user, source=Signal("me"), initial="nobody"),
    "computed": lambda: resource(load_user, source=computed(lambda: "me"), initial="nobody"),
}


@pytest.mark.parametrize("make", KINDS.values(), ids=KINDS.keys())
def test_a_resource_is_loading_then_holds_what_its_load_returned(
    api: Api, owner: Scope, make: Callable[[], Resource[Any]]
) -> None:
    api.delays["me"] = 2
    user = owner.run(make)
    assert (user.loading, user.value, user.error) == (True, "nobody", None)
    settle(advance=1)
    assert (user.loading, user.value) == (True, "nobody")
    settle(advance=1)
    assert (user.loading, user.value, user.error) == (False, "user me", None)
    assert api.asked == ["/api/users/me"]


def test_without_initial_the_value_is_none_until_loaded(api: Api, owner: Scope) -> None:
    user = owner.run(resource, load_me)
    assert user.value is None
    settle()
    assert user.value == "user me"


def test_reads_are_tracked_so_an_effect_sees_loading_then_the_value(api: Api, owner: Scope) -> None:
    user = owner.run(resource, load_me)
    states: list[tuple[bool, Any]] = []
    owner.run(effect, lambda: states.append((user.loading, user.value)))
    settle()
    assert states == [(True, None), (False, "user me")]


# -- the source changes ------------------------------------------------------------------------


def test_a_source_change_aborts_the_request_in_flight_and_loads_the_new_value(
    api: Api, owner: Scope
) -> None:
    api.delays["1"] = 5
    user_id = Signal("1")
    user = owner.run(resource, load_user, source=lambda: user_id.value)
    settle(advance=1)
    assert (api.asked, api.aborted) == (["/api/users/1"], [])
    user_id.value = "2"
    settle()
    assert api.aborted == ["/api/users/1"]  # the cancellation reached the request
    assert (user.loading, user.value) == (False, "user 2")
    settle(advance=10)  # where request 1 would have answered: nothing more happens
    assert (user.value, pending_tasks()) == ("user 2", [])


def test_two_quick_changes_abort_both_earlier_requests_and_show_only_the_last(
    api: Api, owner: Scope
) -> None:
    api.delays.update({"1": 3, "2": 2, "3": 1})
    user_id = Signal("1")
    user = owner.run(resource, load_user, source=user_id)
    seen = owner.run(follow, user)
    settle(advance=0.5)
    user_id.value = "2"
    settle(advance=0.5)
    user_id.value = "3"
    settle(advance=10)
    assert api.asked == ["/api/users/1", "/api/users/2", "/api/users/3"]
    assert api.aborted == ["/api/users/1", "/api/users/2"]
    assert seen == [None, "user 3"]


def stubborn(delays: dict[str, float]) -> Callable[[str], Any]:
    """A load that ignores being cancelled: it finishes anyway, delays[key] seconds later."""

    async def load(key: str) -> str:
        try:
            await asyncio.sleep(delays[key])
        except asyncio.CancelledError:
            await asyncio.sleep(delays[key])
        return key

    return load


@pytest.mark.parametrize(
    "older_delay",
    [1.0, 5.0],
    ids=["older finishes while the newer runs", "older finishes after the newer"],
)
def test_a_stale_result_never_overwrites_a_newer_one(owner: Scope, older_delay: float) -> None:
    key = Signal("old")
    loaded = owner.run(resource, stubborn({"old": older_delay, "new": 3.0}), source=key)
    seen = owner.run(follow, loaded)
    settle(advance=0.5)
    key.value = "new"  # "old" is cancelled at 0.5 s, swallows it, and returns at 1.5 s or 5.5 s
    settle(advance=2)
    assert (loaded.loading, loaded.value) == (True, None)  # 2.5 s: "new" is still on its way
    settle(advance=10)
    assert seen == [None, "new"]
    assert (loaded.loading, loaded.value) == (False, "new")


def test_an_equal_source_value_starts_no_new_load(api: Api, owner: Scope) -> None:
    first, last = Signal("Ada"), Signal("Lovelace")

    def initials() -> str:
        return f"{first.value[0]}{last.value[0]}".lower()

    owner.run(resource, load_user, source=initials)
    settle()
    first.value = "Alan"  # still "al": the same user
    settle()
    assert api.asked == ["/api/users/al"]


def test_a_source_of_none_loads_nothing_until_it_has_a_value(api: Api, owner: Scope) -> None:
    user_id: Signal[str | None] = Signal(None)
    user = owner.run(resource, load_user, source=user_id, initial="nobody")
    settle()
    assert (api.asked, user.loading, user.value) == ([], False, "nobody")
    user_id.value = "7"
    settle()
    assert (api.asked, user.value) == (["/api/users/7"], "user 7")


def test_a_source_set_to_none_aborts_the_load_and_keeps_the_last_value(
    api: Api, owner: Scope
) -> None:
    api.delays["2"] = 5
    user_id: Signal[str | None] = Signal("1")
    user = owner.run(resource, load_user, source=user_id)
    settle()
    user_id.value = "2"
    settle(advance=1)
    user_id.value = None
    settle(advance=10)
    assert api.aborted == ["/api/users/2"]
    assert (user.loading, user.value) == (False, "user 1")


# -- refresh -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delay", "aborted"),
    [(0.0, []), (5.0, ["/api/users/me"])],
    ids=["after the load", "during the load"],
)
def test_refresh_loads_again_aborting_a_load_in_flight(
    api: Api, owner: Scope, delay: float, aborted: list[str]
) -> None:
    api.delays["me"] = delay
    user = owner.run(resource, load_me)
    settle(advance=1)
    api.delays["me"] = 0
    user.refresh()
    assert user.loading
    settle()
    assert api.asked == ["/api/users/me", "/api/users/me"]
    assert api.aborted == aborted
    assert (user.loading, user.value) == (False, "user me")


def test_refresh_uses_the_current_source_value(api: Api, owner: Scope) -> None:
    user_id = Signal("1")
    user = owner.run(resource, load_user, source=lambda: user_id.value)
    settle()
    user_id.value = "2"
    settle()
    api.transport.requests.clear()
    user.refresh()
    settle()
    assert api.asked == ["/api/users/2"]


# -- errors ------------------------------------------------------------------------------------


def test_a_failed_load_sets_error_value_raises_it_and_refresh_recovers(
    api: Api, owner: Scope, errors: list[BaseException]
) -> None:
    api.missing.add("me")
    user = owner.run(resource, load_me, initial="nobody")
    settle()
    assert not user.loading
    assert isinstance(user.error, HTTPError)
    assert user.error.status == 404
    with pytest.raises(HTTPError) as raised:
        user.value  # noqa: B018 - the read is what is tested
    assert raised.value is user.error
    api.missing.clear()
    user.refresh()
    assert (user.loading, user.error) == (True, None)  # a new load clears the old failure
    settle()
    assert (user.loading, user.error, user.value) == (False, None, "user me")


def test_a_raised_error_points_at_the_failing_load(
    owner: Scope, errors: list[BaseException]
) -> None:
    async def broken() -> str:
        raise LookupError("no profile")

    loaded = owner.run(resource, broken)
    settle()
    for _ in range(2):  # raised again and again, its traceback does not grow
        with pytest.raises(LookupError) as raised:
            loaded.value  # noqa: B018
        frames = [entry.name for entry in raised.traceback]
        assert frames[-1] == "broken"
        assert frames.count("value") == 1


@pytest.mark.parametrize(
    "load",
    [
        pytest.param(lambda: "not awaitable", id="a plain function"),
        pytest.param(lambda: 1 / 0, id="a function raising at once"),
    ],
)
def test_a_load_that_fails_before_awaiting_fails_like_any_other(
    owner: Scope, errors: list[BaseException], load: Callable[[], Any]
) -> None:
    loaded = owner.run(resource, load)
    settle()
    assert not loaded.loading
    assert isinstance(loaded.error, TypeError | ZeroDivisionError)
    if isinstance(loaded.error, TypeError):
        assert "async def" in str(loaded.error)


def test_a_failing_source_is_the_resource_error_until_it_heals(
    api: Api, owner: Scope, errors: list[BaseException]
) -> None:
    user_id = Signal("")
    user = owner.run(resource, load_user, source=lambda: user_id.value.split("-")[1])
    assert isinstance(user.error, IndexError)
    user_id.value = "user-5"
    settle()
    assert (user.error, user.value) == (None, "user 5")


@pytest.mark.parametrize(
    ("read_by_an_effect", "reported"),
    [(False, ["gone"]), (True, [])],
    ids=["nobody reads it", "an effect reads it"],
)
def test_a_failure_nobody_reads_is_reported_so_it_is_not_lost(
    owner: Scope, errors: list[BaseException], read_by_an_effect: bool, reported: list[str]
) -> None:
    async def broken() -> str:
        raise LookupError("gone")

    loaded = owner.run(resource, broken)
    if read_by_an_effect:
        owner.run(effect, lambda: loaded.error)
    settle()
    assert [str(error) for error in errors] == reported
    assert isinstance(loaded.error, LookupError)


def test_without_a_running_loop_creating_a_resource_says_what_is_missing() -> None:
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        with pytest.raises(RuntimeError, match=r"needs a running event loop.*asyncio.run"):
            resource(load_me)
    finally:
        asyncio._set_running_loop(loop)


class Profile(Component):
    user_id: str

    def setup(self) -> None:
        self.user = resource(load_user, source=lambda: self.user_id)

    def render(self):
        if self.user.loading:
            return t"<p>loading</p>"
        return t"<p>{self.user.value}</p>"  # no check of .error: the boundary shows it

    def fallback(self, error: Exception):
        return t"<b>failed: {type(error).__name__}</b><button onclick={self.user.refresh}>retry</button>"


def texts(dom: MemoryDom, tag: str) -> list[str]:
    return [element.text_content for element in dom.container("#app").find(tag)]


def test_an_unhandled_error_reaches_the_components_error_boundary_and_heals_on_refresh(
    api: Api, errors: list[BaseException]
) -> None:
    api.missing.add("9")
    dom = MemoryDom()
    app = mount(Profile(user_id="9"), "#app", backend=dom)
    assert texts(dom, "p") == ["loading"]
    settle(dom)
    assert texts(dom, "b") == ["failed: HTTPError"]  # its fallback, given the load's error
    assert [type(error) for error in errors] == [HTTPError]  # and reported (the overlay)
    api.missing.clear()
    dom.dispatch(dom.container("#app").find("button")[0], "click")
    settle(dom)
    assert texts(dom, "p") == ["user 9"]
    assert texts(dom, "b") == []
    app.unmount()


def test_a_source_failing_in_setup_reaches_the_boundary_and_is_reported_once(
    errors: list[BaseException],
) -> None:
    class Orphan(Component):
        def setup(self) -> None:
            self.user = resource(load_user, source=lambda: {}["user id"])

        def render(self):
            return t"<p>{self.user.value}</p>"

    dom = MemoryDom()
    app = mount(Orphan(), "#app", backend=dom)
    settle(dom)
    assert [type(error) for error in errors] == [KeyError]
    assert texts(dom, "p") == []  # its fallback instead
    app.unmount()


# -- disposal ----------------------------------------------------------------------------------


def test_disposing_the_owner_aborts_the_load_and_drops_what_it_would_have_written(
    api: Api,
) -> None:
    api.delays["me"] = 5
    scope = Scope(detached=True)
    user = scope.run(resource, load_me, initial="nobody")
    settle(advance=1)
    scope.dispose()
    settle(advance=10)
    assert api.aborted == ["/api/users/me"]
    assert (user.disposed, user.value, pending_tasks()) == (True, "nobody", [])
    user.refresh()  # does nothing: a handler may still hold a disposed resource
    settle()
    assert api.asked == ["/api/users/me"]


def test_a_load_that_swallows_the_disposal_writes_nothing() -> None:
    scope = Scope(detached=True)
    loaded = scope.run(resource, stubborn({"key": 2.0}), source=lambda: "key", initial="before")
    seen = scope.run(follow, loaded)
    settle(advance=1)
    scope.dispose()
    settle(advance=10)  # the load returned "key" at 3 s
    assert (seen, loaded.value) == (["before"], "before")


def test_unmounting_a_component_aborts_its_resources_request(api: Api) -> None:
    api.delays["3"] = 5
    dom = MemoryDom()
    app = mount(Profile(user_id="3"), "#app", backend=dom)
    settle(dom, advance=1)
    app.unmount()
    settle(dom, advance=10)
    assert (api.asked, api.aborted) == (["/api/users/3"], ["/api/users/3"])
    assert pending_tasks() == []


def test_a_prop_change_reloads_with_the_new_prop(api: Api) -> None:
    api.delays["1"] = 5
    shown = Signal("1")

    class Page(Component):
        def render(self):
            return t"<main>{Profile(user_id=shown.value)}</main>"

    dom = MemoryDom()
    app = mount(Page(), "#app", backend=dom)
    settle(dom, advance=1)
    shown.value = "2"
    settle(dom)
    assert texts(dom, "p") == ["user 2"]
    assert api.aborted == ["/api/users/1"]
    app.unmount()


def test_a_resource_created_in_render_is_refused(api: Api, errors: list[BaseException]) -> None:
    class Careless(Component):
        def render(self):
            user = resource(load_me)  # a new resource, and a request, at every render
            return t"<p>{user.loading}</p>"

    dom = MemoryDom()
    app = mount(Careless(), "#app", backend=dom)
    settle(dom)
    assert [type(error).__name__ for error in errors] == ["RenderWriteError"]
    assert "tried to create a resource (create it once, in setup())" in str(errors[0])
    assert "user = resource(load_me)" in str(errors[0])  # the line to move
    assert api.asked == []
    app.unmount()
