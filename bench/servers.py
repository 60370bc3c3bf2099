"""Servers the benches start and stop: gunicorn, and wrk to load them (nginx with the
committed configuration comes from tests/nginx_front.py, shared with the tests).

Nothing here imports Django: the benches start each server in its own process, with its
own environment, as production would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nobody listens on right now, on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str = "/", host: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    """GET ``path`` on 127.0.0.1:``port`` with a ``Host`` header; status, headers, body."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(port: int, host: str, path: str = "/", timeout: float = 60) -> None:
    """Wait until the server on ``port`` answers (any HTTP status)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(port, path, host)
            return
        except (ConnectionError, urllib.error.URLError, TimeoutError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def gunicorn(
    app: str,
    *,
    env: dict[str, str],
    cwd: Path = ROOT,
    workers: int = 2,
    config: Path | None = ROOT / "core" / "gunicorn.conf.py",
    host: str = "127.0.0.1",
    path: str = "/",
) -> Iterator[subprocess.Popen]:
    """Run gunicorn on a free port of 127.0.0.1 until the block ends; yields the process
    (its ``port`` attribute says where it listens)."""
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--access-logfile", "/dev/null"]
    if config is not None:
        command += ["--config", str(config)]
    log = open(os.devnull, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.port = port  # type: ignore[attr-defined]
    try:
        wait_for(port, host, path)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def wrk(
    port: int,
    path: str = "/",
    host: str = "127.0.0.1",
    *,
    duration: int = 10,
    threads: int = 2,
    connections: int = 16,
    headers: Sequence[str] = (),
) -> float:
    """Requests per second ``wrk -t2 -c16 -d10s`` measures (non-2xx answers fail the run)."""
    command = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += ["-H", f"Host: {host}"]
    for header in headers:
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"wrk got errors from {host}{path}:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    return float(match.group(1))


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_pids(master_pid: int) -> list[int]:
    """The worker processes of a gunicorn master (its children)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]
