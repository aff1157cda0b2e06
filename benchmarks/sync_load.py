"""Load benchmark for synced stores (issue 20): many WebSocket clients writing one shared store.

    .venv/bin/python -m benchmarks.sync_load [--clients 200] [--rate 5] [--seconds 60]
                                             [--processes 1|2|both] [--keep 0] [--drain 120]
                                             [--no-compression]
    .venv/bin/python -m benchmarks.sync_load --authority-cost

Starts the sync server in processes of its own: one uvicorn process (`--processes 1`, SQLite
only), or two processes sharing one SQLite file and a real redis-server on a free port, with no
persistence (`--processes 2`; `both` runs the two configurations one after the other). The
server declares one shared store, `board`, a `list[Item]` of small models, with the default
`SyncLimits`, and runs uvicorn with its defaults, as `framework serve` does.

This process is the load: `--clients` WebSocket clients (the `websockets` asyncio client, each
with an identity cookie of its own, spread evenly over the processes) in one event loop. Each
client makes `--rate` edits a second for `--seconds` seconds, on its own schedule (the clients
are spread over the first second); an edit is a mutation putting an item with a new, unique id
(with `--keep N` the same mutation also deletes the client's item of N edits before, so the list
stays at about clients x N items). Like the page's client, an edit is pushed at once when the
socket can take it (edits made while a push is being written go together in the next one), a
mutation stays pending until acked, and after a disconnect the client reconnects with the
framework's backoff, resumes from its version and sends its pending mutations again.

Measured: every edit's time is kept in this process (the clock the clients share), so
send-to-receipt is the time from the edit to another client reading the change that carries it
(every other client's receipt counts: one edit gives clients - 1 receipts) and send-to-ack the
time to the pusher's ack. CPU (user + system, from /proc/<pid>/stat) and memory (VmRSS, VmHWM)
of each server process, redis-server and this process. After the edits stop, the clients drain
until every mutation is acked and every client holds the server's version (`--drain` seconds at
most). Then: a fresh client reads the value from each process, the SQLite file is read after
the servers stop, and each client's state (its version and a digest of its item ids, kept from
the changes it applied) is compared with the server's. `lost` counts acknowledged edits whose
item is missing from the value (it must be 0); `converged` counts clients that hold the
server's version and items.

The load generator shares the machine with the servers: its CPU is reported beside theirs.
The clients offer permessage-deflate as browsers do (`--no-compression`: they do not).
`--authority-cost` only times what every server process computes per mutation against the
store's size (`Authority.push`, no network, no storage).

Prints a table per configuration and merges it into benchmarks/results/sync_load.json (one
entry per configuration). A benchmark, not a test: it asserts nothing
(tests/host/test_sync_load_bench.py runs it tiny, and asserts).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import math
import os
import platform
import random
import re
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from framework.server.guard import IDENTITY_COOKIE
from framework.server.storage import read_saved
from framework.sync import Authority, Mutation
from framework.sync.client import Backoff
from framework.sync.schema import item_validator, json_validator, shape_of
from tests.host.test_sync_redis import Process, RedisServer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "sync_load.json"
STORE = "board"
MAX_MUTATIONS_PER_PUSH = 100  # the protocol's default Limits.max_mutations
CONNECTING_AT_ONCE = 20  # handshakes in flight while the clients connect
SAMPLE_EVERY_S = 1.0
READ_TIMEOUT_S = 60.0  # for a fresh client's snapshot at the end
TICKS = os.sysconf("SC_CLK_TCK")

SERVER = """
import os
import sys

import uvicorn
from pydantic import BaseModel

from framework.server import SyncServer

os.environ.pop("FRAMEWORK_SYNC_REDIS", None)  # one process unless told: argv only
# what the server says (warnings, tracebacks) goes to a file of its own, counted at the end
log = open(os.path.join(os.path.dirname(sys.argv[1]), f"server-{sys.argv[3]}.log"), "a")
os.dup2(log.fileno(), 2)


class Item(BaseModel):
    id: str
    title: str
    done: bool = False


sync = SyncServer(database=sys.argv[1], redis=sys.argv[2] or None)
sync.store("board", list[Item], shared=True)
uvicorn.run(sync.api(), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning",
            timeout_graceful_shutdown=1, ws_per_message_deflate=False)  # as framework serve
