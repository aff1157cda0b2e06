"""`storage`: the browser's sessionStorage as a dict of strings (Brython's
browser.session_storage); per tab, cleared when the tab closes."""

from framework.storage.mapping import Storage

__all__ = ["storage"]

storage = Storage("session")
