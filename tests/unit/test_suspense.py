"""Suspense: its fallback while the resources below it first load, then the whole subtree at
once; later loads show the subtree's own loading state; a failed load goes to the error
boundary of the component that reads it; unmounting cancels the loads; the prerendered view is
the browser's first render.

The loads ask a mock API on the test's virtual clock (`until`/`settle` run them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from framework import Component, MemoryDom, Signal, Suspense, aio, mount, resource
from framework.cli.prerender_worker import render_ahead
from framework.testing import Screen, User, settle, until
from framework.testkit.queries import by_role
from tests.unit.users_api import Api

# -- a small app: profiles loaded from /api/users/<id>, after delays[id] virtual seconds -------


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    previous = aio.set_transport(server.transport)
    yield server
    aio.set_transport(previous)


async def load_user(user_id: str) -> str:
    request = await aio.get(f"/api/users/{user_id}", format="json", raise_for_status=True)
    name: str = request.data["name"]
    return name


class Profile(Component):
    user_id: str

    def setup(self) -> None:
        self.user = resource(load_user, source=lambda: self.user_id)

    def render(self):
        if self.user.loading:
            return t"<p>Refreshing {self.user_id}…</p>"
        return t"""<h2>{self.user.value}</h2>
            <button onclick={self.user.refresh}>Reload {self.user_id}</button>"""


class Page(Component):
    ids: tuple[str, ...] = ("ada", "bob")

    def render(self):
        profiles = [Profile(user_id=user_id, key=user_id) for user_id in self.ids]
        return t"<main>{Suspense(*profiles, fallback=t'<p>Loading page</p>')}</main>"


def shown_names(dom: MemoryDom) -> list[str]:
    """The profile headings a user sees (the suspended subtree is display: none)."""
    headings = by_role("heading", level=2).select(dom.document)
    return [h2.text_content for h2 in headings]


def fallback_shown(dom: MemoryDom) -> bool:
    return Screen(dom).query_by_text("Loading page") is not None


# -- fallback, then the subtree together -------------------------------------------------------


def test_the_fallback_shows_until_every_resource_below_has_loaded_then_all_at_once(
    api: Api,
) -> None:
    api.delays = {"ada": 1, "bob": 3}
    dom = MemoryDom()
    mount(Page(), "#app", backend=dom)
    assert fallback_shown(dom) and shown_names(dom) == []
    settle(dom, advance=2)  # ada has loaded, bob has not: nothing of the subtree shows yet
    assert fallback_shown(dom) and shown_names(dom) == []
    settle(dom, advance=2)
    assert not fallback_shown(dom)
    assert shown_names(dom) == ["user ada", "user bob"]


def test_a_subtree_without_resources_shows_at_once() -> None:
    class Static(Component):
        def render(self):
            return t"<h2>static</h2>"

    dom = MemoryDom()
    mount(Suspense(Static(), fallback=t"<p>Loading page</p>"), "#app", backend=dom)
    assert shown_names(dom) == ["static"] and not fallback_shown(dom)


def test_a_resource_with_initial_data_does_not_hold_the_fallback(api: Api) -> None:
    class Known(Component):
        def setup(self) -> None:
            self.user = resource(load_user, source=lambda: "cy", initial="someone")

        def render(self):
            return t"<h2>{self.user.value}</h2>"

    api.delays = {"cy": 1}
    dom = MemoryDom()
    mount(Suspense(Known(), fallback=t"<p>Loading page</p>"), "#app", backend=dom)
    assert shown_names(dom) == ["someone"] and not fallback_shown(dom)
    settle(dom, advance=1)
    assert shown_names(dom) == ["user cy"]


def test_a_resource_created_when_its_parent_has_loaded_keeps_the_fallback(api: Api) -> None:
    """A waterfall inside one boundary: the team loads, then renders its lead's profile, which
    loads next; the page appears once both are there."""

    class Team(Component):
        def setup(self) -> None:
            self.lead = resource(load_user, source=lambda: "team")

        def render(self):
            if self.lead.loading:
                return t"<p>…</p>"
            return t"<h2>{self.lead.value}</h2>{Profile(user_id='lead')}"

    api.delays = {"team": 1, "lead": 1}
    dom = MemoryDom()
    mount(Suspense(Team(), fallback=t"<p>Loading page</p>"), "#app", backend=dom)
    settle(dom, advance=1.5)
    assert fallback_shown(dom) and shown_names(dom) == []
    settle(dom, advance=1)
    assert shown_names(dom) == ["user team", "user lead"] and not fallback_shown(dom)


def test_the_nearest_suspense_waits_for_a_resource_and_an_outer_one_does_not(api: Api) -> None:
    api.delays = {"ada": 1, "bob": 5}
    inner = Suspense(Profile(user_id="bob"), fallback=t"<p>Loading bob</p>")
    outer = Suspense(Profile(user_id="ada"), inner, fallback=t"<p>Loading page</p>")
    dom = MemoryDom()
    mount(outer, "#app", backend=dom)
    settle(dom, advance=1)
    screen = Screen(dom)
    assert shown_names(dom) == ["user ada"]
    assert screen.query_by_text("Loading bob") is not None
    settle(dom, advance=5)
    assert shown_names(dom) == ["user ada", "user bob"]


# -- later loads -------------------------------------------------------------------------------


def test_a_refresh_after_the_reveal_shows_the_components_own_loading_state(api: Api) -> None:
    dom = MemoryDom()
    mount(Page(), "#app", backend=dom)
    until(lambda: shown_names(dom) == ["user ada", "user bob"], dom)
    api.delays = {"ada": 2}
    screen = Screen(dom)
    User(dom).click(screen.get_by_role("button", name="Reload ada"))
    assert not fallback_shown(dom)
    assert screen.get_by_text("Refreshing ada…") is not None
    assert shown_names(dom) == ["user bob"]  # bob's profile stays on the page
    settle(dom, advance=2)
    assert shown_names(dom) == ["user ada", "user bob"]


def test_a_child_mounted_after_the_reveal_does_not_bring_the_fallback_back(api: Api) -> None:
    ids = Signal(("ada",))

    class Growing(Component):
        def render(self):
            return t"{Page(ids=ids.value)}"

    dom = MemoryDom()
    mount(Growing(), "#app", backend=dom)
    until(lambda: shown_names(dom) == ["user ada"], dom)
    api.delays = {"bob": 1}
    ids.value = ("ada", "bob")
    settle(dom)
    assert not fallback_shown(dom) and shown_names(dom) == ["user ada"]
    settle(dom, advance=1)
    assert shown_names(dom) == ["user ada", "user bob"]


# -- errors and unmounting ---------------------------------------------------------------------


def test_a_failed_load_reveals_the_subtree_and_shows_in_its_components_error_boundary(
    api: Api, errors: list[BaseException]
) -> None:
    api.missing = {"bob"}
    dom = MemoryDom()
    mount(Page(), "#app", backend=dom)
    settle(dom)
    screen = Screen(dom)
    assert not fallback_shown(dom)
    assert shown_names(dom) == ["user ada"]
    alert = screen.get_by_role("alert")
    assert alert.text_content == "Profile failed to render: HTTPError"
    assert [type(error).__name__ for error in errors] == ["HTTPError"]


def test_unmounting_a_suspended_subtree_cancels_its_loads(
    api: Api, errors: list[BaseException]
) -> None:
    api.delays = {"ada": 5, "bob": 5}
    shown = Signal(True)

    class Toggle(Component):
        def render(self):
            return t"{Page() if shown.value else t'<p>gone</p>'}"

    dom = MemoryDom()
    mount(Toggle(), "#app", backend=dom)
    settle(dom, advance=1)
    shown.value = False
    settle(dom, advance=10)
    assert sorted(api.aborted) == ["/api/users/ada", "/api/users/bob"]
    assert Screen(dom).get_by_text("gone") is not None and errors == []


# -- prerendering ------------------------------------------------------------------------------


class Instant(Component):
    """A load that needs no network: ahead of time it finishes."""

    async def load(self) -> str:
        return "known now"

    def setup(self) -> None:
        self.data = resource(self.load)

    def render(self):
        return t"<h2>{self.data.value}</h2>"


class Waiting(Component):
    """A load over HTTP: ahead of time the request is never answered."""

    def setup(self) -> None:
        self.data = resource(load_user, source=lambda: "ada")

    def render(self):
        return t"<h2>{self.data.value}</h2>"


class WithInitial(Component):
    def setup(self) -> None:
        self.data = resource(load_user, source=lambda: "ada", initial="cached name")

    def render(self):
        return t"<h2>{self.data.value}</h2>"


def boundary(child: Component) -> object:
    return Suspense(child, fallback=t"<p>Loading…</p>")


def first_flush(call: object) -> str:
    """What the browser's first render of the page shows (its loads have not run yet)."""
    dom = MemoryDom()
    mount(call, "#app", backend=dom)  # type: ignore[arg-type]
    return "".join(child.to_html() for child in dom.container("#app").children)


@pytest.mark.filterwarnings("ignore::framework.testing.PendingTaskWarning")
@pytest.mark.parametrize(
    ("make", "shows"),
    [
        (lambda: boundary(Waiting()), "<p>Loading…</p>"),
        (lambda: boundary(Instant()), "<p>Loading…</p>"),  # known ahead, not in the first render
        (lambda: boundary(WithInitial()), 'display: contents;"><h2>cached name</h2>'),
    ],
    ids=["request-pending", "load-finished-ahead", "initial"],
)
def test_the_prerendered_view_is_what_the_browsers_first_render_shows(make, shows) -> None:
    async def start() -> None:
        mount(make(), "#app")

    ahead = render_ahead(start, '<div id="app"></div>')
    assert "error" not in ahead, ahead
    view, browser = ahead["views"]["#app"], first_flush(make())
    assert shows in view and shows in browser
    # What shows is the same; inside the hidden subtree, a load that finished ahead of time
    # has its data, which the first render lacks: hydration patches it, unseen.
    hidden = re.compile(r'<div class="framework-suspense" style="display: none;">.*</div>')
    assert hidden.sub("", view) == hidden.sub("", browser)