"""


# -- measuring -------------------------------------------------------------------------------------


class Histogram:
    """Durations in buckets 1% apart (so a percentile is within 1%), with the exact maximum:
    millions of receipts fit in a few thousand counters."""

    STEP = math.log(1.01)
    FLOOR = 1e-5  # seconds; anything shorter counts as this

    def __init__(self) -> None:
        self.buckets: Counter[int] = Counter()
        self.count = 0
        self.max = 0.0

    def add(self, seconds: float) -> None:
        self.buckets[int(math.log(max(seconds, self.FLOOR) / self.FLOOR) / self.STEP)] += 1
        self.count += 1
        self.max = max(self.max, seconds)

    def percentile(self, share: float) -> float | None:
        """The duration (seconds) that `share` of the samples do not exceed; None without any."""
        if not self.count:
            return None
        rank = share * self.count
        seen = 0
        for bucket in sorted(self.buckets):
            seen += self.buckets[bucket]
            if seen >= rank:
                return min(self.max, self.FLOOR * math.exp((bucket + 1) * self.STEP))
        return self.max

    def summary(self) -> dict[str, Any]:
        def ms(value: float | None) -> float | None:
            return None if value is None else round(value * 1000, 2)

        return {
            "count": self.count,
            "p50_ms": ms(self.percentile(0.5)),
            "p99_ms": ms(self.percentile(0.99)),
            "max_ms": ms(self.max if self.count else None),
        }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15 of stat)


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far), in KiB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


@dataclass
class Watched:
    """One process whose CPU and memory are sampled: at the marks of the run, and every second."""

    name: str
    pid: int
    marks: dict[str, float] = field(default_factory=dict)  # mark -> cpu seconds
    # mark -> when it was taken: the marks are taken on the clients' event loop, which may be
    # late when it is busy, so a share is over the time between them, not the planned time
    marked_at: dict[str, float] = field(default_factory=dict)
    rss_start_kib: int = 0
    rss_peak_kib: int = 0
    timeline: list[tuple[float, float, int]] = field(default_factory=list)  # (t, cpu s, rss KiB)

    def mark(self, name: str) -> None:
        with contextlib.suppress(OSError):
            self.marks[name] = cpu_seconds(self.pid)
            self.marked_at[name] = time.perf_counter()
            memory = memory_kib(self.pid)
            self.rss_peak_kib = max(self.rss_peak_kib, memory.get("VmHWM", 0))
            if name == "start":
                self.rss_start_kib = memory.get("VmRSS", 0)

    def sample(self, now: float) -> None:
        with contextlib.suppress(OSError):
            self.timeline.append((now, cpu_seconds(self.pid), memory_kib(self.pid)["VmRSS"]))

    def share(self, start: str, end: str) -> float | None:
        """CPU between two marks as a % of one core."""
        if start not in self.marks or end not in self.marks:
            return None
        seconds = self.marked_at[end] - self.marked_at[start]
        if seconds <= 0:
            return None
        return round(100 * (self.marks[end] - self.marks[start]) / seconds, 1)


class Sampler:
    """A thread reading /proc for each watched process every SAMPLE_EVERY_S."""

    def __init__(self, watched: list[Watched]) -> None:
        self.watched = watched
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.origin = time.perf_counter()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            now = time.perf_counter() - self.origin
            for process in self.watched:
                process.sample(now)


# -- the clients -----------------------------------------------------------------------------------


@dataclass
class Shared:
    """What every client of one run shares (one process, one clock)."""

    keep: int
    compression: bool = True
    edited_at: dict[str, float] = field(default_factory=dict)  # item id -> time of its edit
    author: dict[str, int] = field(default_factory=dict)  # item id -> the client that made it
    receipt: Histogram = field(default_factory=Histogram)  # edit -> another client reads it
    ack: Histogram = field(default_factory=Histogram)  # edit -> its pusher's ack
    acked_per_second: Counter[int] = field(default_factory=Counter)
    origin: float = 0.0  # when the edits start
    stopping: bool = False


def item_ops(client: int, number: int, keep: int) -> tuple[str, list[dict[str, Any]]]:
    """The item id of a client's edit and its ops: put a new item, and with `keep`, delete the
    client's item of `keep` edits before."""
    item = f"c{client}-{number}"
    ops: list[dict[str, Any]] = [
        # the whole item, as the page's client sends it (model_dump): a field left to its
        # default would make the server send the diff to the canonical value instead
        {
            "op": "put",
            "id": item,
            "item": {"id": item, "title": f"edit {number}", "done": False},
            "after": None,
        }
    ]
    if keep and number > keep:
        ops.append({"op": "delete", "id": f"c{client}-{number - keep}"})
    return item, ops


# What `framework.sync.messages.encode_changes` writes, read without a JSON parser.
_CHANGES_PREFIX = '{"type":"changes",'
_VERSION_KEY = '{"version":'
_CHANGE_START = re.compile(r'\{"version":(\d+),"ops":')
_PUT_ID = re.compile(r'"op":"put","id":"([^"]*)"')
_DELETE_ID = re.compile(r'"op":"delete","id":"([^"]*)"')


