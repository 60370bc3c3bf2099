"""The moment a listing compares its dates with: now, to the next whole second.

A listing of what is not over yet (upcoming events, ads not expired) names the moment in
its query. Given ``timezone.now()`` to the microsecond, every request built another query,
which ``core.combined_queries`` compiled again each time (two of a cold home page's
querysets, issue 25 §2); to the second, the requests of that second share one compiled
query. Rounded up, never down: what ends within that second is already over, so nothing
expired is ever shown for an instant longer.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

ONE_SECOND = datetime.timedelta(seconds=1)


def query_moment() -> datetime.datetime:
    """Now (``timezone.now()``, which a test may freeze), rounded up to the whole second."""
    now = timezone.now()
    if now.microsecond:
        return now.replace(microsecond=0) + ONE_SECOND
    return now
