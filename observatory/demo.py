"""Some weeks of plausible history for the demo network, so that the charts show
something on ``make run``.

Written straight into the folded indicators for past days (the portals' schemas hold only
today's demo content), never over a day already folded: running it again changes nothing,
and the nightly rollup's own figures win.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tenants.extension_points import ActivityCounter
from tenants.models import DailyIndicator, Neighbourhood
from tenants.rollup import EDITORS, indicator_catalogue

HISTORY_DAYS = 8 * 7
# A typical day's figure for the indicators that add up (events are rarer than posts);
# the others get 0 to 2 a day.
TYPICAL = {"pages": 3, "reactions": 4, "registrations": 5, "attendance": 4, "articles": 1}
# Where the snapshots start, eight weeks ago (they grow slowly).
STARTS = {EDITORS: 4, "contributors": 3, "subscribers": 40}


def _day_value(counter: ActivityCounter, rng: random.Random, n: int, day: datetime.date) -> int:
    if counter.is_snapshot:
        start = STARTS.get(counter.key, 5)
        return start + round(n * start / HISTORY_DAYS * rng.uniform(0.3, 0.7))
    typical = TYPICAL.get(counter.key, 0.6)
    weekend = 0.5 if day.weekday() >= 5 else 1.0  # quieter weekends
    return max(0, round(rng.gauss(typical * weekend, typical * 0.6)))


def seed_history(today: datetime.date | None = None) -> int:
    """Past days' indicators for every demo portal that has none for them; how many rows
    were added."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    catalogue = indicator_catalogue()
    rows = []
    for portal in Neighbourhood.objects.order_by("pk"):
        # Seeded by the portal's name: the same history every time, a different one each.
        rng = random.Random(portal.schema_name)  # noqa: S311 -- demo figures, not secrets
        liveliness = rng.uniform(0.5, 1.6)
        for n in range(HISTORY_DAYS):
            day = first + datetime.timedelta(days=n)
            for counter in catalogue:
                value = _day_value(counter, rng, n, day)
                if not counter.is_snapshot:
                    value = round(value * liveliness)
                rows.append(
                    DailyIndicator(portal=portal, day=day, indicator=counter.key, value=value)
                )
    past = DailyIndicator.objects.filter(day__gte=first, day__lt=today)
    before = past.count()
    # Days already there (folded, or seeded before) are left as they are.
    DailyIndicator.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return past.count() - before
