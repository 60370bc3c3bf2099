"""This test process playing another worker of the same server, for the page cache.

Workers of a server share the page cache's store (files, or Redis) and each keeps the
pages it served in its own memory (``core.page_cache.ProcessPages``): within
``another_worker()``, the middleware uses a memory of its own, empty as a worker's is at
its fork, then this process's own again. Only the page memory is another worker's:
the default cache (local memory without Redis), the fragments' read-ahead memory and the
host cache stay this process's, so what lives in a worker's memory elsewhere than the
page cache is not tried here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core import page_cache


@contextmanager
def another_worker() -> Iterator[page_cache.ProcessPages]:
    """Serve requests as another worker would within the block (its memory is yielded)."""
    own = page_cache.process_pages
    page_cache.process_pages = page_cache.ProcessPages()
    try:
        yield page_cache.process_pages
    finally:
        page_cache.process_pages = own