def digest_of(ids: Iterable[str]) -> int:
    """An order-independent digest of a set of item ids (this process's string hash)."""
    return sum(hash(item) for item in ids) & 0xFFFF_FFFF_FFFF_FFFF


class Client:
    """One device: a WebSocket to its server process, its edits, what it applied."""

    def __init__(self, index: int, url: str, shared: Shared, *, timed: bool = True) -> None:
        self.index, self.url, self.shared = index, url, shared
        # timed: parses every message and times each receipt of another client's edit; else
        # reads changes lightly (the same checks, no timing): see Config.timed
        self.timed = timed
        self.receipts = 0
        self.cookie = f"bench{index}"
        self.name = f"c{index}"
        self.version: int | None = None  # the last server version applied
        self.digest = 0  # of the item ids it holds at `version`
        self.items = 0
        self.pending: dict[int, tuple[str, list[dict[str, Any]]]] = {}  # mutation -> (item, ops)
        self.unsent: deque[int] = deque()
        self.made = 0  # edits made
        self.pushed = 0  # mutations written to a socket (resends included)
        self.pushes = 0  # push messages written
        self.acked = 0
        self.refused: Counter[str] = Counter()  # error code -> mutations refused
        self.errors: Counter[str] = Counter()  # error code -> errors not about one mutation
        self.refused_items: set[str] = set()
        self.acked_items: list[str] = []
        self.closes: Counter[str] = Counter()  # "code reason" -> times
        self.connects = 0
        self.gaps = 0  # changes that skipped a version (should never happen)
        self.gap_examples: list[str] = []
        self.resyncing = False
        self.snapshots = 0
        self.ready = asyncio.Event()  # said hello and got the answer
        self._wake = asyncio.Event()
        self._socket: ClientConnection | None = None

    # -- connection --------------------------------------------------------------------------------

    async def connect(self) -> ClientConnection:
        return await connect(
            self.url,
            additional_headers={"Cookie": f"{IDENTITY_COOKIE}={self.cookie}"},
            proxy=None,
            ping_interval=None,  # as a browser: it answers pings, sends none
            # browsers offer permessage-deflate and uvicorn accepts it by default
            compression="deflate" if self.shared.compression else None,
            max_size=None,  # a snapshot of a large list is larger than websockets' 1 MiB
            open_timeout=30,
        )

    async def run(self, backoff: Backoff) -> None:
        """Connect, serve, reconnect after a close (the page's client's backoff) until the run
        stops."""
        attempt = 0
        while not self.shared.stopping:
            try:
                socket = await self.connect()
            except Exception as error:  # noqa: BLE001 - refused, timed out, reset: try again
                self.closes[f"connect failed: {type(error).__name__}"] += 1
                attempt += 1
                await asyncio.sleep(backoff.delay(attempt, 0, random.random))
                continue
            self.connects += 1
            opened = time.perf_counter()
            code = await self._serve(socket)
            if self.shared.stopping:
                return
            attempt = 0 if time.perf_counter() - opened >= backoff.stable else attempt + 1
            await asyncio.sleep(backoff.delay(attempt, code, random.random))

    async def _serve(self, socket: ClientConnection) -> int:
        """Say hello (resume from `version`), resend what is pending, read until closed; the
        close code."""
        self._socket = socket
        self.unsent = deque(self.pending)  # all of it again: the server skips what it has
        hello = {"type": "hello", "protocol": 1, "store": STORE, "client": self.name}
        writer: asyncio.Task[None] | None = None
        try:
            await socket.send(json.dumps({**hello, "version": self.version}))
            writer = asyncio.create_task(self._write(socket))  # after the hello
            self._wake.set()
            async for text in socket:
                self.receive(text)
        except ConnectionClosed:
            pass
        finally:
            self._socket = None
            if writer is not None:
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await writer
        closed = socket.close_code or 1006
        reason = socket.close_reason or ""
        if not self.shared.stopping:
            self.closes[f"{closed} {reason}".strip()] += 1
        return closed

    async def close(self) -> None:
        socket = self._socket
        if socket is not None:
            await socket.close()

    # -- edits -------------------------------------------------------------------------------------

    async def edit_forever(self, rate: float, until: float) -> None:
        """Make `rate` edits a second until `until` (perf_counter), on this client's own
        schedule; each goes to the writer at once."""
        interval = 1 / rate
        due = self.shared.origin + random.random() * interval  # noqa: S311 - a schedule
        while due < until:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.edit()
            due += interval

    def edit(self) -> None:
        self.made += 1
        item, ops = item_ops(self.index, self.made, self.shared.keep)
        self.shared.edited_at[item] = time.perf_counter()
        self.shared.author[item] = self.index
        self.pending[self.made] = (item, ops)
        self.unsent.append(self.made)
        self._wake.set()

    async def _write(self, socket: ClientConnection) -> None:
        """Push the unsent mutations, in order; those made while a push is written go in the
        next one (at most 100 a push, the protocol's limit)."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.unsent:
                batch: list[dict[str, Any]] = []
                while self.unsent and len(batch) < MAX_MUTATIONS_PER_PUSH:
                    number = self.unsent.popleft()
                    found = self.pending.get(number)
                    if found is not None:  # else acked meanwhile
                        batch.append({"id": number, "ops": found[1]})
                if batch:
                    push = {"type": "push", "store": STORE, "mutations": batch}
                    await socket.send(json.dumps(push, separators=(",", ":")))
                    self.pushed += len(batch)
                    self.pushes += 1

    # -- what the server sends ---------------------------------------------------------------------

    def receive(self, text: str | bytes) -> None:
        now = time.perf_counter()
        if not self.timed and isinstance(text, str) and text.startswith(_CHANGES_PREFIX):
            self._changes_read_lightly(text, now)
            return
        message = json.loads(text)
        kind = message["type"]
        if kind == "changes":
            self._changes(message["changes"], now)
        elif kind == "ack":
            self._ack(message["mutation"], now)
            self.ready.set()
        elif kind == "snapshot":
            self.snapshots += 1
            self.version = message["version"]
            ids = [item["id"] for item in message["value"]]
            self.digest, self.items = digest_of(ids), len(ids)
            self.resyncing = False
        elif kind == "error":
            if message["mutation"] is not None:
                self.refused[message["code"]] += 1
                item = self.pending.get(message["mutation"], ("", []))[0]
                self.refused_items.add(item)
            else:
                self.errors[message["code"]] += 1

    def _changes(self, changes: list[dict[str, Any]], now: float) -> None:
        for change in changes:
            if self._takes(change["version"], now):
                for op in change["ops"]:
                    self._apply(op, now)

    def _changes_read_lightly(self, text: str, now: float) -> None:
        """A `changes` message as the server writes it (`encode_changes`), read with regular
        expressions instead of a JSON parser: the versions it carries, and the ids its puts and
        deletes name (this benchmark's titles hold no quote). The same checks and digest as a
        full reading, for a fraction of the clients' CPU: a message that follows this client's
        version is taken whole, in C; one that overlaps what it had, change by change."""
        first = _CHANGE_START.search(text)
        last = text.rfind(_VERSION_KEY)
        if first is None or last < 0:
            return  # no change in it
        start = int(first.group(1))
        end = int(text[last + len(_VERSION_KEY) : text.index(",", last)])
        whole = self.version is not None and start == self.version + 1
        if whole and end - start + 1 == text.count(_VERSION_KEY) and not self.resyncing:
            self.version = end
            self._digest_ops(text, 0, len(text))
            return
        found = list(_CHANGE_START.finditer(text))
        for index, change in enumerate(found):
            if self._takes(int(change.group(1)), now):
                stop = found[index + 1].start() if index + 1 < len(found) else len(text)
                self._digest_ops(text, change.end(), stop)

    def _digest_ops(self, text: str, start: int, stop: int) -> None:
        put = _PUT_ID.findall(text, start, stop)
        deleted = _DELETE_ID.findall(text, start, stop)
        change = sum(map(hash, put)) - sum(map(hash, deleted))
        self.digest = (self.digest + change) & 0xFFFF_FFFF_FFFF_FFFF
        self.items += len(put) - len(deleted)

    def _takes(self, version: int, now: float) -> bool:
        """Whether the change of this version is the next one to apply; a gap starts a resync."""
        if self.version is not None and version <= self.version:
            return False  # had it (a resume that overlapped)
        if self.version is None or version != self.version + 1:
            if not self.resyncing:
                self.gaps += 1
                if len(self.gap_examples) < 3:
                    since = round(now - self.shared.origin, 2)
                    self.gap_examples.append(f"{since} s: had {self.version}, got {version}")
                self._resync()
            return False
        self.resyncing = False
        self.version = version
        return True

    def _apply(self, op: dict[str, Any], now: float) -> None:
        shared = self.shared
        if op["op"] == "put":
            item = op["id"]
            self.digest = (self.digest + hash(item)) & 0xFFFF_FFFF_FFFF_FFFF
            self.items += 1
            if shared.author.get(item) != self.index:
                shared.receipt.add(now - shared.edited_at[item])
                self.receipts += 1
        elif op["op"] == "delete":
            self.digest = (self.digest - hash(op["id"])) & 0xFFFF_FFFF_FFFF_FFFF
            self.items -= 1

    def _resync(self) -> None:
        """A version is missing: say hello again from the last one applied."""
        socket = self._socket
        if socket is None:
            return
        self.resyncing = True
        hello = {"type": "hello", "protocol": 1, "store": STORE, "client": self.name}
        task = asyncio.get_running_loop().create_task(
            socket.send(json.dumps({**hello, "version": self.version}))
        )
        task.add_done_callback(lambda done: done.exception())

    def _ack(self, mutation: int, now: float) -> None:
        shared = self.shared
        for number in [n for n in self.pending if n <= mutation]:
            item, _ = self.pending.pop(number)
            self.acked += 1
            self.acked_items.append(item)
            shared.ack.add(now - shared.edited_at[item])
            shared.acked_per_second[int(now - shared.origin)] += 1

    @property
    def settled(self) -> bool:
        return self._socket is not None and not self.pending and self.ready.is_set()


Value = tuple[int, list[dict[str, Any]]]  # a store's (version, value)


async def read_value(url: str, timeout: float) -> Value | str:
    """A fresh client's snapshot of the store, or why there is none (a server still busy with
    what it was sent may not even finish the handshake in time)."""
    try:
        async with asyncio.timeout(timeout):
            async with connect(
                url,
                additional_headers={"Cookie": f"{IDENTITY_COOKIE}=observer"},
                proxy=None,
                max_size=None,
                open_timeout=None,
            ) as socket:
                hello = {"type": "hello", "protocol": 1, "store": STORE, "client": "observer"}
                await socket.send(json.dumps({**hello, "version": None}))
                while True:
                    message = json.loads(await socket.recv())
                    if message["type"] == "snapshot":
                        return message["version"], message["value"]
    except TimeoutError:
        return f"no snapshot within {timeout:g} s of connecting"
    except (OSError, ConnectionClosed) as error:
        return f"failed: {error}"


# -- one configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    clients: int = 200
    rate: float = 5.0
    seconds: float = 60.0
    processes: int = 1
    keep: int = 0  # each client's last N items stay; 0: all (the list grows)
    drain: float = 120.0  # seconds at most for the acks and changes still on their way
    compression: bool = True  # the clients offer permessage-deflate, as browsers do
    # Clients that time every receipt (the first ones; the others check versions and ids
    # only). 200 clients all parsing and timing every change took more than one core of the
    # 2 here, more than the server, and the server then waited for its clients.
    timed: int = 20

    @property
    def name(self) -> str:
        base = "1 process" if self.processes == 1 else f"{self.processes} processes + Redis"
        keep = f", keep {self.keep} per client" if self.keep else ""
        load = f"{self.clients} clients x {self.rate:g} edits/s x {self.seconds:g} s"
        return f"{base}: {load}{keep}" + ("" if self.compression else ", no compression")


@contextlib.contextmanager
def servers(folder: Path, processes: int) -> Iterator[tuple[list[Process], RedisServer | None]]:
    """The server processes (and redis-server with more than one), stopped at the end: a
    SIGTERM, so that they close their connections and write what is pending."""
    redis = RedisServer(folder) if processes > 1 else None
    script = folder / "serve.py"
    script.write_text(textwrap.dedent(SERVER))
    database = folder / "sync.sqlite3"
    started = [Process(script, database, redis.url if redis else "") for _ in range(processes)]
    try:
        for process in started:
            process.ready()
        yield started, redis
    finally:
        for process in started:
            process.process.terminate()
        for process in started:
            try:
                process.process.wait(30)
            except Exception:  # noqa: BLE001 - it did not stop: kill it
                process.kill()
        if redis is not None:
            redis.stop()


def server_log(path: Path) -> dict[str, int]:
    """The lines a server process wrote to stderr, each with how often (most frequent first)."""
    with contextlib.suppress(OSError):
        lines = Counter(line.strip() for line in path.read_text().splitlines() if line.strip())
        return dict(lines.most_common())
    return {}


def saved_value(database: Path) -> tuple[int, list[dict[str, Any]]] | None:
    """The store's (version, value) in the SQLite file, read after the servers stopped."""
    saved = read_saved(database, STORE, shape_of(list[Item]))
    if saved is None:
        return None
    version, value = saved
    assert isinstance(value, list)
    return version, value


