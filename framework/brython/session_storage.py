"""`browser.session_storage` for framework apps: Brython's `storage` object over
sessionStorage (per tab, gone when the tab closes); otherwise like `browser.local_storage`."""

from framework.storage.session_storage import storage

__all__ = ["storage"]
