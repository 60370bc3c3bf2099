"""How alive a portal is: what it published lately, and how many people edit it.

The features say what else to count (blog posts, classifieds, episodes...) through the
ACTIVITY_COUNTERS extension point; the pages, the last publication and the editors are
the platform's own. Read from the portal's own schema (``tenant_context``), one portal at
a time: about eight small queries, for one portal's page in the network's admin. The
network's list reads the same indicators folded day by day into the public schema
(``tenants.rollup``), never every schema at each display.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import Page, Revision

from tenants.extension_points import ActivityCounter, activity_counters
from tenants.models import Neighbourhood

WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Count:
    """One feature's indicator for one portal: its label and what it counted."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Activity:
    """A portal's activity over the last 30 days, and its editors.

    ``counts`` holds the features' indicators (blog posts, classifieds, episodes...), in
    the order of ``tenants.extension_points.activity_counters()``.
    """

    pages: int = 0
    counts: tuple[Count, ...] = ()
    last_published_at: datetime.datetime | None = None
    editors: int = 0

    def count(self, key: str) -> int:
        """The value of the indicator ``key`` (0 if no feature counts it)."""
        return next((count.value for count in self.counts if count.key == key), 0)


def portal_activity(
    neighbourhood: Neighbourhood,
    now: datetime.datetime | None = None,
    counters: list[ActivityCounter] | None = None,
) -> Activity:
    """What ``neighbourhood`` published in the last 30 days, read from its schema.

    Only publications since the portal opened count: a clone carries the template's
    pages, published when the template was built, which are not the portal's work.
    ``counters`` defaults to every registered one (pass them when listing many portals).
    """
    now = now or timezone.now()
    opened = neighbourhood.created_at or now - WINDOW
    since = max(now - WINDOW, opened)
    if counters is None:
        counters = activity_counters()
    with tenant_context(neighbourhood):
        own_pages = Page.objects.live().filter(last_published_at__gte=opened)
        recent_pages = own_pages.filter(last_published_at__gte=since)
        moments = [own_pages.aggregate(last=Max("last_published_at"))["last"]]
        moments += [counter.last_published() for counter in counters if counter.last_published]
        return Activity(
            pages=recent_pages.count(),
            counts=tuple(
                # A snapshot says how things stand now; the others count since the start.
                Count(
                    counter.key,
                    str(counter.label),
                    counter.count(now if counter.is_snapshot else since),
                )
                for counter in counters
            ),
            last_published_at=max((moment for moment in moments if moment), default=None),
            editors=editors().count(),
        )


def active_contributors(moment: datetime.datetime) -> int:
    """How many accounts saved a page in the 30 days before ``moment`` (Wagtail's revisions
    record who saved what): the portal's active contributors, animators included."""
    return (
        Revision.objects.filter(created_at__lt=moment, created_at__gte=moment - WINDOW)
        .exclude(user=None)
        .values("user")
        .distinct()
        .count()
    )


def editors():
    """Active accounts that can open the portal's admin (superusers, or through a group)."""
    access_admin = Q(
        groups__permissions__codename="access_admin",
        groups__permissions__content_type__app_label="wagtailadmin",
    ) | Q(
        user_permissions__codename="access_admin",
        user_permissions__content_type__app_label="wagtailadmin",
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | access_admin)
        .distinct()
    )