async def run_clients(
    clients: list[Client], config: Config, shared: Shared, watched: list[Watched]
) -> dict[str, float]:
    """Connect every client, run the edits, drain; the phases' durations."""
    backoff = Backoff()
    began = time.perf_counter()
    runners = []
    for first in range(0, len(clients), CONNECTING_AT_ONCE):  # a few handshakes at a time
        batch = clients[first : first + CONNECTING_AT_ONCE]
        runners += [asyncio.create_task(client.run(backoff)) for client in batch]
        await asyncio.wait_for(asyncio.gather(*(client.ready.wait() for client in batch)), 60)
    connect_s = time.perf_counter() - began

    shared.origin = time.perf_counter() + 0.2
    until = shared.origin + config.seconds
    for process in watched:
        process.mark("start")
    await asyncio.gather(*(client.edit_forever(config.rate, until) for client in clients))
    await asyncio.sleep(max(0.0, until - time.perf_counter()))
    for process in watched:
        process.mark("end")

    drain_started = time.perf_counter()
    edit_s = drain_started - shared.origin  # over config.seconds: the clients' loop was late
    deadline = drain_started + config.drain
    while time.perf_counter() < deadline:
        versions = {client.version for client in clients}
        if len(versions) == 1 and all(client.settled for client in clients):
            break
        await asyncio.sleep(0.1)
    drain_s = time.perf_counter() - drain_started
    for process in watched:
        process.mark("drained")
    shared.stopping = True
    await asyncio.gather(*(client.close() for client in clients))
    for runner in runners:
        runner.cancel()
    await asyncio.gather(*runners, return_exceptions=True)
    return {"connect_s": connect_s, "edit_s": edit_s, "drain_s": drain_s}


