"""DataTools: export the notebook's folder as a zip, import one in its place, the storage used.

Export and import are the framework's (`files.export_zip`, `files.import_zip`): the whole
persistent folder, all or nothing. Before importing, archive.py also refuses a zip that is not
a notebook's, which the framework alone would take; every refusal leaves the notes as they
were and says why, in the framework's words or, for that one case, the notebook's.
"""

from pathlib import Path
from string.templatelib import Template
from typing import Any

import archive
from storage_line import StorageLine

from framework import Component, Signal, files

EXPORT_NAME = "notebook.zip"


class DataTools(Component):
    """Emits `imported()` after an import replaced the folder: the notes must be read again."""

    folder: Path  # the persistent folder that holds notes.db
    changes: int = 0  # how many writes so far: the storage line measures again after each

    def setup(self) -> None:
        self.message = Signal("")
        self.failed = Signal(False)

    def say(self, message: str, *, failed: bool = False) -> None:
        self.message.value, self.failed.value = message, failed

    def export(self) -> None:
        try:
            data = files.export_zip(self.folder)
        except files.ExportRefused as error:
            self.say(f"Not exported: {error}", failed=True)
        else:
            files.download(EXPORT_NAME, data)
            self.say(f"Exported as {EXPORT_NAME}.")

    async def import_file(self, event: Any) -> None:
        picked = await files.read_picked(event)
        if picked is None:
            return  # nothing picked
        name, data = picked
        unchanged = f"{name} was not imported, your notes are unchanged"
        try:
            problem = await archive.problem(data)  # the framework's checks, then the notebook's
            if problem is not None:
                self.say(f"{unchanged}: {problem}.", failed=True)
                return
            await files.import_zip(self.folder, data)
        except files.ImportRefused as error:
            self.say(f"{unchanged}: {error}", failed=True)
            return
        except OSError as error:  # the swap failed (the old files are back) or the save did
            self.say(f"{name}: {error}", failed=True)
        else:
            self.say(f"{name} imported.")
        self.emit("imported")  # the notes are read again (after a failed save: the new ones)

    def render(self) -> Template:
        role = "alert" if self.failed.value else "status"
        return t"""<footer class="data-tools">
  <p class="buttons">
    <button class="export" onclick={self.export}>Export all notes (zip)</button>
    <label class="import">Import a zip <input type="file" accept=".zip,application/zip"
           onchange={self.import_file}></label>
  </p>
  <p class={["message", "failed" if self.failed.value else None]} role={role}
     ?hidden={not self.message.value}>{self.message}</p>
  {StorageLine(changes=self.changes)}
</footer>"""
