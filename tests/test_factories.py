"""Each factory builds once: a broken factory is found before the tests that use it."""

import pytest
from django_tenants.utils import schema_context

from portal.factories import ArticlePageFactory
from tenants.factories import PortalSpecFactory
from tenants.provisioning import validate_spec

pytestmark = pytest.mark.django_db


def test_portal_spec_factory_gives_a_valid_request():
    spec = PortalSpecFactory()

    neighbourhood, domain = validate_spec(spec)

    assert neighbourhood.schema_name == spec.slug
    assert domain.domain == f"{spec.slug}.localhost"


def test_article_page_factory_publishes_an_article_in_the_news(alpha):
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory()

        assert article.live
        assert article.get_parent().slug == "actualites"