def check_value(name: str, found: Value | str | None, expected: set[str]) -> dict[str, Any]:
    """What one reading of the server's value holds of the edits that must be there."""
    if not isinstance(found, tuple):
        return {"where": name, "version": None, "items": None, "lost": None, "missing": found}
    version, value = found
    ids = {item["id"] for item in value}
    return {
        "where": name,
        "version": version,
        "items": len(value),
        "lost": len(expected - ids),
        "lost_examples": sorted(expected - ids)[:5],
        "digest": digest_of(list(ids)),
    }


def expected_items(clients: list[Client], keep: int) -> set[str]:
    """The acked edits whose item no later edit of its client deleted: each must be there."""
    expected = set()
    for client in clients:
        for item in client.acked_items:
            if item in client.refused_items:
                continue
            number = int(item.rsplit("-", 1)[1])
            if not keep or number > client.made - keep:
                expected.add(item)
    return expected


def run_config(config: Config, folder: Path) -> dict[str, Any]:
    """One configuration, from starting its servers to its numbers."""
    with servers(folder, config.processes) as (processes, redis):
        watched = [Watched(f"server {i + 1}", p.process.pid) for i, p in enumerate(processes)]
        if redis is not None:
            watched.append(Watched("redis-server", redis.process.pid))
        watched.append(Watched("load generator (clients)", os.getpid()))
        shared = Shared(keep=config.keep, compression=config.compression)

        async def measure() -> tuple[list[Client], dict[str, float], list[Any]]:
            urls = [p.url for p in processes]
            clients = [
                Client(i, urls[i % len(urls)], shared, timed=i < config.timed)
                for i in range(config.clients)
            ]
            phases = await run_clients(clients, config, shared, watched)
            reads = [await read_value(p.url, READ_TIMEOUT_S) for p in processes]
            for process in watched:
                process.mark("read")  # the peak memory, before the servers stop
            return clients, phases, reads

        with Sampler(watched):
            clients, phases, reads = asyncio.run(measure())
    saved = saved_value(folder / "sync.sqlite3")
    return summarise(
        config,
        clients=clients,
        shared=shared,
        phases=phases,
        watched=watched,
        reads=reads,
        saved=saved,
        logs={
            f"server {i + 1}": server_log(folder / f"server-{process.port}.log")
            for i, process in enumerate(processes)
        },
    )


