"""The notice of a new version (docs/offline.md): shown above the list once a new build waits,
outside the TodoMVC section, and its button applies the update."""

from collections.abc import Iterator

import pytest
from app import TodoApp
from model import Todo

from framework import MemoryDom, MemoryLocation, Router, Store, mount
from framework.testing import settle
from framework.updates import set_update_bridge, update_found


class Page:
    """The page's worker registration: counts the updates applied."""

    def __init__(self) -> None:
        self.applied = 0

    def apply(self) -> None:
        self.applied += 1


@pytest.fixture
def page() -> Iterator[Page]:
    fake = Page()
    set_update_bridge(fake)
    yield fake
    set_update_bridge(None)


def test_a_waiting_version_shows_a_notice_whose_button_applies_it(page: Page) -> None:
    store = Store("todos-update", list[Todo], default=list, area="memory", layout="plain")
    router = Router({"/": "all"}, location=MemoryLocation("/")).start()
    dom = MemoryDom()
    mount(TodoApp(store=store, router=router), "#app", backend=dom)
    root = dom.container("#app")
    assert not [div for div in root.find("div") if "update-notice" in div.attrs.get("class", "")]
    update_found()
    settle(dom)
    (notice,) = [div for div in root.find("div") if "update-notice" in div.attrs.get("class", "")]
    assert " ".join(notice.text_content.split()) == "A new version is available - reload"
    assert notice.parent is root  # beside the todoapp section, not in it
    (button,) = notice.find("button")
    dom.dispatch(button, "click")
    assert page.applied == 1
