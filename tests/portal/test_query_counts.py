"""Listing pages cost the same number of queries with 5 items or 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory, EventPageFactory

pytestmark = pytest.mark.django_db


def add_items(portal, count: int, start: int) -> None:
    with schema_context(portal.schema_name):
        for number in range(start, start + count):
            ArticlePageFactory(
                title=f"Article {number}",
                slug=f"article-{number}",
                date=timezone.localdate() - datetime.timedelta(days=number),
            )
            EventPageFactory(
                title=f"Rencontre {number}",
                slug=f"rencontre-{number}",
                start=timezone.now() + datetime.timedelta(days=number + 1),
            )


def queries_for(client, path: str) -> int:
    client.get(path)  # warm the per-portal caches (site root paths) as a visitor would
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


PATHS = ["/", "/actualites/", "/agenda/", "/actualites/article-1/", "/agenda/rencontre-1/"]


def test_query_count_does_not_grow_with_the_number_of_items(alpha, client_for):
    add_items(alpha, 5, start=1)
    with_five = {path: queries_for(client_for(alpha), path) for path in PATHS}
    add_items(alpha, 45, start=6)
    with_fifty = {path: queries_for(client_for(alpha), path) for path in PATHS}

    assert with_fifty == with_five
