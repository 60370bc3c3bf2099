"""The workshop cycle's public pages cost the same number of queries with 2 workshops or
8 (each with its seeds and their news), and no more than any page of the portal."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portal.factories import WorkshopPageFactory
from portal.models import ProjectSeed, SeedUpdate
from tests.portal.test_query_counts import MOST_QUERIES, queries_for

pytestmark = pytest.mark.django_db

SEEDS = "/graines-de-projet/"


def add_workshops(portal, count: int, start: int) -> dict[str, str]:
    with schema_context(portal.schema_name):
        for number in range(start, start + count):
            page = WorkshopPageFactory(
                title=f"Atelier {number}",
                slug=f"atelier-{number}",
                date=timezone.localdate() - datetime.timedelta(days=number),
                diagnosis=[("brakes", ["Des prix trop hauts"]), ("levers", [f"Levier {number}"])],
                seeds=[ProjectSeed(title=f"Graine {number}"), ProjectSeed(title=f"Autre {number}")],
            )
            for seed in ProjectSeed.objects.filter(workshop=page):
                SeedUpdate.objects.create(
                    seed=seed, text="Ça avance.", status="approved", published_at=timezone.now()
                )
        first = ProjectSeed.objects.order_by("pk").first()
    return {
        "listing": SEEDS,
        "workshops": f"{SEEDS}ateliers/",
        "seed": f"{SEEDS}graine/{first.pk}/",
        "feed": f"{SEEDS}graine/{first.pk}/rss/",
        "workshop": f"{SEEDS}atelier-1/",
    }


def test_the_seeds_pages_cost_the_same_queries_with_more_workshops(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    paths = add_workshops(alpha, 2, start=1)
    few = {label: queries_for(client_for(alpha), path) for label, path in paths.items()}

    add_workshops(alpha, 6, start=3)
    many = {label: queries_for(client_for(alpha), path) for label, path in paths.items()}

    assert many == few


def test_the_seeds_pages_take_few_queries(alpha, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False  # the fragment cache on, as a worker serves them
    paths = add_workshops(alpha, 3, start=1)

    found = {label: queries_for(client_for(alpha), path) for label, path in paths.items()}

    assert max(found.values()) <= MOST_QUERIES, found
