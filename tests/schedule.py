"""The slowest test modules first, so that both xdist workers finish together.

``make test`` hands whole modules to its workers (``--dist loadfile``: a module's portals
are provisioned once, on one worker). xdist hands them out in the order it is given, or by
their number of tests (its default ``loadscope-reorder``), which knows nothing of their
cost: a browser journey of three tests or the hostile-input module came last, and one
worker ran them alone for minutes while the other sat idle (issue 23 §6). Here the modules
are put in order of their measured cost, longest first (the classic "longest processing
time first" rule), and xdist keeps that order.

The costs are ``tests/module_seconds.json``: seconds per module (set-up, calls and
tear-down), as measured by a full run of the suite (``make test``) on this machine. Only
their order matters, and the order holds on a loaded machine even when every figure
grows; refresh them from a full run after a change that moves a module's cost (a new
slow module, a fixture made cheaper), as said below. A module it does not know (a new one)
counts as costing nothing and runs among the quick ones, in collection order: nothing is
ever left out, only ordered. Every run writes what it measured to
``var/test-module-seconds.json``; copy it over ``tests/module_seconds.json`` after a full
run to refresh the order.

Loaded by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

COSTS = Path(__file__).with_name("module_seconds.json")
MEASURED = Path(__file__).resolve().parent.parent / "var/test-module-seconds.json"

# Seconds per module measured in this process (set-up, call and tear-down of each test).
_seconds: defaultdict[str, float] = defaultdict(float)


def module_of(nodeid: str) -> str:
    """``tests/x/test_y.py`` for any test id of that module."""
    return nodeid.split("::", 1)[0]


def known_costs() -> dict[str, float]:
    """Seconds per module, as last measured (empty if the file is missing or unreadable)."""
    try:
        return {name: float(seconds) for name, seconds in json.loads(COSTS.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def pytest_configure(config: pytest.Config) -> None:
    # xdist's own reordering (by number of tests) would undo the order set below.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def longest_first(nodeids: list[str], costs: dict[str, float]) -> list[str]:
    """The test ids, their modules in order of cost (the costliest first, unknown ones
    last in collection order); each module's tests stay together, in their order."""
    first_seen: dict[str, int] = {}
    for nodeid in nodeids:
        first_seen.setdefault(module_of(nodeid), len(first_seen))
    return sorted(
        nodeids,
        key=lambda nodeid: (-costs.get(module_of(nodeid), 0.0), first_seen[module_of(nodeid)]),
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    position = {
        nodeid: index
        for index, nodeid in enumerate(
            longest_first([item.nodeid for item in items], known_costs())
        )
    }
    items.sort(key=lambda item: position[item.nodeid])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Under xdist the controller receives every worker's reports: it sums them all.
    _seconds[module_of(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write what this run measured, merged with what earlier runs measured of the
    modules it did not run (``-k``, a single module...)."""
    if hasattr(session.config, "workerinput"):
        return  # the controller writes, from every worker's reports
    if not _seconds:
        return
    try:
        merged = json.loads(MEASURED.read_text())
    except (OSError, ValueError):
        merged = {}
    merged.update({name: round(total, 1) for name, total in _seconds.items()})
    MEASURED.parent.mkdir(parents=True, exist_ok=True)
    MEASURED.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n")
