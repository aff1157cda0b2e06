"""The notebook's entry: the notes in /data/notes.db, a folder that persists, and the app.

`[framework] persist = ["/data"]` in pyscript.toml: the folder is loaded before this line runs
and saved after every click that changes it (docs/files.md).
"""

from pathlib import Path

from app import NotebookApp
from notes import Notebook

from framework import mount

DATA = Path("/data")

mount(NotebookApp(notebook=Notebook(DATA / "notes.db"), folder=DATA), "#app")
