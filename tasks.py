"""The README's two commands, for a fresh machine with only Python, Node and npm.

    python3 tasks.py serve        set everything up, then serve the TO-DO app
    python3 tasks.py test         set everything up, then run ruff, mypy and the whole test suite
    python3 tasks.py test --fast  the same without a browser (no end-to-end tests)

Arguments after `test` (and `--fast`) go to pytest. The test task ends with its wall time, per
phase and in total.

Setup is idempotent: a virtual environment in .venv with this package and its test tools, the
runtime assets (npm + pip, pinned, fetched once), and on Debian the system Chromium via apt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NGINX_BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def say(message: str) -> None:
    print(f"tasks: {message}", flush=True)


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)


def ensure_venv() -> None:
    """Create .venv and install this package with its test extras when pyproject changed."""
    if not (BIN / "python").exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say("installing the framework and its test tools into .venv")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(wanted)


def system_chromium() -> str | None:
    explicit = os.environ.get("FRAMEWORK_CHROMIUM")
    if explicit:
        return explicit
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def ensure_chromium() -> None:
    """On Debian, install the system Chromium when no browser is found (Playwright's own is
    the fallback elsewhere: `playwright install chromium`)."""
    if system_chromium() or not shutil.which("apt-get"):
        return
    apt_install("chromium")


def ensure_nginx() -> None:
    """On Debian, install nginx and its brotli_static module when missing: tests check the
    config a build writes with `nginx -t` (host tests) and serve builds behind it
    (tests/e2e/nginx_host.py, which says why a test is skipped where nginx cannot be had)."""
    if not shutil.which("apt-get"):
        return
    missing = [] if shutil.which("nginx") or Path("/usr/sbin/nginx").exists() else ["nginx"]
    if not NGINX_BROTLI_MODULE.exists():
        missing.append("libnginx-mod-http-brotli-static")
    if missing:
        apt_install(*missing)


def ensure_redis() -> None:
    """On Debian, install redis-server when it is missing: the tests start their own on a free
    port to keep several sync server processes in step (tests/host/test_sync_redis.py, which
    says it is skipped where redis-server cannot be had)."""
    if (
        shutil.which("redis-server")
        or Path("/usr/bin/redis-server").exists()
        or not shutil.which("apt-get")
    ):
        return
    apt_install("redis-server")


def apt_install(*packages: str) -> None:
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    say(f"installing {' '.join(packages)} with apt-get")
    # RUNLEVEL=1: install without starting a system service (nginx would take port 80).
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def serve(args: list[str]) -> int:
    ensure_venv()
    return subprocess.call([str(BIN / "framework"), "serve", *args], cwd=ROOT)


class Clock:
    """Wall time per phase: each phase lasts until the next one starts."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float]] = []

    def phase(self, name: str) -> None:
        say(name)
        self.phases.append((name, time.monotonic()))

    def report(self) -> None:
        now = time.monotonic()
        ends = [start for _, start in self.phases[1:]] + [now]
        for (name, start), end in zip(self.phases, ends, strict=True):
            say(f"{end - start:7.1f} s  {name}")
        if self.phases:
            say(f"{now - self.phases[0][1]:7.1f} s  in total")


def test(args: list[str]) -> int:
    fast = "--fast" in args
    args = [arg for arg in args if arg != "--fast"]
    clock = Clock()
    try:
        return test_phases(clock, args, fast)
    finally:
        clock.report()


