"""The portal state a request reads Wagtail's answers from stays true within the request
that changes it."""

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from core.tenant_state import TenantStateMiddleware
from portal.factories import ArticlePageFactory
from tests.conftest import host

pytestmark = pytest.mark.django_db


def test_a_page_made_private_during_a_request_is_private_for_the_rest_of_it(alpha):
    seen = {}

    def make_private_then_ask(request):
        article = ArticlePageFactory(title="Bureau", slug="bureau-prive")
        seen["before"] = list(article.get_view_restrictions())
        PageViewRestriction.objects.create(page=article, restriction_type="login")
        seen["after"] = list(article.get_view_restrictions())
        return None

    with schema_context(alpha.schema_name):
        request = RequestFactory(HTTP_HOST=host(alpha)).get("/admin/")
        request.tenant = alpha
        TenantStateMiddleware(make_private_then_ask)(request)

    assert seen["before"] == []
    assert [restriction.restriction_type for restriction in seen["after"]] == ["login"]