def summarise(
    config: Config,
    *,
    clients: list[Client],
    shared: Shared,
    phases: dict[str, float],
    watched: list[Watched],
    reads: list[Value | str],
    saved: Value | None,
    logs: dict[str, dict[str, int]],
) -> dict[str, Any]:
    expected = expected_items(clients, config.keep)
    values = [
        check_value(f"server {i + 1} (fresh client)", read, expected)
        for i, read in enumerate(reads)
    ]
    values.append(check_value("SQLite file after stop", saved, expected))
    # the clients are compared with the first value read (the file's if no server answered)
    reference: Value | tuple[None, list[Any]] = next(
        (v for v in [*reads, saved] if isinstance(v, tuple)), (None, [])
    )
    server_version, server_value = reference
    server_digest = digest_of([item["id"] for item in server_value])
    converged = sum(
        c.version == server_version and c.digest == server_digest and c.items == len(server_value)
        for c in clients
    )
    counted = [v["lost"] for v in values if v["lost"] is not None]
    log_lines = sum(sum(lines.values()) for lines in logs.values())
    made = sum(c.made for c in clients)
    acked = sum(c.acked for c in clients)
    refused = sum((c.refused for c in clients), Counter())
    accepted = acked - sum(refused.values())
    window = config.seconds
    closes = sum((c.closes for c in clients), Counter())
    processes = {
        w.name: {
            "cpu_pct_of_one_core_while_editing": w.share("start", "end"),
            "cpu_pct_of_one_core_edit_and_drain": w.share("start", "drained"),
            "rss_start_mib": round(w.rss_start_kib / 1024, 1),
            "rss_peak_mib": round(w.rss_peak_kib / 1024, 1),
            "timeline": [(round(t, 1), round(c, 2), r) for t, c, r in w.timeline],
        }
        for w in watched
    }
    per_second = [shared.acked_per_second.get(s, 0) for s in range(int(window + phases["drain_s"]))]
    return {
        "config": config.name,
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "clients": config.clients,
        "rate_per_client": config.rate,
        "seconds": config.seconds,
        "processes": config.processes,
        "keep_per_client": config.keep,
        "compression": config.compression,
        "connect_s": round(phases["connect_s"], 2),
        "edit_s": round(phases["edit_s"], 2),
        "drain_s": round(phases["drain_s"], 2),
        "edits_offered": round(config.clients * config.rate * config.seconds),
        "edits_made": made,
        "mutations_pushed": sum(c.pushed for c in clients),
        "pushes": sum(c.pushes for c in clients),
        "acked": acked,
        "accepted": accepted,
        "unacked_at_end": made - acked,
        "refused": dict(refused),
        "errors": dict(sum((c.errors for c in clients), Counter())),
        "lost": max(counted) if counted else None,
        "values": values,
        "converged_clients": converged,
        "gaps": sum(c.gaps for c in clients),
        "gap_examples": {c.name: c.gap_examples for c in clients if c.gap_examples},
        "disconnects": dict(closes),
        "reconnects": sum(c.connects for c in clients) - len(clients),
        "snapshots_after_start": sum(c.snapshots for c in clients) - len(clients),
        "accepted_per_s_while_editing": round(
            sum(per_second[: int(window)]) / window if window else 0.0, 1
        ),
        "acked_per_second": per_second,
        # one put per version: each timed client reading every other client's change
        "timed_clients": min(config.timed, config.clients),
        "receipts_if_all_read": sum((server_version or 0) - c.acked for c in clients if c.timed),
        "send_to_other_receipt": shared.receipt.summary(),
        "send_to_ack": shared.ack.summary(),
        "processes_measured": processes,
        "server_stderr_lines": log_lines,
        "server_stderr": {name: dict(list(lines.items())[:20]) for name, lines in logs.items()},
        "load_average_after": round(os.getloadavg()[0], 2),
    }


