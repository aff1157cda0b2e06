"""How a Store's state becomes stored text and back: layout, version, migrations, validation.

Layouts:
* "envelope" (default): `{"v": <version>, "data": <state>}`. A stored value that is not such an
  envelope is legacy data of version 0 (also a raw, non-JSON string, if a migration from
  version 0 exists to read it). Broken JSON (truncated, a BOM, `undefined`, a bad envelope) is
  corrupt: it is quarantined and never handed to a migration.
* "plain": the state's JSON alone (a TodoMVC app keeps a bare array); no versions.

Migrations are ordered, oldest first: with `version=3` and two migrations, the first turns
version-1 data into version 2 and the second version 2 into 3. Every failure is a StoreError
subclass with a bounded message (never the stored text itself, which can be megabytes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from framework.storage.errors import (
    CorruptDataError,
    InvalidDataError,
    MigrationError,
    NewerVersionError,
)

__all__ = ["Codec", "Layout", "Migration"]

Layout = Literal["envelope", "plain"]
Migration = Callable[[Any], Any]

MAX_DETAIL = 160  # characters of one error detail in a message
MAX_ERRORS_SHOWN = 3


class Codec[T]:
    """Encodes and decodes one Store's state; the pydantic adapter is built once."""

    def __init__(
        self,
        schema: Any,
        *,
        layout: Layout = "envelope",
        version: int | None = None,
        migrations: Sequence[Migration] = (),
    ) -> None:
        if layout not in ("envelope", "plain"):
            raise ValueError(f"layout must be 'envelope' or 'plain', not {layout!r}")
        migrations = tuple(migrations)
        if version is None:
            version = len(migrations)
        if type(version) is not int or version < 0:
            raise ValueError(f"version must be a whole number >= 0, not {version!r}")
        if len(migrations) > version:
            raise ValueError(
                f"{len(migrations)} migrations cannot lead to version {version}: migration i "
                "turns version (version - len(migrations) + i) into the next one"
            )
        if layout == "plain" and version:
            raise ValueError(
                "layout='plain' stores no version, so it cannot have version= or migrations=; "
                "use the default envelope layout"
            )
        self.layout: Layout = layout
        self.version = version
        self.migrations = migrations
        self.adapter: TypeAdapter[T] = TypeAdapter(schema)

    # -- state -> text ---------------------------------------------------------------------------

    def encode(self, value: T) -> str:
        data = self.adapter.dump_json(value).decode()
        if self.layout == "plain":
            return data
        return f'{{"v":{self.version},"data":{data}}}'

    # -- text -> state ---------------------------------------------------------------------------

    def validate(self, data: Any) -> T:
        try:
            return self.adapter.validate_python(data)
        except ValidationError as error:
            raise InvalidDataError(_summary(error)) from error

    def decode(self, text: str) -> tuple[T, int]:
        """The validated state and the version it was stored at (to know if it was migrated)."""
        try:
            version, data = self._unwrap(_parse(text))
        except CorruptDataError:
            if self.layout == "plain" or not self._migrates_from(0) or not _is_legacy_text(text):
                raise
            # Not JSON, but the app migrates legacy version-0 data: let it read the raw text.
            try:
                return self.validate(self._migrate(text, 0)), 0
            except MigrationError as error:
                raise CorruptDataError(
                    f"the value is not JSON and the migration from version 0 could not "
                    f"read it: {error}"
                ) from error
        return self.validate(self._migrate(data, version)), version

    def _unwrap(self, document: Any) -> tuple[int, Any]:
        if self.layout == "plain":
            return 0, document
        if not (isinstance(document, dict) and document.keys() == {"v", "data"}):
            return 0, document  # legacy data, stored before versions
        version = document["v"]
        if type(version) is not int or version < 0:
            raise CorruptDataError(
                f"the envelope's version 'v' must be a whole number >= 0, not "
                f"{_short(repr(version))}"
            )
        if version > self.version:
            raise NewerVersionError(
                f"the data is version {version}, newer than this app's version "
                f"{self.version} (downgrade not supported); use the newer version of the app"
            )
        return version, document["data"]

    def _migrates_from(self, version: int) -> bool:
        return self.version - len(self.migrations) <= version < self.version

    def _migrate(self, data: Any, version: int) -> Any:
        if version == self.version:
            return data
        first = self.version - len(self.migrations)
        if version < first:
            raise MigrationError(
                f"the data is version {version} but this app only has migrations from "
                f"version {first} to {self.version}; add the missing migrations, oldest first"
            )
        for step in range(version, self.version):
            try:
                data = self.migrations[step - first](data)
            except Exception as error:  # any failure is reported, with its cause
                raise MigrationError(
                    f"the migration from version {step} to {step + 1} failed: "
                    f"{type(error).__name__}: {_short(str(error))}"
                ) from error
        return data


# What a broken write leaves (JavaScript's String(undefined), a BOM, a truncated document): text
# that was meant to be JSON, so corrupt, never legacy data for a migration to read.
_BROKEN_VALUES = frozenset({"", "undefined", "NaN", "Infinity", "-Infinity"})
_JSON_STARTS = ("{", "[", '"', "\ufeff")


def _is_legacy_text(text: str) -> bool:
    """True for plain text an older app stored as it is (Brython's `storage["todos"] = "a;b"`),
    which the version-0 migration may read; False for broken JSON, which is only quarantined."""
    stripped = text.strip()
    return (
        stripped not in _BROKEN_VALUES
        and not stripped.startswith(_JSON_STARTS)
        and not text.startswith("\ufeff")
        and "[object " not in stripped
    )


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise CorruptDataError(f"the value is not valid JSON ({_short(str(error))})") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _summary(error: ValidationError) -> str:
    """A message of bounded size: the first errors' locations and reasons, never the input."""
    details = error.errors(include_url=False, include_input=False, include_context=False)
    parts = [
        _short(f"{'.'.join(str(part) for part in item['loc']) or '(root)'}: {item['msg']}")
        for item in details[:MAX_ERRORS_SHOWN]
    ]
    more = len(details) - MAX_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    count = error.error_count()
    noun = "error" if count == 1 else "errors"
    return f"the data does not match the schema ({count} validation {noun}: {'; '.join(parts)})"


def _short(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
