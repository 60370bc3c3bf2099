"""Two gunicorn instances of the project on one host each keep their own control socket;
workers start with the preloaded application out of the garbage collector's way.

gunicorn's default control socket is one path per user: a second instance would take it
over, and ``gunicornc`` would then manage the wrong one. The project's configuration names
each instance's socket after the address it listens on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.nginx_front import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = ROOT / "core" / "gunicorn.conf.py"
# A WSGI callable that needs no database: what is tested is the configuration.
APP = "tests.deploy.hello_wsgi:application"


@contextmanager
def gunicorn(port: int, *arguments: str, **env: str) -> Iterator[subprocess.Popen]:
    """gunicorn with the project's configuration on 127.0.0.1:``port``, one worker."""
    command = [str(BIN / "gunicorn"), "-c", str(CONFIG), APP, "--workers", "1"]
    process = subprocess.Popen(  # noqa: S603 (the project's own gunicorn)
        [*command, "--bind", f"127.0.0.1:{port}", *arguments],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def listeners(socket: Path) -> list[str]:
    """What the instance behind a control socket says it listens on (``gunicornc``)."""
    # A hang guard only: gunicorn's start took longer than 30 s on a loaded machine.
    deadline = time.monotonic() + 120
    while not socket.exists():
        assert time.monotonic() < deadline, f"pas de socket de contrôle {socket}"
        time.sleep(0.1)
    result = subprocess.run(  # noqa: S603 (gunicorn's own control client)
        [str(BIN / "gunicornc"), "-s", str(socket), "-c", "show listeners", "-j"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return [listener["address"] for listener in json.loads(result.stdout)["listeners"]]


def test_two_instances_side_by_side_each_answer_on_their_own_control_socket():
    first, second = free_port(), free_port()
    run = ROOT / "var" / "run"

    with ExitStack() as stack:
        for port in (first, second):
            stack.enter_context(gunicorn(port))

        assert listeners(run / f"gunicorn-127.0.0.1-{first}.ctl") == [f"http://127.0.0.1:{first}"]
        assert listeners(run / f"gunicorn-127.0.0.1-{second}.ctl") == [f"http://127.0.0.1:{second}"]

    assert not (run / f"gunicorn-127.0.0.1-{first}.ctl").exists()


def test_the_operator_can_name_the_control_socket(tmp_path):
    socket = tmp_path / "quartiers.ctl"
    port = free_port()

    with gunicorn(port, GUNICORN_CONTROL_SOCKET=str(socket)):
        assert listeners(socket) == [f"http://127.0.0.1:{port}"]


def answer(port: int, path: str) -> str:
    """The body of ``path`` once the instance on ``port`` answers."""
    deadline = time.monotonic() + 120  # a hang guard only, as above
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
                return reply.read().decode()
        except OSError:
            assert time.monotonic() < deadline, f"127.0.0.1:{port} ne répond pas"
            time.sleep(0.1)


def test_workers_start_with_the_preloaded_application_frozen_out_of_the_collector():
    # Every object the master loaded is left alone by the workers' full collections.
    port = free_port()

    with gunicorn(port, GUNICORN_PRELOAD="1"):
        frozen = int(answer(port, "/frozen"))

    assert frozen > 1000
