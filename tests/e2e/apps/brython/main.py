"""Runs one example of Brython's documentation, named by ?example=..., exactly as written.

The examples live in examples/*.py; what they assume exists in the page (a DIV with id
"result", a file input, an upload button) is created here first.
"""

import importlib

import js

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

name = js.URLSearchParams.new(js.location.search).get("example")
if name:
    importlib.import_module(f"examples.{name}")
page.getElementById("app").textContent = f"example {name} started"
