"""The rollup folds each portal's views into the network's table as indicator "views",
drops counts older than 25 months, and the dashboards list a portal's most seen pages."""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from audience.daily import add_views, retention_start
from audience.factories import PageViewsFactory
from audience.models import PageViews, Referrer
from audience.tally import count_view, drain, spool_folder
from audience.top_pages import top_pages
from tenants.models import DailyIndicator
from tests.audience.conftest import BROWSER, article
from tests.conftest import host

pytestmark = pytest.mark.django_db


def rollup(portal, capture) -> None:
    with capture(execute=True):
        call_command("rollup_activity", "--portal", portal.schema_name, stdout=None)


def test_the_rollup_folds_todays_views_into_the_indicator_views(
    alpha, beta, django_capture_on_commit_callbacks
):
    page = article(alpha)
    reader = Client(HTTP_HOST=host(alpha), HTTP_USER_AGENT=BROWSER)
    for _ in range(4):
        reader.get(page.page_url)
    today = timezone.localdate()

    rollup(alpha, django_capture_on_commit_callbacks)
    rollup(alpha, django_capture_on_commit_callbacks)  # again: nothing counted twice
    rollup(beta, django_capture_on_commit_callbacks)

    folded = DailyIndicator.objects.get(portal=alpha, day=today, indicator="views")
    assert folded.value == 4
    assert DailyIndicator.objects.get(portal=beta, day=today, indicator="views").value == 0
    with schema_context(alpha.schema_name):
        assert PageViews.objects.get(page_id=page.pk).views == 4


def test_the_rollup_drops_counts_older_than_25_months(alpha, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with schema_context(alpha.schema_name):
        PageViews.objects.all().delete()
        old = PageViewsFactory(page_id=3, day=retention_start(today) - datetime.timedelta(days=1))
        kept = PageViewsFactory(page_id=3, day=retention_start(today))

    rollup(alpha, django_capture_on_commit_callbacks)

    with schema_context(alpha.schema_name):
        remaining = set(PageViews.objects.values_list("pk", flat=True))
    assert kept.pk in remaining
    assert old.pk not in remaining


@pytest.mark.parametrize(
    ("today", "first_kept"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2024, 11, 1)),
        (datetime.date(2026, 3, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2027, 1, 15), datetime.date(2024, 12, 15)),
    ],
)
def test_retention_is_25_months(today, first_kept):
    assert retention_start(today) == first_kept


def test_a_failed_fold_loses_no_view_and_counts_none_twice(
    alpha, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with schema_context(alpha.schema_name):
        count_view(today, "direct", 7)
        count_view(today, "search", 7)

        def fail(counts):
            raise RuntimeError("base indisponible")

        with pytest.raises(RuntimeError):
            drain(fail)
        # Counted while the failed fold was under way: kept apart, not lost.
        count_view(today, "direct", 7)
        seen = []
        with django_capture_on_commit_callbacks(execute=True):
            drain(seen.append)
        with django_capture_on_commit_callbacks(execute=True):
            drain(seen.append)
        assert not list(spool_folder().iterdir())
    total = sum((counts for counts in seen), start=type(seen[0])())
    assert total == {(today, "direct", 7): 2, (today, "search", 7): 1}
    shutil.rmtree(spool_folder(), ignore_errors=True)


@pytest.fixture
def seen_pages(alpha):
    """Four pages of alpha with views this week; one private, one unpublished."""
    today = timezone.localdate()
    market = article(alpha, title="Le marché", slug="marche")
    garden = article(alpha, title="Le jardin", slug="jardin")
    secret = article(alpha, title="Réunion interne", slug="reunion-interne")
    gone = article(alpha, title="Retiré", slug="retire")
    with schema_context(alpha.schema_name):
        PageViews.objects.all().delete()
        PageViewRestriction.objects.create(page=secret, restriction_type="login")
        gone.unpublish()
        add_views(
            {
                (today, "search", market.pk): 3,
                (today, "direct", market.pk): 2,
                (today - datetime.timedelta(days=2), "social", garden.pk): 7,
                (today - datetime.timedelta(days=40), "direct", market.pk): 100,
                (today, "direct", secret.pk): 50,
                (today, "direct", gone.pk): 60,
                (today, "direct", 999_999): 70,  # a page since deleted
            }
        )
    return market, garden


@pytest.mark.usefixtures("seen_pages")
def test_top_pages_lists_the_most_seen_public_pages_of_the_period(alpha):
    today = timezone.localdate()

    top = top_pages(alpha, today - datetime.timedelta(days=6), today)

    assert [(page.title, page.views) for page in top] == [("Le jardin", 7), ("Le marché", 5)]
    assert top[1].referrer_views(Referrer.SEARCH) == 3
    assert top[1].referrer_views(Referrer.DIRECT) == 2
    assert top[1].referrer_views(Referrer.SOCIAL) == 0
    assert top[1].url.endswith("/marche/")


@pytest.mark.usefixtures("seen_pages")
def test_top_pages_of_one_portal_are_never_anothers(alpha, beta):
    today = timezone.localdate()

    assert top_pages(beta, today - datetime.timedelta(days=6), today) == []
    assert len(top_pages(alpha, today, today, limit=1)) == 1
