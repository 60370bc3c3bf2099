"""What ``make test`` costs this machine: wall time, and its CPU by kind of process.

    .venv/bin/python bench/suite_cost.py [--fresh] [--interval 0.5]

Runs ``make test`` (in this checkout, or with ``--fresh`` in a new clone of its committed
``HEAD`` in a temporary folder, as CI does) and, while it runs, reads ``/proc`` every
``--interval`` seconds: the machine's busy and idle time (``/proc/stat``), and the CPU
of each process the run started, by kind:

- the test processes (pytest and its xdist workers, with the live servers they run in
  threads);
- Chromium (every process of the browsers the journeys drive) and Playwright's driver;
- the tests' PostgreSQL (the embedded server of the checkout's ``var/pgdata-test``; nothing
  when ``DATABASE_URL`` points elsewhere), in three lines: its client sessions, autovacuum,
  and the server's own processes (checkpointer, WAL writer...), told apart by their titles;
- the other Python processes (``manage.py`` commands and servers that tests start, the
  lint, the early build of the test database);
- the rest (make, nginx, git...).

The machine's other processes (its services, the bench itself) are counted apart, by
name. A process that starts and ends between two readings is not seen: the machine's busy
time less what was seen is printed as such, with the idle time. The machine's busy and idle
time is also shared out by phase: before the test workers start (the lint, the early
build of the test database, collection), while every worker is at work, and after the
first one ended (a worker with nothing left to take leaves a core to the other). Then
the figure issue 23 §6 asks about: five minutes on this machine's cores, against the
core-seconds the run took.

Not part of ``make bench`` (a run of the whole suite takes ten minutes and more here).
Speed figures vary two- to threefold between machines: compare runs of one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
GOAL_SECONDS = 5 * 60

TESTS = "tests (pytest, its workers, their live servers)"
CHROMIUM = "Chromium"
PLAYWRIGHT = "Playwright's driver"
POSTGRES = "the tests' PostgreSQL: sessions"
AUTOVACUUM = "the tests' PostgreSQL: autovacuum"
SERVER = "the tests' PostgreSQL: the rest (checkpointer, WAL writer, postmaster)"
PYTHON = "other Python processes (commands and servers the tests start, the lint)"
OTHER = "other processes (make, nginx, git...)"
# A client session's title: "postgres: <user> <database> [local] <state>", or the
# client's address and port in place of "[local]".
SESSION_TITLE = re.compile(r"postgres: \S+ \S+ (\[local\]|\S+\(\d+\))")
KINDS = [TESTS, CHROMIUM, PLAYWRIGHT, POSTGRES, AUTOVACUUM, SERVER, PYTHON, OTHER]


@dataclass
class Process:
    """What one reading of ``/proc/<pid>`` says of a process."""

    pid: int
    parent: int
    # when it started (ticks since boot): a pid used again is another process
    started: int
    ticks: int
    exe: str
    cmdline: str


def read_processes() -> dict[int, Process]:
    """Every process of the machine, with its parent and CPU ticks so far."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            try:
                exe = os.readlink(entry / "exe")
            except OSError:
                exe = ""
        except (OSError, IndexError):
            continue  # ended while read
        pid = int(entry.name)
        ticks = int(fields[11]) + int(fields[12])
        found[pid] = Process(pid, int(fields[1]), int(fields[19]), ticks, exe, cmdline)
    return found


def machine_ticks() -> tuple[int, int]:
    """The machine's busy and idle ticks so far, all cores (``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    # guest time is already counted in user time
    busy = sum(values[:8]) - idle
    return busy, idle


def descendants(processes: dict[int, Process], roots: set[int]) -> set[int]:
    """``roots`` and every process below them."""
    children: defaultdict[int, list[int]] = defaultdict(list)
    for process in processes.values():
        children[process.parent].append(process.pid)
    found, waiting = set(), [root for root in roots if root in processes]
    while waiting:
        pid = waiting.pop()
        if pid not in found:
            found.add(pid)
            waiting += children[pid]
    return found


def kind_of(process: Process, postgres: set[int]) -> str:
    """Which line of the table a process's CPU goes to."""
    if process.pid in postgres:
        # a server process says what it is in its title: "postgres: autovacuum worker"...
        if "autovacuum" in process.cmdline:
            return AUTOVACUUM
        if SESSION_TITLE.match(process.cmdline):
            return POSTGRES
        return SERVER
    if "chromium" in process.exe or "chromium" in process.cmdline.split(" ", 1)[0]:
        return CHROMIUM
    if "playwright" in process.cmdline and "node" in process.exe:
        return PLAYWRIGHT
    if "python" in Path(process.exe).name:
        if "pytest" in process.cmdline or is_worker(process):
            return TESTS
        return PYTHON
    return OTHER


