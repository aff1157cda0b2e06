"""Input before ready (tests/e2e/test_replay.py): one control of each kind, every handler
writing what it saw into the log the page shows, so the order and count of replayed events
can be read off the page. index.html holds this render as hand-made prerendered markup, but for
the rows: "stale" where the app renders "fresh", and a "gone" row the app does not render."""

from string.templatelib import Template
from typing import Any

from framework import Component, Signal, keyed, mount


class Page(Component):
    def setup(self) -> None:
        self.draft = Signal("")
        self.rows = Signal(["kept", "fresh"])
        self.note_text = Signal("")
        self.quick_text = Signal("")
        self.log = Signal[list[str]]([])

    def write(self, line: str) -> None:
        self.log.value = [*self.log.value, line]

    def count(self) -> None:
        self.write("count")

    def add(self) -> None:
        title = self.draft.value.strip()
        if title:
            self.write(f"add:{title}")
            self.rows.value = [*self.rows.value, title]
            self.draft.value = ""

    def pick(self, title: str) -> None:
        self.write(f"pick:{title}")

    def toggled(self, event: Any) -> None:
        self.write(f"done:{bool(event.target.checked)}")

    def sized(self, event: Any) -> None:
        self.write(f"size:{event.target.value}")

    def noted(self) -> None:
        self.write(f"submit:{self.note_text.value}")

    def quick(self) -> None:
        self.write(f"quick:{self.quick_text.value}")

    def twice(self) -> None:
        self.write("dblclick")

    def row(self, title: str) -> Any:
        pick = t'<button class="pick" onclick={(lambda: self.pick(title))}>pick</button>'
        return keyed(title, t"<li><span>{title}</span>{pick}</li>")

    def render(self) -> Template:
        rows = [self.row(title) for title in self.rows.value]
        log = " | ".join(self.log.value)
        return t"""<button class="count" onclick={self.count}>count</button>
<input class="entry" bind:value={self.draft} onkeydown.enter={self.add}>
<ul class="items">{rows}</ul>
<label><input class="done" type="checkbox" onchange={self.toggled}> done</label>
<select class="size" onchange={self.sized}><option value="s">S</option><option value="m">M</option><option value="l">L</option></select>
<form class="note" onsubmit.prevent={self.noted}><input class="note-text" bind:value={self.note_text}><button class="send">Send</button></form>
<form class="quick" onsubmit.prevent={self.quick}><input class="quick-text" bind:value={self.quick_text}></form>
<span class="twice" ondblclick={self.twice}>twice</span>
<p class="log">{log}</p>"""


mount(Page(), "#app")
