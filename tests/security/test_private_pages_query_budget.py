"""A portal with private pages keeps issue 9's query budget: hiding them costs no query
per listing (the portal's state remembers which pages are private)."""

import pytest
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from portal.factories import ArticlePageFactory
from tests.portal.test_query_counts import HOME_QUERIES, MOST_QUERIES, add_items, counts

pytestmark = pytest.mark.django_db


def test_every_public_page_takes_few_queries_on_a_portal_with_a_private_page(
    alpha, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False
    paths = add_items(alpha, 3, start=1)
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(
            page=ArticlePageFactory(title="Réunion interne", slug="interne"),
            restriction_type=PageViewRestriction.LOGIN,
        )

    found = counts(client_for(alpha), paths)

    assert found["home"] <= HOME_QUERIES, found
    assert max(found.values()) <= MOST_QUERIES, found
