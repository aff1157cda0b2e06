"""The prerendered first view: `framework build` and `framework serve` put the app's first render
in the page's containers, marked for hydration; a failure never stops a build or a page, and
says where the app's code went wrong; results are cached on disk."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from framework.cli import prerender
from framework.cli.app import find_app
from framework.cli.build import build
from framework.cli.page import render_page, with_view
from framework.cli.prerender import View
from framework.cli.server import create_app

ROOT = Path(__file__).resolve().parents[2]
MARKED = re.compile(r'<(\w+) id="app" data-framework-view="prerendered">')
HTML = {"accept": "text/html"}

COUNTER = """\
from framework import Component, Signal, mount, head


class Counter(Component):
    def setup(self):
        self.count = Signal(0)
        head(title="Counter")

    def render(self):
        return t"<button onclick={{self.add}}>{{self.count.value}} clicks</button>"

    def add(self):
        self.count.value += 1


{extra}
mount(Counter(), "#app")
"""


def make_app(folder: Path, main: str, config: str = "") -> Path:
    folder.mkdir()
    (folder / "main.py").write_text(main)
    (folder / "pyscript.toml").write_text(config)
    return folder


def built_index(app: Path, output: Path) -> str:
    build(find_app(str(app)), output)
    return (output / "index.html").read_text()


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        ("todo", '<input class="new-todo" placeholder="What needs to be done?" autofocus>'),
        ("upload", '<p class="stored-empty">Loading the list…</p>'),
    ],
)
def test_build_puts_the_demo_apps_first_view_in_the_page(
    tmp_path: Path, app: str, expected: str
) -> None:
    index = built_index(ROOT / "apps" / app, tmp_path / "out")
    assert MARKED.search(index)
    container = index[MARKED.search(index).end() :]  # type: ignore[union-attr]
    assert expected in container.split("</body>")[0]
    # A deep link's page (history mode) must not show the home view.
    assert not MARKED.search((tmp_path / "out" / "404.html").read_text())


@pytest.mark.parametrize(
    ("extra", "where", "said"),
    [
        (
            "class Broken(Component):\n    def setup(self):\n        raise KeyError('oops')\n\n"
            "mount(Broken(), '#app')\n",
            "main.py:18: ",
            "KeyError: 'oops'",
        ),
        (
            "from pyscript import document\ndocument.querySelector('#app').focus()\n",
            "main.py:17: ",
            "`pyscript.document.querySelector(...)` was used while prerendering",
        ),
    ],
)
def test_a_broken_app_has_no_view_and_the_warning_says_where_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, where: str, said: str
) -> None:
    app = make_app(tmp_path / "broken", COUNTER.format(extra=extra))
    assert prerender.view_or_warn(find_app(str(app))) is None
    warning = capsys.readouterr().err
    assert f"{app / 'main.py'}:" in warning  # clickable, wherever the app is
    assert where in warning and said in warning
    assert "prerender = false" in warning  # and how to stop trying


def test_a_broken_app_builds_as_it_did_without_prerendering(tmp_path: Path) -> None:
    extra = "from pyscript import document\ndocument.querySelector('#app').focus()\n"
    app = make_app(tmp_path / "broken", COUNTER.format(extra=extra))
    index = built_index(app, tmp_path / "out")
    assert not MARKED.search(index)
    assert '<div id="app"></div>' in index


def test_the_view_and_the_title_fill_a_generated_page_and_the_cache_serves_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = find_app(str(make_app(tmp_path / "counter", COUNTER.format(extra=""))))
    index = render_page(app, live_reload=False, view=prerender.view_or_warn(app))
    assert (
        '<div id="app" data-framework-view="prerendered"><button>0 clicks</button></div>' in index
    )
    assert "<title>Counter</title>" in index

    def no_node(app: object) -> None:
        raise AssertionError("Node started again for a cached view")

    monkeypatch.setattr(prerender, "_run_node", no_node)
    assert render_page(app, live_reload=False, view=prerender.view_or_warn(app)) == index


def test_an_app_reading_its_persistent_folder_at_start_prerenders_as_a_first_visit(
    tmp_path: Path,
) -> None:
    """The folder is there, empty: the view everyone gets before their own data is loaded."""
    main = (
        "import sqlite3\n"
        "from framework import mount\n"
        "db = sqlite3.connect('/data/notes.db')\n"
        "db.execute('create table if not exists notes (body text)')\n"
        "count = db.execute('select count(*) from notes').fetchone()[0]\n"
        'mount(t"<p>{count} notes</p>", "#app")\n'
    )
    config = '[framework]\npersist = ["/data"]\n'
    app = find_app(str(make_app(tmp_path / "notes", main, config)))
    view = prerender.view_or_warn(app)
    assert view is not None
    assert view.views == {"#app": "<p>0 notes</p>"}


def test_prerender_false_turns_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path / "off", COUNTER.format(extra=""), "[framework]\nprerender = false\n")
    monkeypatch.setattr(prerender, "_run_node", lambda app: pytest.fail("prerendered"))
    assert prerender.view_or_warn(find_app(str(app))) is None


def test_serve_never_waits_for_the_view_and_serves_it_once_ready(tmp_path: Path) -> None:
    app = make_app(tmp_path / "served", COUNTER.format(extra=""))
    with TestClient(create_app(str(app), cwd=tmp_path, live_reload=False)) as client:
        deadline = time.monotonic() + 60
        while not MARKED.search(page := client.get("/").text) and time.monotonic() < deadline:
            time.sleep(0.2)  # the page is served at once meanwhile, without the view
        assert "<button>0 clicks</button>" in page
        route = client.get("/some/route", headers=HTML).text  # history mode's page
        assert '<div id="app"></div>' in route


def test_an_app_that_mounts_nothing_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path / "script", "from pyscript import document\ndocument.title = 'x'\n")
    monkeypatch.setattr(prerender, "_run_node", lambda app: pytest.fail("prerendered"))
    assert prerender.prerender(find_app(str(app))) == View({})


OWN_PAGE = """\
<!doctype html>
<html><head><title>Mine</title></head>
<body>
<nav>top</nav>
<div id="app" class="shell"><div>loading <div>…</div></div></div>
<div id="later"/>
<footer>end</footer>
</body></html>
"""


def test_a_container_of_the_apps_own_page_holds_the_view_instead_of_what_it_held() -> None:
    view = View({"#app": "<p>new</p>", "#later": "<p>x</p>", ".box": "<p>y</p>"}, "A & B")
    page = with_view(OWN_PAGE, view)
    assert '<div id="app" class="shell" data-framework-view="prerendered"><p>new</p></div>' in page
    assert '<div id="later"/>' in page  # not closed in HTML: left as it is
    assert "<title>A &amp; B</title>" in page
    assert "<nav>top</nav>" in page and "<footer>end</footer>" in page
