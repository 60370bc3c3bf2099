"""An outbox page costs the same queries for 10 objects as for 20 (articles with a cover
and tags, blog posts with a cover): a fediverse server paging through it cannot make the
portal run a few queries per object."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail_factories import ImageFactory

from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from tests.fediverse.conftest import AP_ACCEPT

pytestmark = pytest.mark.django_db


def _publish_five_of_each(portal, blog) -> None:
    with schema_context(portal.schema_name):
        for n in range(5):
            article = ArticlePageFactory(cover=ImageFactory(), cover_alt="Une photo")
            article.tags.add(f"thème {n}", "quartier")
            article.save_revision().publish()
            BlogPostPageFactory(parent=blog, cover=ImageFactory(), cover_alt="Une photo")


def test_an_outbox_page_costs_the_same_queries_for_10_or_20_objects(alpha, client_for):
    client = client_for(alpha)
    with schema_context(alpha.schema_name):
        blog = BlogPageFactory()
    counted = []
    for _round in range(2):
        _publish_five_of_each(alpha, blog)
        client.get("/ap/outbox?page=1", HTTP_ACCEPT=AP_ACCEPT)  # renditions made once
        with CaptureQueriesContext(connection) as queries:
            items = client.get("/ap/outbox?page=1", HTTP_ACCEPT=AP_ACCEPT).json()["orderedItems"]
        counted.append((len(items), len(queries)))

    (ten, queries_for_ten), (twenty, queries_for_twenty) = counted
    assert (ten, twenty) == (10, 20)
    assert queries_for_twenty == queries_for_ten <= 15