def test_phases(clock: Clock, args: list[str], fast: bool) -> int:
    clock.phase("setup")
    ensure_venv()
    run(BIN / "framework", "setup", "--tests")
    ensure_redis()  # host tests too (tests/host/test_sync_redis.py), so --fast as well
    ensure_nginx()  # host tests too (`nginx -t` of a build's config)
    if not fast:
        ensure_chromium()
    clock.phase("ruff")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    clock.phase("mypy (host-side code, strict)")
    run(BIN / "mypy")
    clock.phase("mypy (browser-side code, strict, Python 3.14): the framework, then each app")
    run(BIN / "mypy", "--config-file", "mypy-browser.ini")
    for app in sorted(ROOT.glob("apps/*/pyscript.toml")):  # apps share module names (app.py)
        run(BIN / "mypy", "--config-file", "mypy-browser.ini", app.parent.relative_to(ROOT))
    if fast:
        clock.phase("pytest: Pyodide unit tests and host tests (--fast: no end-to-end tests)")
        return subprocess.call([str(BIN / "pytest"), "-m", "not e2e", *args], cwd=ROOT)
    if args:  # the caller chose what to run: one pytest, as asked
        clock.phase("pytest: as asked")
        return subprocess.call([str(BIN / "pytest"), *args], cwd=ROOT)
    # After a change to the framework its bytecode and the Python snapshot are made once, here,
    # not by both pytest runs at once while their first servers and builds wait for them.
    clock.phase("warming the caches: framework build apps/todo")
    with tempfile.TemporaryDirectory() as scratch:
        run(BIN / "framework", "build", "apps/todo", "-o", Path(scratch) / "dist")
    clock.phase("pytest: end-to-end tests in Chromium, beside the Pyodide unit and host tests")
    return pytest_side_by_side()


# The slowest end-to-end tests, printed at the end of every full run: where the suite's
# 10-minute budget goes.
E2E_DURATIONS = ["--durations=15"]
# End-to-end modules that run on the other side, after the unit and host tests, before the soak
# tier: they start their own servers and builds (nothing to share with their neighbours), and
# without them the two sides end at about the same time (in CI the end-to-end side ran 1,047 s,
# the other 670 s).
OTHER_SIDE_E2E = (
    "tests/e2e/test_offline.py",
    "tests/e2e/test_live_reload.py",
    "tests/e2e/test_snapshot_boot.py",
)


def pytest_side_by_side() -> int:
    """The end-to-end tests in one pytest, the rest in another, at the same time: a browser test
    mostly waits for a page (about 40% of 2 cores stays idle while they run), which is when
    the Pyodide unit and host tests get the CPU. Those end first: then the same side runs a few
    end-to-end modules (OTHER_SIDE_E2E) and the soak tier (end-to-end tests that take minutes,
    marked `soak`). The end-to-end output streams; the other side's output is kept and printed
    once both are done. Exits non-zero if any fails."""
    color = ["--color=yes"] if sys.stdout.isatty() else []
    other_side = (
        ["-m", "not e2e", *color],
        [*OTHER_SIDE_E2E, "-m", "not soak", *color],
        ["tests/e2e", "-m", "soak", *color],
    )
    moved = [f"--ignore={module}" for module in OTHER_SIDE_E2E]
    with tempfile.TemporaryFile() as kept:
        started = time.monotonic()
        codes: list[int] = []
        ended: list[float] = []

        def run_other_side() -> None:
            for selection in other_side:
                call = [str(BIN / "pytest"), *selection]
                codes.append(subprocess.call(call, cwd=ROOT, stdout=kept, stderr=subprocess.STDOUT))
                ended.append(time.monotonic())

        waiter = threading.Thread(target=run_other_side)
        waiter.start()
        try:
            e2e = subprocess.call(
                [str(BIN / "pytest"), "tests/e2e", *moved, "-m", "not soak", *E2E_DURATIONS],
                cwd=ROOT,
            )
        finally:
            e2e_ended = time.monotonic()
            waiter.join()
        kept.seek(0)
        title = " Pyodide unit and host tests, then a few end-to-end modules and the soak tier "
        print("\n" + "=" * 22 + title + "=" * 22, flush=True)
        sys.stdout.buffer.write(kept.read())
        sys.stdout.flush()
    say(f"{e2e_ended - started:7.1f} s  tests/e2e -m 'not soak', less those below (exit {e2e})")
    say(f"{ended[0] - started:7.1f} s  pytest -m 'not e2e' (exit {codes[0]})")
    say(f"{ended[1] - started:7.1f} s  then {len(moved)} end-to-end modules (exit {codes[1]})")
    say(f"{ended[2] - started:7.1f} s  then pytest tests/e2e -m soak (exit {codes[2]})")
    return e2e or next((code for code in codes if code), 0)


def main(argv: list[str]) -> int:
    tasks = {"serve": serve, "test": test}
    if not argv or argv[0] not in tasks:
        print(__doc__)
        return 2
    try:
        return tasks[argv[0]](argv[1:])
    except subprocess.CalledProcessError as error:
        say(f"failed: {' '.join(map(str, error.cmd))} (exit {error.returncode})")
        return error.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
