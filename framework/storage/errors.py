"""What can go wrong with browser storage, as exceptions an app can catch and show.

Two levels. The string storages raise `QuotaExceededError` and `StorageAccessError` (the
browser's DOMExceptions, translated). A `Store` turns every fault into a `StoreError` subclass
with a stable `kind`, the store's `key`, and where a copy of unreadable data was put
(`quarantine_key`), so the app can tell the user what happened and what they can do.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "CorruptDataError",
    "InvalidDataError",
    "MigrationError",
    "NewerVersionError",
    "OtherTabError",
    "QuotaExceededError",
    "StorageAccessError",
    "StorageFullError",
    "StorageUnavailableError",
    "StoreEditError",
    "StoreError",
]


# -- string storage ------------------------------------------------------------------------------


class QuotaExceededError(OSError):
    """A write did not fit in the storage quota; the previous value is unchanged."""


class StorageAccessError(OSError):
    """The storage cannot be used at all (blocked cookies, sandboxed iframe, private mode)."""


# -- Store ---------------------------------------------------------------------------------------


class StoreError(Exception):
    """Base of every Store fault. `kind` is a stable short name for app code to switch on;
    str(error) (also `.message`) is a sentence for people: what went wrong and what to do."""

    kind: ClassVar[str] = "error"

    def __init__(
        self, message: str, *, key: str | None = None, quarantine_key: str | None = None
    ) -> None:
        super().__init__(message)
        self.key = key
        self.quarantine_key = quarantine_key  # where a copy of the unreadable value was put

    @property
    def message(self) -> str:
        return str(self)


class CorruptDataError(StoreError, ValueError):
    """The stored text is not readable at all (not JSON, truncated, a broken envelope)."""

    kind = "corrupt"


class InvalidDataError(StoreError, ValueError):
    """Readable JSON that does not match the schema (pydantic validation failed)."""

    kind = "invalid"


class MigrationError(StoreError):
    """Old data that no registered migration can bring up to date, or a migration raised."""

    kind = "migration"


class NewerVersionError(StoreError):
    """Data written by a newer version of the app: refused and left as it is."""

    kind = "newer_version"


class StorageFullError(StoreError):
    """A write exceeded the storage quota; the stored value is the previous one."""

    kind = "full"


class StorageUnavailableError(StoreError):
    """The storage cannot be used: the store keeps its state in memory only."""

    kind = "unavailable"


class StoreEditError(StoreError):
    """The value was changed in place (found in dev): not saved, not re-rendered. Reported
    through `report_error` at the end of the flush, with the line that changed it."""

    kind = "edited_in_place"


class OtherTabError(StoreError):
    """Another tab wrote a value this tab cannot use; `reason` is the underlying error."""

    kind = "other_tab"

    def __init__(self, reason: StoreError, *, key: str | None = None) -> None:
        super().__init__(
            f"another tab stored data under {key!r} that this tab cannot use, so this tab kept "
            f"its current state: {reason}",
            key=key,
            quarantine_key=reason.quarantine_key,
        )
        self.reason = reason
        self.__cause__ = reason
