"""Is an archive a notebook? What only the notebook knows, checked before the real import.

`files.import_zip` refuses what no folder should take (not a zip, paths escaping the folder,
sizes over the limits, a damaged database) and says why. It cannot know that this folder must
hold a notes.db with a `notes` table: a zip another app exported passes its checks, and the
notebook would then fail at its first query, its notes gone. So the archive is first imported
into a scratch folder (in memory, never saved): the framework's checks run there, and its
message is the one the user sees for anything it refuses; then the notebook looks at the
notes.db it extracted. Only then is the archive imported into the persistent folder.
"""

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from notes import schema_problem

from framework import files

DATABASE = "notes.db"  # the notebook's file in its folder, and so in an export


async def problem(data: bytes) -> str | None:
    """Why the archive is not a notebook's export, or None if it is one. Raises
    files.ImportRefused for what the framework refuses, with its message."""
    with tempfile.TemporaryDirectory() as scratch:  # /tmp: the page's memory, not persisted
        await files.import_zip(scratch, data)
        return database_problem(Path(scratch) / DATABASE)


def database_problem(path: Path) -> str | None:
    """Why the file at `path` is not a notebook's database, or None. The framework's import
    has checked its integrity (a damaged database is refused there)."""
    if not path.is_file():
        return f"it holds no {DATABASE}: import a zip that this notebook exported"
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return schema_problem(connection)