# -- the part of a mutation that grows with the store ------------------------------------------


class Item(BaseModel):
    """The model of the server script's store (SERVER above)."""

    id: str
    title: str
    done: bool = False


def authority_cost(
    sizes: tuple[int, ...] = (100, 1_000, 5_000, 10_000), pushes: int = 20
) -> dict[int, float]:
    """Milliseconds per push of one new item on the server's `Authority` of a `list[Item]` store
    that already holds `size` items: what every server process computes for every mutation,
    before any network or storage."""
    schema = list[Item]
    costs = {}
    for size in sizes:
        value = [{"id": f"i{n}", "title": "t", "done": False} for n in range(size)]
        authority = Authority(  # validated as SyncServer does (framework/server/sync.py)
            "board",
            shape_of(schema),
            value,
            validate=json_validator(schema),
            validate_item=item_validator(schema),
        )
        started = time.perf_counter()
        for number in range(1, pushes + 1):
            _, ops = item_ops(0, number, keep=0)
            authority.push("c", [Mutation(number, ops)])
        costs[size] = round((time.perf_counter() - started) / pushes * 1000, 3)
    return costs


def write_authority_cost(costs: dict[int, float], path: Path) -> None:
    existing: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        existing = json.loads(path.read_text())
    existing["authority_push_ms_by_items"] = {str(size): ms for size, ms in costs.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(readable_json(existing))


# -- output ----------------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    def ms(stats: dict[str, Any]) -> str:
        if not stats["count"]:
            return "none"
        p50, p99, most = stats["p50_ms"], stats["p99_ms"], stats["max_ms"]
        return f"p50 {p50:,.1f} / p99 {p99:,.1f} / max {most:,.1f} ms"

    receipt, ack = result["send_to_other_receipt"], result["send_to_ack"]
    rows = [
        ("edits made (offered)", f"{result['edits_made']:,} ({result['edits_offered']:,})"),
        ("acked / accepted", f"{result['acked']:,} / {result['accepted']:,}"),
        ("not acked at the end", f"{result['unacked_at_end']:,}"),
        ("LOST (acked, missing from the value)", str(result["lost"])),
        ("clients converged", f"{result['converged_clients']} / {result['clients']}"),
        ("refused / errors", f"{result['refused'] or 0} / {result['errors'] or 0}"),
        ("disconnects", f"{result['disconnects'] or 0} ({result['reconnects']} reconnects)"),
        ("version gaps seen", str(result["gaps"])),
        ("accepted per s while editing", f"{result['accepted_per_s_while_editing']:,}"),
        ("send -> other client's receipt", ms(receipt)),
        (
            f"  receipts timed (on {result['timed_clients']} clients) / if they read all",
            f"{receipt['count']:,} / {result['receipts_if_all_read']:,}",
        ),
        ("send -> ack", ms(ack)),
        (
            "connect / edit / drain",
            f"{result['connect_s']} s / {result['edit_s']} s / {result['drain_s']} s",
        ),
    ]
    per_second = result["acked_per_second"]
    chunks = [per_second[i : i + 10] for i in range(0, len(per_second), 10)]
    tens = [round(sum(chunk) / len(chunk)) for chunk in chunks]
    rows.append(("acked per s, each 10 s", " ".join(map(str, tens))))
    for value in result["values"]:
        found = (
            f"version {value['version']}, {value['items']:,} items, {value['lost']} lost"
            if value["version"] is not None
            else f"NONE: {value['missing']}"
        )
        rows.append((f"value: {value['where']}", found))
    for name, process in result["processes_measured"].items():
        rows.append(
            (
                f"{name}: CPU % of a core",
                f"{process['cpu_pct_of_one_core_while_editing']} editing, "
                f"{process['cpu_pct_of_one_core_edit_and_drain']} with the drain; RSS "
                f"{process['rss_start_mib']} -> peak {process['rss_peak_mib']} MiB",
            )
        )
    for name, lines in result["server_stderr"].items():
        for line, count in list(lines.items())[:3]:
            rows.append((f"{name} stderr", f"{count} x {line[:90]}"))
    width = max(len(name) for name, _ in rows)
    head = f"sync load: {result['config']}"
    return "\n".join([head, *(f"  {name:<{width}}  {value}" for name, value in rows)])


_NUMBERS = re.compile(r"\[[-\d.,\s\[\]]*\]")  # numbers, or arrays of them


def readable_json(document: Any) -> str:
    """Indented JSON with arrays of numbers (or of such arrays) on one line: the timelines are
    long. Only whitespace is changed."""
    text = json.dumps(document, indent=1)

    def one_line(found: re.Match[str]) -> str:
        return " ".join(found.group().split()).replace("[ ", "[").replace(" ]", "]")

    return _NUMBERS.sub(one_line, text) + "\n"


def write_results(results: list[dict[str, Any]], path: Path = RESULTS) -> None:
    """Merge into the JSON file, one entry per configuration (the newest run of each)."""
    existing: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        existing = json.loads(path.read_text())
    runs = {run["config"]: run for run in existing.get("runs", [])}
    runs.update((result["config"], result) for result in results)
    document = {
        **existing,
        "benchmark": "benchmarks/sync_load.py",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "runs": list(runs.values()),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(readable_json(document))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="edits per second per client")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", choices=["1", "2", "both"], default="both")
    parser.add_argument(
        "--keep",
        type=int,
        default=0,
        help="each client's last N items stay (its edits delete older ones); 0: all stay",
    )
    parser.add_argument("--drain", type=float, default=120.0)
    parser.add_argument(
        "--timed",
        type=int,
        default=Config.timed,
        help="clients that time every receipt (the others check versions and ids only)",
    )
    parser.add_argument(
        "--no-compression", action="store_true", help="clients do not offer permessage-deflate"
    )
    parser.add_argument(
        "--authority-cost",
        action="store_true",
        help="only time the server's Authority.push against the store's size (no network)",
    )
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.authority_cost:
        costs = authority_cost()
        for items, ms in costs.items():
            print(f"Authority.push of one put into a list of {items:>6,} items: {ms:7.2f} ms")
        write_authority_cost(costs, args.json)
        return 0
    counts = [1, 2] if args.processes == "both" else [int(args.processes)]
    results = []
    for processes in counts:
        config = Config(
            clients=args.clients,
            rate=args.rate,
            seconds=args.seconds,
            processes=processes,
            keep=args.keep,
            drain=args.drain,
            compression=not args.no_compression,
            timed=args.timed,
        )
        with tempfile.TemporaryDirectory(prefix="sync-load-") as folder:
            result = run_config(config, Path(folder))
        print(table(result), flush=True)
        results.append(result)
    write_results(results, args.json)
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
