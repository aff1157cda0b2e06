"""Helpers for the rendering tests: mount into a recording MemoryDom, render again, read back."""

from framework.component import Component, mount
from framework.dom.memory import MemoryDom
from framework.reactive import Signal


def render(value_fn):
    """Mount a component-less template and return (dom, mounted, rerender)."""
    dom = MemoryDom()
    state = {"value": value_fn()}
    mounted = mount(state["value"], "#app", backend=dom)

    def rerender(template):
        mounted.part.set(template)
        mounted.flush()

    return dom, mounted, rerender


def html(dom):
    return dom.container("#app").to_html()


app_html = html


def click(dom, tag="button", index=0):
    dom.dispatch(dom.container("#app").find(tag)[index], "click")


class Counter(Component):
    start: int = 0
    label: str = "Count"

    def setup(self):
        self.count = Signal(self.start)
        self.renders = 0

    def increment(self):
        self.count.value += 1
        self.emit("change", self.count.value)

    def render(self):
        self.renders += 1
        return t"<button onclick={self.increment}>{self.label}: {self.count.value}</button>"
