"""Render is read-only: a write, an emit or a navigation while a component renders is an error
naming the component, the user's line and the fix, and nothing of it is applied."""

import json

import pytest
from pydantic import BaseModel

from framework import Component, MemoryDom, MemoryLocation, Router, Signal, Store, each, mount
from framework.storage import MemoryStorage
from framework.template.readonly import RenderWriteError, called_handler_hint
from tests.unit.render_support import app_html, click


class Item(BaseModel):
    id: int
    title: str


FIVE = [Item(id=n, title=f"item {n}") for n in range(1, 6)]


@pytest.fixture
def disk():
    storage = MemoryStorage(persistent=True)
    storage.set_item("items", json.dumps([item.model_dump() for item in FIVE]))
    return storage


def stored_ids(disk):
    return [item["id"] for item in json.loads(disk.get_item("items"))]


def mount_list(store, row_class):
    class List(Component):
        def remove(self, item_id):
            store.value = [item for item in store.value if item.id != item_id]

        def render(self):
            rows = [
                row_class(item=item, on_removed=self.remove, key=item.id) for item in store.value
            ]
            return t"<ul>{rows}</ul><p>{len(store.value)} items</p>"

    dom = MemoryDom()
    return dom, mount(List(), "#app", backend=dom)


class CalledHandlerRow(Component):
    item: Item

    def remove(self):
        self.emit("removed", self.item.id)

    def render(self):
        return t"<li>{self.item.title}<button onclick={self.remove()}>x</button></li>"


def test_a_called_handler_that_emits_to_a_store_writer_changes_nothing(errors, disk):
    store = Store("items", list[Item], default=list, backend=disk, layout="plain")
    dom, mounted = mount_list(store, CalledHandlerRow)
    mounted.flush()
    assert [item.id for item in store.value] == [1, 2, 3, 4, 5]
    assert stored_ids(disk) == [1, 2, 3, 4, 5]
    assert "<p>5 items</p>" in app_html(dom)
    assert len(errors) == 1, "five rows, one report"
    message = str(errors[0])
    assert isinstance(errors[0], RenderWriteError)
    assert message.startswith("CalledHandlerRow.render() tried to emit 'removed' to its parent")
    assert "nothing was changed" in message
    assert "test_template_readonly.py:" in message
    assert "write onclick={self.remove}, not onclick={self.remove()}" in message
    assert "happened 5 times" in "".join(errors[0].__notes__)


class WritingRow(Component):
    item: Item
    store: object

    def remove(self):
        self.store.value = []

    def render(self):
        return t"<li><button onclick={self.remove()}>{self.item.title}</button></li>"


def test_a_store_write_while_rendering_is_refused_and_not_persisted(errors, disk):
    store = Store("items", list[Item], default=list, backend=disk, layout="plain")

    class List(Component):
        def render(self):
            return t"<ul>{[WritingRow(item=i, store=store, key=i.id) for i in store.value]}</ul>"

    dom = MemoryDom()
    mount(List(), "#app", backend=dom).flush()
    assert len(store.value) == 5
    assert stored_ids(disk) == [1, 2, 3, 4, 5]
    message = str(errors[0])
    assert "WritingRow.render() tried to write store 'items' while rendering" in message
    assert "self.store.value = []" in message  # the write, with its line
    assert "onclick={self.item.title}" not in message
    assert "write onclick={self.remove}" in message


def test_a_signal_write_in_render_is_refused_and_the_component_shows_its_fallback(errors):
    count = Signal(0, name="count")

    class Greedy(Component):
        def render(self):
            count.value += 1
            return t"<p>{count.value}</p>"

    dom = MemoryDom()
    mount(Greedy(), "#app", backend=dom)
    assert count.value == 0
    assert "Greedy failed to render: RenderWriteError" in app_html(dom)
    assert "Greedy.render() tried to write count" in str(errors[0])
    assert "Change state in an event handler" in str(errors[0])


def test_navigating_while_rendering_is_refused(errors):
    location = MemoryLocation("/")
    router = Router({"/": "home", "/done": "done"}, location=location).start()

    class Jumpy(Component):
        def render(self):
            router.navigate("/done")
            return t"<p>{router.route.path}</p>"

    mount(Jumpy(), "#app", backend=MemoryDom())
    assert location.read() == "/"
    assert "Jumpy.render() tried to navigate to '/done'" in str(errors[0])


def test_an_each_row_is_read_only_too(errors):
    picked = Signal(0, name="picked")

    class Table(Component):
        def pick(self, n):
            picked.value = n

        def row(self, n):
            return t"<tr onclick={self.pick(n)}><td>{n}</td></tr>"

        def render(self):
            return t"<table>{each([1, 2, 3], self.row)}</table>"

    mount(Table(), "#app", backend=MemoryDom())
    assert picked.value == 0
    assert "Table (a row of each()) tried to write picked" in str(errors[0])
    assert "write onclick={(self.pick, n)}, not onclick={self.pick(n)}" in str(errors[0])


def test_handlers_still_write_and_emit_after_rendering(errors, disk):
    class Row(Component):
        item: Item

        def remove(self):
            self.emit("removed", self.item.id)

        def render(self):
            return t"<li><button onclick={self.remove}>{self.item.title}</button></li>"

    store = Store("items", list[Item], default=list, backend=disk, layout="plain")
    dom, mounted = mount_list(store, Row)
    click(dom, index=1)
    mounted.flush()
    assert [item.id for item in store.value] == [1, 3, 4, 5]
    assert stored_ids(disk) == [1, 3, 4, 5]
    assert errors == []


def test_setup_may_write_state():
    total = Signal(0)

    class Starter(Component):
        def setup(self):
            total.value = 7

        def render(self):
            return t"<p>{total.value}</p>"

    dom = MemoryDom()
    mount(Starter(), "#app", backend=dom)
    assert "<p>7</p>" in app_html(dom)


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        (
            "<button onclick={self.remove()}>",
            "write onclick={self.remove}, not onclick={self.remove()}",
        ),
        ("<i onkeydown.enter={save(item)}>", "write onkeydown.enter={(save, item)}"),
        ("<a onclick={move(a, b)}>", "write onclick={(move, a, b)}, not onclick={move(a, b)}"),
        ("<a onclick={move(a, to=b)}>", "write onclick={(lambda: move(a, to=b))}"),
        ("<a onclick={move(*rows)}>", "write onclick={(lambda: move(*rows))}"),
        ("<p>{count.value}</p>", "Change state in an event handler, an effect or setup()"),
    ],
)
def test_the_hint_uses_the_users_own_names(line, fix):
    assert fix in called_handler_hint(line)
