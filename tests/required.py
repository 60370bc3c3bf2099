"""Tests a run requires: a skipped test of a required marker fails the run.

Tests that need something outside Python (``browser``: Chromium) skip, with their reason,
where it is missing, so that ``make test`` works on any machine. CI must not: a moved
executable or a new image would otherwise drop them behind one summary line while the
run stays green. ``.ci/run`` sets ``QUARTIERS_REQUIRE=browser`` (markers separated by
commas); a test carrying one of these markers that skips, for whatever reason, is then
reported as failed with the reason it gave.

Loaded by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

REQUIRE_VARIABLE = "QUARTIERS_REQUIRE"


def required_markers() -> set[str]:
    """The markers named by ``QUARTIERS_REQUIRE`` (empty when it is unset)."""
    names = os.environ.get(REQUIRE_VARIABLE, "").split(",")
    return {name.strip() for name in names if name.strip()}


def pytest_configure(config: pytest.Config) -> None:
    # A misspelt marker would require nothing, silently: refuse it before any test runs.
    registered = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    unknown = required_markers() - registered
    if unknown:
        raise pytest.UsageError(
            f"{REQUIRE_VARIABLE} nomme des marqueurs inconnus : {', '.join(sorted(unknown))} "
            f"(marqueurs déclarés : {', '.join(sorted(registered))})."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    required = required_markers() & {mark.name for mark in item.iter_markers()}
    # An expected failure (xfail) is reported as skipped too: it is not a missing tool.
    if report.skipped and required and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"Test {', '.join(sorted(required))} ignoré alors que {REQUIRE_VARIABLE} "
            f"l'exige : {reason}"
        )
    return report
