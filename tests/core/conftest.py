"""What the tests of ``core``'s per-process memos share: every cache off, and one second
in which a stopped clock keeps their answers from one request to the next."""

import datetime

import pytest

# Within one second, as most requests of a busy portal fall: the memos' keys hold the
# moment to the second (``core.query_moment``).
ONE_SECOND = datetime.datetime(2026, 12, 3, 10, 0, 0, 200_000, tzinfo=datetime.UTC)


@pytest.fixture
def every_cache_off(settings) -> None:
    """No page cache nor fragment cache: each request reads and writes its page."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
