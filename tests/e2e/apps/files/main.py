"""Persistent folders end to end (tests/e2e/test_files.py): /data persists.

At its first line the app reads what a previous visit left in /data (a SQLite database and a
JSON file) and shows it in #boot. "Add" inserts rows with sqlite3 and rewrites state.json with
open(), in a plain click handler; the framework saves after it. "Save" awaits files.save().
"Later" writes later.txt from a timer, which no handler's save covers: the page saves it when it
is left. "Export" downloads /data as a zip; the file input imports one in its place. For two
tabs: "Other" writes other.json and saves it; "Peek" shows /data now, read through a new
sqlite3 connection. "Quota" shows files.usage() and files.persist().
"""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from browser import timer

from framework import Component, Signal, files, mount

DATA = Path("/data")
DATABASE = DATA / "notes.db"
STATE = DATA / "state.json"
LATER = DATA / "later.txt"
OTHER = DATA / "other.json"
ROWS_PER_CLICK = 50


def connect() -> sqlite3.Connection:
    connection = sqlite3.connect(DATABASE)
    connection.execute("create table if not exists notes (id integer primary key, body text)")
    return connection


def on_disk() -> dict[str, object]:
    """What /data holds now, as the tests compare it."""
    with closing(connect()) as connection:
        rows = connection.execute("select count(*) from notes").fetchone()[0]
        integrity = connection.execute("pragma integrity_check").fetchone()[0]
    state = json.loads(STATE.read_text()) if STATE.exists() else {"clicks": 0, "rows": 0}
    later = LATER.read_text() if LATER.exists() else None
    return {"rows": rows, "integrity": integrity, "state": state, "later": later}


def peek() -> dict[str, object]:
    """on_disk() and other.json: what another tab's save brought into this one."""
    other = json.loads(OTHER.read_text()) if OTHER.exists() else None
    return {**on_disk(), "other": other}


AT_BOOT = on_disk()  # before anything else: the folder is loaded before this line runs


class App(Component):
    def setup(self):
        self.saved = Signal("")
        self.later = Signal("")
        self.imported = Signal("")
        self.othered = Signal("")
        self.peeked = Signal("")
        self.storage = Signal("")

    def add(self):
        with closing(connect()) as connection, connection:
            start = connection.execute("select count(*) from notes").fetchone()[0]
            connection.executemany(
                "insert into notes (body) values (?)",
                [(f"note {start + n} " + "x" * 200,) for n in range(ROWS_PER_CLICK)],
            )
            rows = start + ROWS_PER_CLICK
        clicks = json.loads(STATE.read_text())["clicks"] + 1 if STATE.exists() else 1
        with STATE.open("w") as state:
            json.dump({"clicks": clicks, "rows": rows}, state)

    async def save(self):
        try:
            await files.save()
        except OSError as error:
            self.saved.value = f"error: {error}"
        else:
            self.saved.value = "saved"

    def write_later(self):
        timer.set_timeout(self._write_from_timer, 50)

    def _write_from_timer(self):
        LATER.write_text("written by a timer")
        self.later.value = "written"

    async def write_other(self):
        count = json.loads(OTHER.read_text())["written"] if OTHER.exists() else 0
        written = {"written": count + 1}
        OTHER.write_text(json.dumps(written))
        await files.save()
        self.othered.value = json.dumps(written)

    def peek(self):
        self.peeked.value = json.dumps(peek())

    async def quota(self):
        used, quota = await files.usage()
        kept = await files.persist()
        self.storage.value = json.dumps({"used": used, "quota": quota, "kept": kept})

    def export(self):
        files.download("data.zip", files.export_zip(DATA))

    async def import_zip(self, event):
        picked = await files.read_picked(event)
        if picked is None:
            return
        name, data = picked
        try:
            await files.import_zip(DATA, data)
        except (ValueError, OSError) as error:
            self.imported.value = f"{name} not imported: {error}"
        else:
            self.imported.value = f"{name} imported: {json.dumps(on_disk())}"

    def render(self):
        return t"""
          <pre id="boot">{json.dumps(AT_BOOT)}</pre>
          <pre id="folders">{json.dumps(files.persistent_folders())}</pre>
          <button id="add" onclick={self.add}>Add</button>
          <button id="save" onclick={self.save}>Save</button>
          <output id="saved">{self.saved}</output>
          <button id="later" onclick={self.write_later}>Later</button>
          <output id="written">{self.later}</output>
          <button id="export" onclick={self.export}>Export</button>
          <input id="import" type="file" onchange={self.import_zip}>
          <output id="imported">{self.imported}</output>
          <button id="other" onclick={self.write_other}>Other</button>
          <output id="othered">{self.othered}</output>
          <button id="peek" onclick={self.peek}>Peek</button>
          <pre id="peeked">{self.peeked}</pre>
          <button id="quota" onclick={self.quota}>Quota</button>
          <pre id="storage">{self.storage}</pre>
        """


mount(App(), "#app")
