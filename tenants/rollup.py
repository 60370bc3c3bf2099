"""Folding each portal's activity, day by day, into one table of the public schema.

``tenants.activity`` reads a portal's schema at each display: about eight queries a
portal, which the network's list cannot afford at a thousand portals. ``fold_portal``
writes, for each day, one ``DailyIndicator`` row per indicator: the pages the portal
published that day, each feature's counter (``ACTIVITY_COUNTERS``) for that day, and the
number of its editors as seen when the day was folded. Before that, the ``BEFORE_FOLD``
hooks write what features counted elsewhere (the audience's views) to their tables. The
network's list then reads that table in one query (``network_activity``).

A feature's counter counts what was published *since* a moment; what a day published is
the difference between the counts since its start and since the next day's start. So
every counter the features already give serves, with nothing new to write in them. A
snapshot counter (subscribers, members: ``SNAPSHOT``) says how things stood at a moment:
its day's value is its count at the end of the day.

Safe to run again at any time (cron, hourly or nightly): a day folded again has its rows
replaced, not added. Each portal resumes from the last day it has folded, which is folded
again (it may have been folded while under way). A portal that fails is reported and the
others go on; the next run resumes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.activity import WINDOW, active_contributors, editors
from tenants.extension_points import SNAPSHOT, ActivityCounter, activity_counters, before_fold
from tenants.models import DailyIndicator, Neighbourhood

# The platform's own indicators; the features' carry their counter's key.
PAGES = "pages"
EDITORS = "editors"
CONTRIBUTORS = "contributors"
# Indicators that say how things stand on a day rather than what happened in it: the
# network's screens show their latest value, never a sum over days.
SNAPSHOTS = frozenset({EDITORS})


def _no_count(moment: datetime.datetime) -> int:  # pages and editors are folded apart
    return 0


def platform_counters() -> list[ActivityCounter]:
    """The indicators every portal has whatever its features: pages published, editors
    and the people who edited something in the last 30 days (Wagtail's revisions)."""
    return [
        ActivityCounter(PAGES, _("Pages publiées"), _no_count),
        ActivityCounter(EDITORS, _("Comptes d'édition"), _no_count, kind=SNAPSHOT),
        ActivityCounter(
            CONTRIBUTORS, _("Contributeurs actifs (30 j)"), active_contributors, kind=SNAPSHOT
        ),
    ]


def indicator_catalogue() -> list[ActivityCounter]:
    """Every indicator a portal folds, the platform's first, then the features' in the
    order the apps are installed: what the dashboards and exports show."""
    return platform_counters() + activity_counters()


def snapshot_keys(counters: Iterable[ActivityCounter] | None = None) -> frozenset[str]:
    """The keys of the indicators whose period value is their last day's, not a sum."""
    counters = indicator_catalogue() if counters is None else counters
    return SNAPSHOTS | {counter.key for counter in counters if counter.is_snapshot}


# How far back a portal's first fold goes: what the network's list shows.
FIRST_FOLD_DAYS = WINDOW.days


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day``, in the network's time zone (``TIME_ZONE``)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def days_to_fold(portal: Neighbourhood, today: datetime.date) -> list[datetime.date]:
    """The days ``portal`` still has to fold up to ``today``: from the last day it folded
    (again: it may have been folded under way), else from its opening or the window's
    start, whichever is later."""
    last = DailyIndicator.objects.filter(portal=portal, indicator=PAGES).aggregate(last=Max("day"))[
        "last"
    ]
    if last is None:
        opened = timezone.localdate(portal.created_at) if portal.created_at else today
        last = max(opened, today - datetime.timedelta(days=FIRST_FOLD_DAYS - 1))
    return [last + datetime.timedelta(days=n) for n in range((today - last).days + 1)]


def _day_values(
    portal: Neighbourhood, days: list[datetime.date], counters: list[ActivityCounter]
) -> dict[datetime.date, dict[str, int]]:
    """Each day's indicators, read from the current (portal) schema."""
    opened = portal.created_at or _start_of(days[0])
    # The template's pages, published when it was built, are not the portal's work.
    own_pages = Page.objects.live().filter(last_published_at__gte=opened)

    counters = [counter for counter in counters if counter.key not in (PAGES, EDITORS)]
    sums = [counter for counter in counters if not counter.is_snapshot]
    snapshots = [counter for counter in counters if counter.is_snapshot]

    def published_since(moment: datetime.datetime) -> dict[str, int]:
        counts = {PAGES: own_pages.filter(last_published_at__gte=moment).count()}
        counts.update({counter.key: counter.count(moment) for counter in sums})
        return counts

    boundaries = [_start_of(day) for day in days]
    boundaries.append(_start_of(days[-1] + datetime.timedelta(days=1)))
    since = [published_since(moment) for moment in boundaries]
    editing = editors().count()
    return {
        day: {key: since[n][key] - since[n + 1][key] for key in since[n]}
        | {counter.key: counter.count(boundaries[n + 1]) for counter in snapshots}
        | {EDITORS: editing}
        for n, day in enumerate(days)
    }


def fold_portal(
    portal: Neighbourhood,
    today: datetime.date | None = None,
    counters: list[ActivityCounter] | None = None,
) -> int:
    """Fold ``portal``'s days not yet folded, up to ``today`` (so far); return how many."""
    today = today or timezone.localdate()
    days = days_to_fold(portal, today)
    counters = indicator_catalogue() if counters is None else counters
    with tenant_context(portal):
        # What features counted outside the database (the audience's views) lands first.
        before_fold(today)
        values = _day_values(portal, days, counters)
    DailyIndicator.objects.bulk_create(
        [
            DailyIndicator(portal=portal, day=day, indicator=indicator, value=value)
            for day, indicators in values.items()
            for indicator, value in indicators.items()
        ],
        update_conflicts=True,
        unique_fields=["portal", "day", "indicator"],
        update_fields=["value"],
    )
    return len(days)


@dataclass
class RollupReport:
    """What a run folded: days per portal, and the portals that failed with their error."""

    folded: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def fold_network(
    portals: Iterable[Neighbourhood],
    today: datetime.date | None = None,
    report: Callable[[str], None] = print,
) -> RollupReport:
    """Fold every portal of ``portals``, one line of progress each; a portal that fails
    is reported and the others go on."""
    portals = list(portals)
    counters = indicator_catalogue()
    outcome = RollupReport()
    for number, portal in enumerate(portals, start=1):
        try:
            with transaction.atomic():  # a portal's days are folded whole, or not at all
                days = fold_portal(portal, today, counters)
        except Exception as error:  # one portal's failure must not stop the others
            outcome.failed[portal.schema_name] = f"{type(error).__name__}: {error}".strip()
            report(f"portail {number}/{len(portals)} : {portal.schema_name} … échec : {error}")
            continue
        outcome.folded[portal.schema_name] = days
        report(f"portail {number}/{len(portals)} : {portal.schema_name} … {days} jour(s)")
    return outcome


@dataclass(frozen=True)
class PortalActivity:
    """A portal's activity over the window, as folded: each indicator's total (or latest
    value, for a snapshot) and the last day it published anything."""

    values: dict[str, int]
    last_published_on: datetime.date | None
    folded_until: datetime.date | None

    def value(self, indicator: str) -> int:
        """The indicator's total over the window (0 when never folded)."""
        return self.values.get(indicator, 0)


NOTHING_FOLDED = PortalActivity(values={}, last_published_on=None, folded_until=None)


def network_activity(
    today: datetime.date | None = None,
    since: datetime.date | None = None,
    portals: Iterable[int] | None = None,
) -> dict[int, PortalActivity]:
    """Every portal's activity over the last 30 days folded (or from ``since``), by
    portal id: one query, whatever the number of portals. ``portals`` (ids) narrows it."""
    today = today or timezone.localdate()
    since = since or today - datetime.timedelta(days=WINDOW.days - 1)
    snapshots = snapshot_keys()
    rows = DailyIndicator.objects.filter(day__gte=since, day__lte=today)
    if portals is not None:
        rows = rows.filter(portal_id__in=list(portals))
    rows = rows.values("portal_id", "indicator").annotate(
        total=Sum("value"),
        latest=ArrayAgg("value", order_by="-day"),
        last_active=Max("day", filter=Q(value__gt=0)),
        last_day=Max("day"),
    )
    gathered: dict[int, dict] = {}
    for row in rows:
        portal = gathered.setdefault(
            row["portal_id"], {"values": {}, "last_published_on": None, "folded_until": None}
        )
        snapshot = row["indicator"] in snapshots
        portal["values"][row["indicator"]] = row["latest"][0] if snapshot else row["total"]
        if not snapshot and row["last_active"]:
            portal["last_published_on"] = max(
                filter(None, [portal["last_published_on"], row["last_active"]])
            )
        portal["folded_until"] = max(filter(None, [portal["folded_until"], row["last_day"]]))
    return {portal_id: PortalActivity(**values) for portal_id, values in gathered.items()}
