"""The components tests/e2e/test_hot_reload.py edits while the page runs: a counter whose label
changes, beside a field whose text must survive the edit."""

from framework import Component, Signal


class Counter(Component):
    def setup(self):
        self.count = Signal(0)

    def bump(self):
        self.count.value += 1

    def render(self):
        return t'<button id="counter" onclick={self.bump}>Clicks: {self.count.value}</button>'


class Note(Component):
    def render(self):
        return t'<label>Note <input id="note"></label>'


class Page(Component):
    def render(self):
        return t"<main>{Counter()}{Note()}</main>"
