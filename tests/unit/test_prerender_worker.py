"""The prerender's environment, inside Pyodide: the app's first render as a first visit sees
it (storage empty, at `/`, requests unanswered, timers not yet due), serialised per mounted
container; any error means no view, located at the app's own line."""

import asyncio
from pathlib import Path

import pytest

from framework import Component, Router, Signal, Store, aio, head, mount, prerendering
from framework.aio.transport import get_transport
from framework.cli.prerender_worker import page_body, prerender, render_ahead
from framework.component import mounting

PAGE = '<div id="app"></div>'


def mounting_app(call, selector="#app"):
    async def start():
        mount(call, selector)

    return start


class Books(Component):
    def setup(self):
        self.loading = Signal(True)
        self.titles = Signal([])

    def mounted(self):
        aio.run(self.load())

    async def load(self):
        try:
            response = await aio.get("/api/books")
            self.titles.value = response.json()
        finally:
            self.loading.value = False

    def render(self):
        if self.loading.value:
            return t"<p class=loading>Loading…</p>"
        return t"<ul>{[t'<li>{title}</li>' for title in self.titles.value]}</ul>"


def test_a_request_stays_unanswered_so_the_loading_state_is_the_view():
    assert render_ahead(mounting_app(Books()), PAGE) == {
        "views": {"#app": '<p class="loading">Loading…</p>'},
        "title": None,
        "styles": {},
    }


class Later(Component):
    def setup(self):
        self.text = Signal("soon")
        aio.run(self.wait())

    async def wait(self):
        await asyncio.sleep(0)  # ready work runs
        self.text.value = "started"
        await asyncio.sleep(1)  # a timer does not: the clock does not move
        self.text.value = "a second later"

    def render(self):
        return t"<p>{self.text.value}</p>"


def test_ready_work_runs_and_timers_do_not():
    assert render_ahead(mounting_app(Later()), PAGE)["views"] == {"#app": "<p>started</p>"}


class Todos(Component):
    def setup(self):
        self.store = Store("todos-prerender-test", list[str], default=lambda: ["first"])
        self.router = Router({"/": "all", "/done": "done"}, mode="history")
        head(title="Todos")

    def render(self):
        route = self.router.route.path
        return t"<p data-route={route}>{len(self.store.value)} {str(prerendering())}</p>"


def test_stores_show_their_defaults_the_router_is_at_home_and_the_title_is_kept():
    result = render_ahead(mounting_app(Todos()), PAGE)
    assert result["views"] == {"#app": '<p data-route="/">1 True</p>'}
    assert result["title"] == "Todos"


def test_the_page_body_is_the_document_and_each_mounted_container_is_a_view():
    async def start():
        mount(t"<b>one</b>", "#top")
        mount(t"<i>two</i>", "#side")

    body = '<header id="top">old</header><aside id="side"></aside>'
    assert render_ahead(start, body)["views"] == {
        "#top": "old<b>one</b>",  # what it held stays before, as mount() appends
        "#side": "<i>two</i>",
    }


class Broken(Component):
    def render(self):
        raise ValueError("no todos yet")


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (mounting_app(Broken()), "ValueError"),
        (mounting_app(t"<p>hi</p>", "#missing"), "LookupError"),
    ],
)
def test_an_error_means_no_view(start, expected):
    result = render_ahead(start, PAGE)
    assert list(result) == ["error"]
    assert result["error"]["type"] == expected


def test_an_entry_using_the_browser_at_import_fails_at_its_line(tmp_path):
    entry = tmp_path / "main.py"
    entry.write_text(
        "from pyscript import document\n\nfrom framework import mount\n\n"
        'mount(t"<p>hi</p>", "#app")\ndocument.querySelector(".new").focus()\n'
    )
    error = prerender(str(tmp_path), str(entry), PAGE)["error"]
    assert (error["file"], error["line"]) == ("main.py", 6)  # where the app is, wherever it is
    assert error["type"] == "BrowserOnlyError"
    assert "pyscript.document.querySelector" in error["message"]


def test_the_environment_is_put_back_afterwards():
    backend = mounting._default_backend
    render_ahead(mounting_app(Books()), PAGE)
    assert mounting._default_backend is backend
    assert not prerendering()
    with pytest.raises(RuntimeError, match="transport"):
        get_transport()


def test_page_body_parses_the_pages_own_body():
    body = page_body('<main id="app" class="x"></main>\n<footer>f</footer>')
    assert body.to_html() == '<body><main id="app" class="x"></main>\n<footer>f</footer></body>'


def docs_example():
    """The example of docs/instant-start.md's "Prerendered first view" section."""
    guide = Path(__file__).resolve().parents[2] / "docs" / "instant-start.md"
    section = guide.read_text().split("## Prerendered first view")[1].split("\n## ")[0]
    return section.split("```python\n")[1].split("```")[0]


def test_the_guides_example_prerenders_as_the_guide_says(tmp_path):
    entry = tmp_path / "main.py"
    entry.write_text(docs_example())
    view = prerender(str(tmp_path), str(entry), PAGE)["views"]["#app"]
    assert view == '<main><input id="name" autofocus> </main>'
