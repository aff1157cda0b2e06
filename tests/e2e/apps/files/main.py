"""Persistent folders end to end (tests/e2e/test_files.py): /data persists.

At its first line the app reads what a previous visit left in /data (a SQLite database and a
JSON file) and shows it in #boot. "Add" inserts rows with sqlite3 and rewrites state.json with
open(), in a plain click handler; the framework saves after it. "Save" awaits files.save().
"Later" writes later.txt from a timer, which no handler's save covers: the page saves it when it
is left. "Export" downloads /data as a zip; the file input imports one in its place. For two
tabs: "Other" writes other.json and saves it; "Peek" shows /data now, read through a new
sqlite3 connection; #reloaded follows files.reloaded: another tab's save that changed files here
and the rows counted again after it, with no click. "Quota" shows files.usage() and
files.persist().
"Series" writes rows into /data/series.db (1, 2, 3, ... after the last one saved) until the tab
is killed, each row in its own transaction and /data/series.json rewritten after it, then asks
for a save and yields; the page's first line reports what the killed tab left (#series-boot).
"""

import asyncio
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from browser import timer

from framework import Component, Computed, Signal, files, mount

DATA = Path("/data")
DATABASE = DATA / "notes.db"
STATE = DATA / "state.json"
LATER = DATA / "later.txt"
OTHER = DATA / "other.json"
SERIES = DATA / "series.db"
SERIES_STATE = DATA / "series.json"
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


def connect_series() -> sqlite3.Connection:
    connection = sqlite3.connect(SERIES)
    connection.execute("create table if not exists series (id integer primary key)")
    return connection


def series_on_disk() -> dict[str, object]:
    """The series' rows in order, the database's integrity, and series.json as it is (text: a
    torn file is the test's finding, not a boot error)."""
    with closing(connect_series()) as connection:
        ids = [row[0] for row in connection.execute("select id from series order by id")]
        integrity = connection.execute("pragma integrity_check").fetchone()[0]
    state = SERIES_STATE.read_text() if SERIES_STATE.exists() else None
    return {"ids": ids, "integrity": integrity, "state": state}


def after_reloads() -> str:
    """What the latest of another tab's saves changed here, and the rows counted after it."""
    reloaded = files.reloaded.value  # read: runs again after each of them
    with closing(connect()) as connection:
        rows = connection.execute("select count(*) from notes").fetchone()[0]
    return json.dumps({"count": reloaded.count, "paths": reloaded.paths, "rows": rows})


AT_BOOT = on_disk()  # before anything else: the folder is loaded before this line runs
SERIES_AT_BOOT = series_on_disk()


class App(Component):
    def setup(self):
        self.saved = Signal("")
        self.later = Signal("")
        self.imported = Signal("")
        self.othered = Signal("")
        self.peeked = Signal("")
        self.storage = Signal("")
        self.series_written = Signal(0)
        self.reloaded = Computed(after_reloads)

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

    async def write_series(self):
        """Rows next, next + 1, ... each in its own transaction on one connection kept open,
        with series.json saying how many; a save is asked for after each and the loop yields,
        so saves run between writes as the framework schedules them, until the tab dies."""
        with closing(connect_series()) as connection:
            row = (connection.execute("select max(id) from series").fetchone()[0] or 0) + 1
            while True:
                with connection:
                    connection.execute("insert into series (id) values (?)", (row,))
                with SERIES_STATE.open("w") as state:
                    # a few KB: a save that stored the file in pieces could tear it
                    json.dump({"rows": row, "padding": "x" * 4000}, state)
                files.changed()
                self.series_written.value = row
                row += 1
                await asyncio.sleep(0)

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
          <pre id="reloaded">{self.reloaded}</pre>
          <button id="quota" onclick={self.quota}>Quota</button>
          <pre id="storage">{self.storage}</pre>
          <pre id="series-boot">{json.dumps(SERIES_AT_BOOT)}</pre>
          <button id="series" onclick={self.write_series}>Series</button>
          <output id="series-written">{self.series_written}</output>
        """


mount(App(), "#app")
