"""Runs examples of Brython's documentation exactly as written, each when the test asks for it
with `__run_example__(name)`: the page boots once and the examples run one after the other.

The examples live in examples/*.py; what they assume exists in the page (a DIV with id
"result", a file input, an upload button) is created here first.
"""

import importlib

import js
from pyodide.ffi import create_proxy

page = js.document
for tag, attributes in [
    ("div", {"id": "result"}),
    ("input", {"id": "choosefiles", "type": "file", "multiple": "multiple"}),
    ("button", {"id": "upload"}),
]:
    element = page.createElement(tag)
    for name, value in attributes.items():
        element.setAttribute(name, value)
    page.body.append(element)


def run_example(name):
    """Import examples/<name>.py, which runs it as a script; say so in #app."""
    importlib.import_module(f"examples.{name}")
    page.getElementById("app").textContent = f"example {name} started"


js.window.__run_example__ = create_proxy(run_example)
page.getElementById("app").textContent = "examples ready"
