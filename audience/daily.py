"""The portal's table of daily views: what the tally hands over, how long it is kept, and
the "views" indicator the network's rollup folds (``audience.wagtail_hooks``)."""

from __future__ import annotations

import calendar
import datetime

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from audience.models import PageViews
from audience.tally import Counts, drain

# The French regulator's bound for audience data (docs/audience.md): 25 months.
RETENTION_MONTHS = 25


def add_views(counts: Counts) -> None:
    """Add ``counts`` to the current portal's table: a day, page and kind already there
    grows, one not there yet is added (one statement for all)."""
    if not counts:
        return
    table = connection.ops.quote_name(PageViews._meta.db_table)
    rows = [(day, page_id, kind, views) for (day, kind, page_id), views in counts.items()]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (day, page_id, referrer, views) VALUES (%s, %s, %s, %s) "  # noqa: S608 (the model's own table name, quoted)
            f"ON CONFLICT (day, page_id, referrer) DO UPDATE SET views = {table}.views + "
            "EXCLUDED.views",
            rows,
        )


def fold_tally() -> int:
    """Write the views counted for the current portal since the last fold into its table;
    how many."""
    return drain(add_views)


def retention_start(today: datetime.date) -> datetime.date:
    """The first day still kept on ``today``: the same day 25 months earlier (the last
    day of that month when it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - RETENTION_MONTHS, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(today.day, last_day))


def forget_old_views(today: datetime.date | None = None) -> int:
    """Delete the current portal's counts older than 25 months; how many rows."""
    start = retention_start(today or timezone.localdate())
    deleted, _ = PageViews.objects.filter(day__lt=start).delete()
    return deleted


def views_since(since: datetime.datetime) -> int:
    """The current portal's views from the day of ``since`` on (the "views" indicator:
    the rollup takes the difference between two days' starts)."""
    day = timezone.localdate(since)
    return PageViews.objects.filter(day__gte=day).aggregate(total=Sum("views"))["total"] or 0
