"""dangerous_html() slots fed from the tests (tests/e2e/test_raw_html*.py), through the real
renderer and applier.

Hooks on window (each renders before it returns):
* `__raw_set__(markups)`: each markup in its own dangerous_html() slot, `.sink[data-index=i]`;
* `__raw_form__(markup)`: one dangerous_html() slot inside `#app-form`, a form with a submit
  handler (its `__fw` and `__fwId` properties route its events: something to clobber);
* `__raw_note__(text)`: the text of `#note`, to show that the app still renders.
"""

import js
from pyodide.ffi import create_proxy

from framework import Component, Signal, dangerous_html, mount

MARKUPS = Signal(())
FORM_MARKUP = Signal("")
NOTE = Signal("")


class Sinks(Component):
    def submitted(self, event) -> None:
        event.preventDefault()

    def render(self):
        slots = [
            t'<div class="sink" data-index={index}>{dangerous_html(markup)}</div>'
            for index, markup in enumerate(MARKUPS.value)
        ]
        form_slot = dangerous_html(FORM_MARKUP.value) if FORM_MARKUP.value else None
        return t"""<div id="sinks">{slots}</div>
            <form id="app-form" onsubmit={self.submitted}><span id="form-sink">{form_slot}</span></form>
            <p id="note">{NOTE.value}</p>"""


root = mount(Sinks(), "#app")


def set_markups(markups) -> None:
    MARKUPS.value = tuple(markups.to_py())
    root.flush()


def set_form_markup(markup: str) -> None:
    FORM_MARKUP.value = markup
    root.flush()


def set_note(text: str) -> None:
    NOTE.value = text
    root.flush()


js.window.__raw_set__ = create_proxy(set_markups)
js.window.__raw_form__ = create_proxy(set_form_markup)
js.window.__raw_note__ = create_proxy(set_note)
