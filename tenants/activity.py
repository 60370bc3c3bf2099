"""How alive a portal is: what it published lately, and how many people edit it.

Read from the portal's own schema (``tenant_context``), one portal at a time. The network
list calls it once per row: about eight small queries per portal, fine for tens of
portals. Past a few hundred, the same function would fill a periodic table (one row per
portal, refreshed by a nightly command) or a per-portal cache entry, and the list would
read that instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import Page

from classifieds.models import Classified
from portal.models import BlogPostPage
from radio.models import EpisodePage
from tenants.models import Neighbourhood

WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Activity:
    """A portal's activity over the last 30 days, and its editors."""

    pages: int = 0
    blog_posts: int = 0
    classifieds: int = 0
    episodes: int = 0
    last_published_at: datetime.datetime | None = None
    editors: int = 0


def portal_activity(neighbourhood: Neighbourhood, now: datetime.datetime | None = None) -> Activity:
    """What ``neighbourhood`` published in the last 30 days, read from its schema.

    Only publications since the portal opened count: a clone carries the template's
    pages, published when the template was built, which are not the portal's work.
    """
    now = now or timezone.now()
    opened = neighbourhood.created_at or now - WINDOW
    since = max(now - WINDOW, opened)
    with tenant_context(neighbourhood):
        own_pages = Page.objects.live().filter(last_published_at__gte=opened)
        recent_pages = own_pages.filter(last_published_at__gte=since)
        last_page = own_pages.aggregate(last=Max("last_published_at"))["last"]
        last_classified = Classified.objects.aggregate(last=Max("published_at"))["last"]
        return Activity(
            pages=recent_pages.count(),
            blog_posts=BlogPostPage.objects.live().filter(first_published_at__gte=since).count(),
            classifieds=Classified.objects.filter(published_at__gte=since).count(),
            episodes=EpisodePage.objects.live().filter(first_published_at__gte=since).count(),
            last_published_at=max(
                (moment for moment in (last_page, last_classified) if moment), default=None
            ),
            editors=_editors().count(),
        )


def _editors():
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
