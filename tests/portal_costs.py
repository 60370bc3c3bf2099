"""What the test modules' portals cost: seconds spent opening them (``provision``, once a
portal), removing them (``drop``, once a module: putting their schemas back for the next
modules, ``tests/portal_pool.py``; ``not-kept``: a schema dropped instead, its structure
changed), tidying the catalogue after them (``tidy``), filling browser
journeys' portals with the demo's content (``seed``) and drawing renditions (``rendition``,
or ``rendition-memo`` when one drawn before in the process was taken, ``rendition-disk``
when one drawn by another process or run was: ``tests/rendition_memo.py``), and the
seconds a browser journey still waited for the next 30 s step of a second factor
(``totp-wait``: ``next_code`` in ``tests/conftest.py``), summed over a run (issue 23 §6:
the suite's fixed costs).

Each process adds up its own; at the end of the session each writes its sums to
``var/test-portal-seconds/<worker>.json`` and the run's summary prints them, so that a
change to the fixtures (``tests/conftest.py``) can be measured against the same modules.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_seconds: defaultdict[str, float] = defaultdict(float)
_counts: defaultdict[str, int] = defaultdict(int)


@contextmanager
def timed(step: str) -> Iterator[None]:
    """Add the block's wall time to ``step``'s sum in this process."""
    started = time.perf_counter()
    try:
        yield
    finally:
        add(step, time.perf_counter() - started)


def add(step: str, seconds: float) -> None:
    """Add ``seconds`` (one more time) to ``step``'s sum in this process."""
    _seconds[step] += seconds
    _counts[step] += 1


def folder() -> Path:
    return Path(settings.BASE_DIR) / "var/test-portal-seconds"


def write() -> None:
    """This process's sums, in its worker's file (``main`` without xdist)."""
    if not _seconds:
        return
    folder().mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    sums = {
        step: {"seconds": round(total, 1), "times": _counts[step]}
        for step, total in _seconds.items()
    }
    (folder() / f"{worker}.json").write_text(json.dumps(sums, indent=1) + "\n")


def forget_earlier_runs() -> None:
    """Remove the files of an earlier run (by the controller, before its workers start)."""
    for path in folder().glob("*.json"):
        path.unlink(missing_ok=True)


def summary() -> list[str]:
    """One line per step: seconds and times, summed over every worker of this run."""
    seconds: defaultdict[str, float] = defaultdict(float)
    times: defaultdict[str, int] = defaultdict(int)
    for path in sorted(folder().glob("*.json")):
        for step, sums in json.loads(path.read_text()).items():
            seconds[step] += sums["seconds"]
            times[step] += sums["times"]
    return [f"{step:10} {seconds[step]:8.1f} s  ({times[step]} fois)" for step in sorted(seconds)]
