"""Debian's real nginx serving a `framework build` folder, for end-to-end tests.

    from tests.e2e.nginx_host import nginx_serving

    with nginx_serving(build_folder, work_folder) as host:            # the site at /
        urllib.request.urlopen(host.url + "index.html")               # host.url ends with "/"
    with nginx_serving(build_folder, work_folder, base="/apps/todo/") as host:
        page.goto(host.url)                                           # http://127.0.0.1:N/apps/todo/

nginx runs in the foreground (`daemon off; master_process off;`) as the current user, on a
free port of 127.0.0.1, with its prefix, pid file, error log and temporary folders all in
`work_folder` (which must exist; one per host). Its configuration is what a user writes around
the build: a plain `http` block with Debian's mime.types and one `server` whose `root` holds
the build at `base`, including the snippet the build wrote (`_framework/hosting/nginx.conf`),
built with the same `--base`. The brotli_static module is loaded when it is installed (Debian:
libnginx-mod-http-brotli-static, which tasks.py installs). On exit nginx is stopped and waited
for. `host.error_log()` is nginx's error log, for assertion messages.

`require_nginx()` is the binary's path; where nginx is missing it skips the test with the
reason, or fails it when $CI is set (CI installs nginx: a skip there would hide a broken setup).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HOSTING_SNIPPET = "_framework/hosting/nginx.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")
START_TIMEOUT_S = 15.0
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def require_nginx() -> str:
    """nginx's path; a missing nginx skips the test (fails it under $CI)."""
    found = nginx_binary()
    if found is None:
        reason = "nginx is not installed (`python3 tasks.py test` installs it with apt on Debian)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def brotli_available() -> bool:
    return BROTLI_MODULE.is_file()


@dataclass(frozen=True)
class NginxHost:
    url: str  # the site's base URL, ending with "/"
    port: int
    config: Path
    work: Path

    def error_log(self) -> str:
        log = self.work / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def site_root(build: Path, work: Path, base: str) -> Path:
    """The folder nginx's `root` names: the build itself at `/`, else a folder in which the
    build appears at `base` (a symlink, as a deploy would copy it to /var/www/html/apps/todo)."""
    if base == "/":
        return build
    root = work / "site"
    target = root / base.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.symlink_to(build.resolve(), target_is_directory=True)
    return root


def write_config(
    build: Path, work: Path, port: int, base: str = "/", snippet: str = HOSTING_SNIPPET
) -> Path:
    """nginx.conf for a foreground nginx serving the build at base with its own snippet
    (`snippet`: the path of another one the build wrote, such as its gzip-only one)."""
    temp = "".join(f"  {kind}_temp_path {work / kind};\n" for kind in TEMP_KINDS)
    # The brotli module only where the snippet needs it: the gzip-only one must do without.
    brotli = brotli_available() and snippet == HOSTING_SNIPPET
    modules = f"load_module {BROTLI_MODULE};\n" if brotli else ""
    config = work / "nginx.conf"
    config.write_text(
        f"{modules}daemon off;\nmaster_process off;\n"
        f"pid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  include {MIME_TYPES};\n  default_type application/octet-stream;\n"
        f"  access_log off;\n{temp}"
        f"  server {{\n    listen 127.0.0.1:{port};\n"
        f"    root {site_root(build, work, base)};\n"
        f"    include {build.resolve() / snippet};\n  }}\n"
        "}\n"
    )
    return config


def check_config(config: Path, work: Path) -> str:
    """`nginx -t` of a config: nginx's own report; raises AssertionError if it fails."""
    done = subprocess.run(
        [require_nginx(), "-t", "-p", str(work), "-c", str(config), "-e", str(work / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"nginx -t refused {config}:\n{done.stderr}{config.read_text()}"
    return done.stderr


def _wait_listening(process: subprocess.Popen[bytes], port: int, work: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (work / "error.log").read_text(errors="replace")
            raise AssertionError(f"nginx exited {process.returncode}:\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx did not listen on port {port} within {START_TIMEOUT_S} s")


@contextmanager
def nginx_serving(build: Path, work: Path, base: str = "/") -> Iterator[NginxHost]:
    """nginx serving `build` at `base` (the `--base` it was built with) until the block ends."""
    for kind in TEMP_KINDS:
        (work / kind).mkdir(exist_ok=True)
    port = free_port()
    config = write_config(build, work, port, base)
    check_config(config, work)
    command = [require_nginx(), "-p", str(work), "-c", str(config), "-e", str(work / "error.log")]
    with (work / "stdout.log").open("wb") as sink:
        process = subprocess.Popen(command, cwd=work, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_listening(process, port, work)
        yield NginxHost(f"http://127.0.0.1:{port}{base}", port, config, work)
    finally:
        if process.poll() is None:
            # fast shutdown: a browser's idle keep-alive connection would hold a graceful one
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
