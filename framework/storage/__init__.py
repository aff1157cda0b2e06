"""String storage: the protocol, the in-memory storage, the Brython-like `Storage` mapping
with its JSON helpers, and the registry the browser layer fills with localStorage and
sessionStorage. Typed, validated, reactive persistence is `framework.store.Store`."""

from framework.storage.areas import (
    Area,
    StorageUnavailableWarning,
    set_storage_backend,
    storage_backend,
)
from framework.storage.backend import ChangeListener, StorageChange, StringStorage
from framework.storage.errors import QuotaExceededError, StorageAccessError
from framework.storage.json_view import JsonStorage
from framework.storage.mapping import Storage
from framework.storage.memory import MemoryStorage

__all__ = [
    "Area",
    "ChangeListener",
    "JsonStorage",
    "MemoryStorage",
    "QuotaExceededError",
    "Storage",
    "StorageAccessError",
    "StorageChange",
    "StorageUnavailableWarning",
    "StringStorage",
    "set_storage_backend",
    "storage_backend",
]
