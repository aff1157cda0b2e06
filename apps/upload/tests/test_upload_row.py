"""One picked file's row on the in-memory DOM: text stays text, and the buttons fit the state."""

from collections.abc import Callable

from entry import DONE, FAILED, UPLOADING, Entry
from row import UploadRow

from framework import MemoryDom, mount
from framework.aio import Progress
from framework.component import Mounted
from framework.dom.memory import Element

HTML_NAME = '<img src=x onerror="window.pwned=1">.txt'


class FakeFile:
    def __init__(self, name: str, size: int) -> None:
        self.name, self.size, self.type = name, size, "text/plain"


def render(entry: Entry, **handlers: Callable[[int], None]) -> tuple[MemoryDom, Mounted, Element]:
    dom = MemoryDom()
    app = mount(UploadRow(entry=entry, **handlers), "#app", backend=dom)
    return dom, app, dom.container("#app")


def buttons(root: Element) -> list[str]:
    return [b.text_content.strip() for b in root.find("button")]


def one(root: Element, cls: str) -> Element:
    (found,) = root.select(lambda n: cls in n.attrs.get("class", "").split())
    return found


def test_an_html_file_name_is_text() -> None:
    _, _, root = render(Entry(FakeFile(HTML_NAME, 10), None))
    assert root.find("img") == []
    assert one(root, "name").text_content == HTML_NAME


def test_buttons_follow_the_state_and_emit_the_key() -> None:
    entry = Entry(FakeFile("a.txt", 100), None)
    cancelled: list[int] = []
    dom, app, root = render(entry, on_cancel=cancelled.append)
    assert buttons(root) == ["Remove"]
    entry.status.value = UPLOADING
    entry.report(Progress(50, 100))
    app.flush()
    assert buttons(root) == ["Cancel"]
    assert "50%" in one(root, "status").text_content
    dom.dispatch(one(root, "cancel"), "click")
    assert cancelled == [entry.key]
    entry.finish(FAILED, "“a.txt” is larger than the 1 KiB limit.")
    app.flush()
    assert buttons(root) == ["Retry", "Remove"]
    assert one(root, "message").text_content == "“a.txt” is larger than the 1 KiB limit."
    entry.finish(DONE, "Stored")
    app.flush()
    assert buttons(root) == ["Remove"]
