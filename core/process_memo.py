"""A bounded, thread-safe memo kept in the process: what ``core``'s per-process memos
(readings, addresses, pictures, dates) share.

Each keeps values under keys that hold everything the value is made from, so that a value
found is the value that would be made now; the least recently used are dropped first
beyond ``size``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")

# What ``found`` answers for a key it does not hold (a kept value may be None).
MISSING = object()


class ProcessMemo(Generic[Value]):
    """At most ``size`` values by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def found(self, key: Hashable) -> Value | object:
        """The value kept under ``key``, else ``MISSING``."""
        with self._lock:
            value = self._values.get(key, MISSING)
            if value is not MISSING:
                self._values.move_to_end(key)
            return value

    def keep(self, key: Hashable, value: Value) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used beyond the size."""
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def made(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value kept under ``key``, else ``make()``'s, kept under it."""
        value = self.found(key)
        if value is MISSING:
            value = make()
            self.keep(key, value)
        return value

    def __len__(self) -> int:
        return len(self._values)
