"""The entry: mounts the page. Its components live in counter.py, the module the test edits
(an edit of the entry itself reloads the page: it runs once, at start)."""

from counter import Page

from framework import mount

mount(Page(), "#app")
