"""Load benchmark for the upload API (matrix U17): many large uploads at once.

    .venv/bin/python -m benchmarks.upload_load [--uploads 20] [--megabytes 50]

Runs the upload app's `api` (apps/upload/server.py, loaded as `framework serve` loads it) on a real
uvicorn in its own process, with storage in a fresh temp folder. A second process sends the
uploads over raw sockets; this process samples `GET /health` latency (a new connection each
time) and the server's resident memory. It prints a table, checks that every upload was stored
whole and that no temp file is left, then removes the folder. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UPLOAD_APP = ROOT / "apps" / "upload"
BOUNDARY = "benchmarkBoundary0123456789"
BLOCK = b"u" * (1 << 20)
SAMPLE_EVERY_S = 0.05
HEALTH_BUDGET_MS = 200.0

SERVER_SCRIPT = """
import sys, uvicorn
from pathlib import Path
from framework.cli.api import load_api
uvicorn.run(load_api(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", lifespan="off")
"""


@dataclass
class Samples:
    health_ms: list[float] = field(default_factory=list)
    health_failures: int = 0
    rss_kib: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_server(storage: Path, port: int, max_bytes: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FRAMEWORK_UPLOAD_DIR": str(storage),
        "FRAMEWORK_UPLOAD_MAX_BYTES": str(max_bytes),
        "FRAMEWORK_UPLOAD_TYPES": "*",
    }
    command = [sys.executable, "-c", SERVER_SCRIPT, str(UPLOAD_APP), str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the upload server did not start")


async def upload(port: int, index: int, megabytes: int) -> str:
    """One multipart POST of `megabytes` MiB, written in 1 MiB blocks; the status line."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="load-{index}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + megabytes * len(BLOCK) + len(tail)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /files HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
        + head
    )
    for _ in range(megabytes):
        writer.write(BLOCK)
        await writer.drain()
    writer.write(tail)
    await writer.drain()
    status = (await reader.readline()).decode().strip()
    writer.close()
    return status


def run_uploads(port: int, count: int, megabytes: int, results: multiprocessing.Queue[str]) -> None:
    async def all_uploads() -> list[str]:
        return await asyncio.gather(*(upload(port, i, megabytes) for i in range(count)))

    for status in asyncio.run(all_uploads()):
        results.put(status)


def sample(port: int, pid: int, samples: Samples, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
                answer.read()
            samples.health_ms.append((time.perf_counter() - started) * 1000)
        except OSError:
            samples.health_failures += 1
        samples.rss_kib.append(rss_kib(pid))
        stop.wait(SAMPLE_EVERY_S)


def sample_idle(port: int, pid: int) -> Samples:
    """The same samples for two seconds before any upload: what this machine gives right now."""
    idle, stop = Samples(), threading.Event()
    sampler = threading.Thread(target=sample, args=(port, pid, idle, stop))
    sampler.start()
    time.sleep(2)
    stop.set()
    sampler.join()
    return idle


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def latency_summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    return f"{statistics.median(values):.1f} / {max(values):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    storage = Path(tempfile.mkdtemp(prefix="upload-load-"))
    port = free_port()
    server = start_server(storage, port, max_bytes=(args.megabytes + 1) << 20)
    try:
        return measure(server, storage, port, args.uploads, args.megabytes)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(storage, ignore_errors=True)


def measure(
    server: subprocess.Popen[bytes], storage: Path, port: int, uploads: int, megabytes: int
) -> int:
    idle = sample_idle(port, server.pid)
    samples, stop = Samples(), threading.Event()
    sampler = threading.Thread(target=sample, args=(port, server.pid, samples, stop))
    results: multiprocessing.Queue[str] = multiprocessing.Queue()
    client = multiprocessing.Process(target=run_uploads, args=(port, uploads, megabytes, results))
    started = time.perf_counter()
    sampler.start()
    client.start()
    statuses = [results.get() for _ in range(uploads)]
    client.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()

    stored = [p for p in (storage / "files").iterdir() if p.suffix != ".json"]
    whole = sum(p.stat().st_size == megabytes << 20 for p in stored)
    temp_left = list((storage / "tmp").iterdir())
    created = sum(status.startswith("HTTP/1.1 201") for status in statuses)
    worst = max(samples.health_ms, default=float("nan"))
    rows = [
        ("uploads answered 201", f"{created} / {uploads}"),
        ("files stored whole", f"{whole} / {uploads} x {megabytes} MiB"),
        ("wall time", f"{elapsed:.1f} s"),
        ("throughput", f"{uploads * megabytes / elapsed:.0f} MiB/s"),
        ("GET /health samples", f"{len(samples.health_ms)} (failed {samples.health_failures})"),
        ("GET /health p50", f"{statistics.median(samples.health_ms or [0.0]):.1f} ms"),
        ("GET /health p95", f"{percentile(samples.health_ms, 0.95):.1f} ms"),
        ("GET /health max", f"{worst:.1f} ms (budget {HEALTH_BUDGET_MS:.0f} ms)"),
        ("  idle, before: p50 / max", latency_summary(idle.health_ms)),
        ("server RSS before", f"{max(idle.rss_kib, default=0) / 1024:.1f} MiB"),
        ("server RSS peak", f"{max(samples.rss_kib, default=0) / 1024:.1f} MiB"),
        ("temp files left", str(len(temp_left))),
        ("machine load average (1 min)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"upload load: {uploads} concurrent uploads of {megabytes} MiB")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    ok = (
        created == whole == uploads
        and not temp_left
        and worst < HEALTH_BUDGET_MS
        and samples.health_failures == 0
    )
    print("result:", "ok" if ok else "NOT OK")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
