"""Mistake 2 of issue 17: an event name typo, `onclik=`.

The typo is an error naming `onclick` at this file's line; the component with the typo shows its
fallback while the rest of the app keeps working: its other button still adds to the Store. A
sibling whose setup() raises fails alone too.
"""

from framework import Component, Store, mount

clicks = Store("mistakes-clicks", list[str], default=list, area="local", layout="plain")
if not clicks.peek():  # the first visit stores three clicks
    clicks.value = ["a", "b", "c"]


class Bumper(Component):
    def bump(self):
        clicks.value = [*clicks.value, "bump"]

    def render(self):
        return t'<button id="bump" onclik={self.bump}>bump</button>'


class Broken(Component):
    def setup(self):
        raise LookupError("the widget's settings are missing")

    def render(self):
        return t"<p>never shown</p>"


class App(Component):
    def add(self):
        clicks.value = [*clicks.value, "add"]

    def render(self):
        return t"""<main>
          <p id="count">{len(clicks.value)} clicks</p>
          {Bumper()}
          {Broken()}
          <button id="add" onclick={self.add}>add</button>
        </main>"""


mount(App(), "#app")