def _outside_name(process: Process) -> str:
    """How a process that is not the run's is named in the table."""
    if process.pid == os.getpid():
        return "this bench"  # its readings of /proc
    # The kernel's own threads have no executable.
    return Path(process.exe).name if process.exe else "the kernel"


def postmaster_pid(checkout: Path) -> int | None:
    """The tests' embedded PostgreSQL server of ``checkout``, when it runs."""
    try:
        return int((checkout / "var/pgdata-test/postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


BEFORE = "before the test workers (lint, the test database's build, collection)"
ALL = "every test worker at work"
TAIL = "after a worker ended (the last modules, the end)"
PHASES = [BEFORE, ALL, TAIL]


def is_worker(process: Process) -> bool:
    """An xdist worker (started through execnet's bootstrap line)."""
    return "exec(eval(sys.stdin.readline()))" in process.cmdline


def count_workers(processes: dict[int, Process], among: set[int]) -> int:
    """The xdist workers among ``among``: a process a worker forks (the tests of
    ``migrate_network``'s worker processes) carries the same command line, and is none."""

    def forked_by_a_worker(process: Process) -> bool:
        parent = processes.get(process.parent)
        return parent is not None and is_worker(parent)

    return sum(
        is_worker(processes[pid]) and not forked_by_a_worker(processes[pid]) for pid in among
    )


@dataclass
class Phase:
    """The machine's wall, busy and idle seconds during one phase of the run."""

    wall: float = 0.0
    busy: float = 0.0
    idle: float = 0.0


@dataclass
class Tally:
    """CPU seconds seen by kind, and the machine's busy and idle seconds by phase."""

    by_kind: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    phases: dict[str, Phase] = field(default_factory=lambda: {name: Phase() for name in PHASES})
    _last: dict[tuple[int, int], int] = field(default_factory=dict)
    # Other processes of the machine (services, the bench itself), by executable's name.
    outside: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    _machine: tuple[int, int, float] | None = None
    _most_workers: int = 0

    @property
    def busy(self) -> float:
        return sum(phase.busy for phase in self.phases.values())

    @property
    def idle(self) -> float:
        return sum(phase.idle for phase in self.phases.values())

    def read(self, run: int, checkout: Path) -> None:
        """Add what the run's processes, and the machine, spent since the last reading."""
        processes = read_processes()
        server = postmaster_pid(checkout)
        postgres = descendants(processes, {server}) if server else set()
        # pg_ctl's server leaves the run's process tree (its parent becomes init):
        # counted through its own pid instead.
        ours = descendants(processes, {run}) | postgres
        first = self._machine is None
        for pid, process in processes.items():
            key = (pid, process.started)
            # What a process of the machine spent before the run is not the run's.
            before = self._last.get(key, process.ticks if first else 0)
            spent = (process.ticks - before) / TICKS
            self._last[key] = process.ticks
            if pid in ours:
                self.by_kind[kind_of(process, postgres)] += spent
            elif spent:
                self.outside[_outside_name(process)] += spent
        self._add_machine(count_workers(processes, ours))

    def _add_machine(self, workers: int) -> None:
        busy, idle = machine_ticks()
        now = time.monotonic()
        if self._machine is not None:
            self._most_workers = max(self._most_workers, workers)
            if not self._most_workers:
                phase = self.phases[BEFORE]
            elif workers == self._most_workers:
                phase = self.phases[ALL]
            else:
                phase = self.phases[TAIL]
            phase.wall += now - self._machine[2]
            phase.busy += (busy - self._machine[0]) / TICKS
            phase.idle += (idle - self._machine[1]) / TICKS
        self._machine = (busy, idle, now)


def run_suite(checkout: Path, interval: float) -> tuple[float, Tally, int]:
    """``make test`` in ``checkout``, read every ``interval`` s; its wall time, the
    tally and its exit status."""
    tally = Tally()
    started = time.monotonic()
    (checkout / "var").mkdir(exist_ok=True)
    log = checkout / "var/bench-suite.log"
    with log.open("w") as out:
        make = subprocess.Popen(
            ["make", "test"], cwd=checkout, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        last_said = started
        while make.poll() is None:
            tally.read(make.pid, checkout)
            time.sleep(interval)
            if time.monotonic() - last_said >= 60:
                last_said = time.monotonic()
                print(f"  … {last_said - started:.0f} s", flush=True)
    tally.read(make.pid, checkout)
    return time.monotonic() - started, tally, make.returncode


def fresh_clone() -> Path:
    """A new clone of this checkout's committed ``HEAD``, as CI takes it."""
    folder = Path(tempfile.mkdtemp(prefix="quartiers-suite-"))
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    return folder


def costliest_modules(checkout: Path, count: int = 10) -> list[tuple[str, float]]:
    """The run's costliest test modules (``tests/schedule.py`` writes them)."""
    try:
        seconds = json.loads((checkout / "var/test-module-seconds.json").read_text())
    except (OSError, ValueError):
        return []
    return sorted(seconds.items(), key=lambda item: -item[1])[:count]


def print_report(wall: float, tally: Tally, checkout: Path) -> None:
    """The measured table, then what five minutes would ask of this machine."""
    seen = sum(tally.by_kind.values())
    print(f"\n## make test: {wall:.0f} s on {CORES} cores\n")
    print("| part | core-seconds | share of the machine |")
    print("| --- | ---: | ---: |")
    whole = tally.busy + tally.idle
    for kind in KINDS:
        value = tally.by_kind.get(kind, 0.0)
        print(f"| {kind} | {value:,.0f} | {100 * value / whole:.0f} % |")
    outside = sum(tally.outside.values())
    names = ", ".join(
        f"{name} {seconds:,.0f}"
        for name, seconds in sorted(tally.outside.items(), key=lambda item: -item[1])[:4]
    )
    share = 100 * outside / whole
    print(f"| the machine's other processes ({names}) | {outside:,.0f} | {share:.0f} % |")
    unseen = max(tally.busy - seen - outside, 0.0)
    share = 100 * unseen / whole
    print(f"| processes too short to be seen | {unseen:,.0f} | {share:.0f} % |")
    print(f"| idle | {tally.idle:,.0f} | {100 * tally.idle / whole:.0f} % |")
    print("\n| phase | wall seconds | busy core-seconds | idle core-seconds |")
    print("| --- | ---: | ---: | ---: |")
    for name, phase in tally.phases.items():
        print(f"| {name} | {phase.wall:,.0f} | {phase.busy:,.0f} | {phase.idle:,.0f} |")
    budget = CORES * GOAL_SECONDS
    if tally.busy:
        print(
            f"\nThe run took {tally.busy:,.0f} core-seconds of the machine ({seen:,.0f} seen in "
            f"its processes). Five minutes on {CORES} cores offer {budget:,} at most: "
            f"{max(tally.busy - budget, 0):,.0f} fewer would be needed "
            f"({max(1 - budget / tally.busy, 0) * 100:.0f} %)."
        )
    modules = costliest_modules(checkout)
    if modules:
        print("\n| module (the ten costliest) | seconds |")
        print("| --- | ---: |")
        for name, seconds in modules:
            print(f"| {name} | {seconds:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fresh", action="store_true", help="in a new clone of HEAD, as CI")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between readings")
    options = parser.parse_args()
    checkout = fresh_clone() if options.fresh else ROOT
    print(f"make test dans {checkout} (lecture de /proc toutes les {options.interval} s)…")
    try:
        wall, tally, status = run_suite(checkout, options.interval)
    finally:
        if options.fresh:
            # The clone's embedded servers would stay up, idle, after the bench.
            subprocess.run(["make", "db-stop"], cwd=checkout, capture_output=True)
    if status:
        print(
            f"\nmake test a échoué (code {status}) : "
            "les chiffres ci-dessous sont d'une suite incomplète."
        )
    print_report(wall, tally, checkout)
    print(f"\nJournal de la suite : {checkout / 'var/bench-suite.log'} (code de sortie {status}).")
    sys.exit(status)


if __name__ == "__main__":
    main()
