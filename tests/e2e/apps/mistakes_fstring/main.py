"""Mistake 3 of issue 17: an f-string where a t-string belongs.

render() returning f"<p>...</p>" is refused with the t"..." fix at this file's line; the markup
is never shown as text, and the stored notes stay.
"""

from framework import Component, Store, mount

notes = Store("mistakes-notes", list[str], default=list, area="local", layout="plain")
if not notes.peek():  # the first visit stores two notes
    notes.value = ["first", "second"]


class Greeting(Component):
    name: str

    def render(self):
        return f"<p class='greeting'>Hello <b>{self.name}</b></p>"


class App(Component):
    def render(self):
        return t'<main><p id="count">{len(notes.value)} notes</p>{Greeting(name="Ada")}</main>'


mount(App(), "#app")
