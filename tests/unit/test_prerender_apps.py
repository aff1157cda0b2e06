"""Every component of both demo apps: what the prerender puts in the page is what the browser's
first flush renders, serialised the same way.

The prerender path (render_ahead: stand-ins for the browser, requests unanswered, ready work
run) against a plain mount() on a MemoryDom, which tests/conformance proves renders as the
browser's applier does. tests/e2e/test_prerender.py checks the whole page in Chromium.
"""

import importlib
import inspect
import sys
from pathlib import Path

import pytest

from framework import Component, MemoryDom, MemoryLocation, Router, Store, mount, redirect
from framework.cli.prerender_worker import render_ahead
from framework.environment import install_stand_ins, remove_stand_ins

APPS = Path(__file__).resolve().parents[2] / "apps"
NOT_IMPORTED = {"main", "server"}  # the entry runs the app; server.py is host code


def load_app(name):
    """The app's modules, imported as its entry would (preview.py uses pyscript at import)."""
    folder = APPS / name
    sys.path.insert(0, str(folder))
    replaced = install_stand_ins()
    try:
        names = sorted(p.stem for p in folder.glob("*.py") if p.stem not in NOT_IMPORTED)
        for module in names:
            sys.modules.pop(module, None)  # the other app's module of the same name
        return {module: importlib.import_module(module) for module in names}
    finally:
        remove_stand_ins(replaced)
        sys.path.remove(str(folder))


def components_of(modules):
    return {
        cls.__name__
        for module in modules.values()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Component) and cls.__module__ == module.__name__
    }


class FakeFile:
    def __init__(self, name, size):
        self.name, self.size, self.type = name, size, "text/plain"


def todo_calls(m):
    def router():
        routes = {"/": "all", "/active": "active", "/completed": "completed"}
        return Router(routes, fallback=redirect("/"), location=MemoryLocation("/"))

    def store(*todos):
        todo = m["model"].Todo
        return Store(
            "todos-prerender-apps",
            list[todo],
            default=lambda: [todo(id=str(n), title=t, completed=n == 1) for n, t in todos],
            area="memory",
            layout="plain",
        )

    return [
        m["app"].TodoApp(store=store(), router=router()),
        m["app"].TodoApp(store=store((1, "milk"), (2, "<b>bread</b>")), router=router()),
        m["header"].Header(),
        m["footer"].Footer(router=router(), total=2, active=1),
        m["item"].TodoItem(todo=m["model"].Todo(id="1", title="milk", completed=True)),
        m["sync_status"].SyncStatusLine(store=store()),
    ]


def upload_calls(m):
    stored = {"id": "f1", "name": "a.txt", "size": 10, "media_type": "text/plain", "created": 0.0}
    return [
        m["app"].UploadApp(),
        m["row"].UploadRow(entry=m["entry"].Entry(FakeFile("a.txt", 100), None)),
        m["row"].UploadRow(entry=m["entry"].Entry(FakeFile("b.exe", 9), "not allowed")),
        m["stored"].StoredList(files=[stored]),
        m["stored"].StoredList(files=[], loading=True),
    ]


CALLS = {"todo": todo_calls, "upload": upload_calls}


@pytest.fixture(scope="module", params=sorted(CALLS))
def app(request):
    modules = load_app(request.param)
    yield modules, CALLS[request.param](modules)
    for module in modules:
        sys.modules.pop(module, None)


def test_the_cases_cover_every_component_of_the_app(app):
    modules, calls = app
    assert {call.component.__name__ for call in calls} == components_of(modules)


def first_flush(call):
    dom = MemoryDom()
    mount(call, "#app", backend=dom)
    return "".join(child.to_html() for child in dom.container("#app").children)


# The upload page's first flush starts its requests: they are still waiting when the test ends.
@pytest.mark.filterwarnings("ignore::framework.testing.PendingTaskWarning")
def test_each_component_prerenders_as_the_first_flush_renders_it(app):
    _, calls = app
    for call in calls:

        async def start(call=call):
            mount(call, "#app")

        ahead = render_ahead(start, '<div id="app"></div>')
        assert "error" not in ahead, (call, ahead)
        assert ahead["views"]["#app"] == first_flush(call), call
