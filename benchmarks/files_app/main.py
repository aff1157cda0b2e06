"""The persistent-folder benchmark's app (benchmarks/files_bench.py), `persist = ["/data"]`.

"Fill" writes a database of about 10 MB into /data (incompressible blobs, so the browser's
storage cannot shrink it) and awaits its save. "Insert" adds 10,000 rows in one transaction,
then times `await files.save()`: from the end of the handler's writes to the save being
durable. Results are shown as JSON in <output> elements for the benchmark to read.
"""

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from framework import Component, Signal, files, mount

DATA = Path("/data")
DATABASE = DATA / "bench.db"
FILL_BYTES = 10_000_000
BLOB_BYTES = 1_000
INSERT_ROWS = 10_000


def connect() -> sqlite3.Connection:
    connection = sqlite3.connect(DATABASE)
    connection.execute("create table if not exists big (id integer primary key, data blob)")
    connection.execute("create table if not exists rows (id integer primary key, body text)")
    return connection


def folder_bytes() -> int:
    return sum(path.stat().st_size for path in DATA.rglob("*") if path.is_file())


AT_BOOT = folder_bytes()  # the folder is loaded before this line runs


class Bench(Component):
    def setup(self):
        self.filled = Signal("")
        self.inserted = Signal("")

    async def fill(self):
        with closing(connect()) as connection, connection:
            count = FILL_BYTES // BLOB_BYTES
            connection.executemany(
                "insert into big (data) values (randomblob(?))", [(BLOB_BYTES,)] * count
            )
        await files.save()
        self.filled.value = json.dumps({"bytes": DATABASE.stat().st_size})

    async def insert(self):
        began = time.perf_counter()
        with closing(connect()) as connection, connection:
            start = connection.execute("select coalesce(max(id), 0) from rows").fetchone()[0]
            connection.executemany(
                "insert into rows (body) values (?)",
                [(f"row {start + n}: some text of a typical row",) for n in range(INSERT_ROWS)],
            )
        written = time.perf_counter()
        await files.save()
        saved = time.perf_counter()
        self.inserted.value = json.dumps(
            {
                "insert_ms": (written - began) * 1000,
                "save_ms": (saved - written) * 1000,
                "bytes": DATABASE.stat().st_size,
            }
        )

    def render(self):
        return t"""
          <pre id="boot">{AT_BOOT}</pre>
          <button id="fill" onclick={self.fill}>Fill</button>
          <output id="filled">{self.filled}</output>
          <button id="insert" onclick={self.insert}>Insert</button>
          <output id="inserted">{self.inserted}</output>
        """


mount(Bench(), "#app")
