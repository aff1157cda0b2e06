"""`browser.local_storage` for framework apps: Brython's `storage` object over localStorage.

`from browser.local_storage import storage` gives the framework's `Storage` mapping: string
keys and values only (TypeError otherwise), KeyError for a missing key, list copies from
keys()/values()/items(); an empty string reads back as an empty string.
"""

from framework.storage.local_storage import storage

__all__ = ["storage"]
