"""``bench/suite_cost.py`` finds the run's processes and counts their CPU where it goes."""

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.suite_cost import (
    AUTOVACUUM,
    OTHER,
    POSTGRES,
    PYTHON,
    SERVER,
    TESTS,
    Process,
    Tally,
    count_workers,
    descendants,
    kind_of,
    read_processes,
)


def test_a_child_of_the_run_is_found_and_its_cpu_counted_under_its_kind(tmp_path: Path) -> None:
    # A Python child that burns CPU, and a shell below it: both descend from this process.
    burn = "import subprocess, time\nend = time.process_time() + 0.6\n"
    burn += "while time.process_time() < end: pass\nsubprocess.run(['sleep', '2'])\n"
    child = subprocess.Popen([sys.executable, "-c", burn])  # noqa: S603 (this Python, our code)
    try:
        time.sleep(0.1)
        tally = Tally()
        tally.read(os.getpid(), tmp_path)  # tmp_path: no tests' PostgreSQL there
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            processes = read_processes()
            below = descendants(processes, {child.pid}) - {child.pid}
            if below:
                break
            time.sleep(0.05)
        tally.read(os.getpid(), tmp_path)
    finally:
        child.kill()
        child.wait()

    assert below, "the child's own child (sleep) is not found below it"
    assert kind_of(processes[child.pid], set()) == PYTHON
    assert kind_of(processes[below.pop()], set()) == OTHER
    assert kind_of(processes[os.getpid()], set()) == TESTS
    assert tally.by_kind[PYTHON] >= 0.4


def test_a_process_a_worker_forks_is_not_counted_as_one_more_worker() -> None:
    bootstrap = "python -u -c import sys;exec(eval(sys.stdin.readline()))"
    processes = {
        1: Process(1, 0, 0, 0, "/usr/bin/python3", "python .venv/bin/pytest -n 2"),
        2: Process(2, 1, 0, 0, "/usr/bin/python3", bootstrap),
        3: Process(3, 1, 0, 0, "/usr/bin/python3", bootstrap),
        4: Process(4, 3, 0, 0, "/usr/bin/python3", bootstrap),  # forked by worker 3
    }

    assert count_workers(processes, {1, 2, 3, 4}) == 2
    assert count_workers(processes, {1, 3, 4}) == 1


def test_the_servers_processes_are_told_apart_by_their_titles() -> None:
    def kind(title: str) -> str:
        return kind_of(Process(7, 1, 0, 0, "/opt/pg/bin/postgres", title), {1, 7})

    assert kind("postgres: root test_quartiers_gw0 [local] idle") == POSTGRES
    assert kind("postgres: root test_quartiers 127.0.0.1(51234) SELECT") == POSTGRES
    assert kind("postgres: autovacuum worker test_quartiers_gw1") == AUTOVACUUM
    assert kind("postgres: checkpointer ") == SERVER
