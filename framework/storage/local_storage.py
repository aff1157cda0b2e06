"""`storage`: the browser's localStorage as a dict of strings (Brython's
browser.local_storage): `storage["foo"] = "bar"` keeps "bar" across reloads."""

from framework.storage.mapping import Storage

__all__ = ["storage"]

storage = Storage("local")
