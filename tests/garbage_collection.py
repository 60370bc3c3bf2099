"""Python's cycle collector, tuned for a test process (issue 23 §6: fast feedback).

A test worker holds Django, Wagtail, every collected test and the fixtures' objects: a
heap of a few million objects. With CPython's default thresholds (a young collection every
700 allocations, a full one every hundred of those) the collector walked that heap again
and again while the tests allocated querysets, templates' contexts and rows by the
thousand. Here:

- collections are rarer (``YOUNG_THRESHOLD``): a test allocates in bursts and frees most
  of it by reference counting alone, which the thresholds do not change;
- once collection is over, what exists then (modules, classes, the collected items) is
  moved out of the collector's sight (``gc.freeze``): it lives as long as the process.

Alternated runs of the same modules on this machine, CPU of the pytest process and what
it started: tests/core and a security module (283 tests), 58.1 and 57.8 s with the
defaults, 53.5 and 54.1 s tuned (7 % less); tests/core, tests/classifieds and a browser
module (three pairs), 67.4, 65.8 and 70.2 s against 65.7, 65.6 and 65.4 s (3 % less:
Chromium's share is untouched). Cycles are still collected: nothing here turns the
collector off, and a test that counts on it (``gc.collect()``) still gets it.

Loaded by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import gc

import pytest

# Allocations (less deallocations) between two young collections; CPython's default is 700.
YOUNG_THRESHOLD = 100_000
# Young collections between two of the middle generation, middle ones between two full
# ones (CPython: 10 and 10); full collections also wait for a quarter of the heap's growth.
MIDDLE_THRESHOLD = 50
OLD_THRESHOLD = 100


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
