"""The portal state a request reads Wagtail's answers from stays true within the request
that changes it."""

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from core import tenant_state
from core.tenant_state import TenantStateMiddleware
from portal.factories import ArticlePageFactory
from radio.embeds import provider_for
from radio.models import RadioSettings
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


def test_portal_state_says_nothing_inside_another_portals_context(alpha, beta):
    video = "https://video.alpha.example/w/reportage7"
    with schema_context(alpha.schema_name):
        RadioSettings.objects.update_or_create(defaults={"peertube_hosts": "video.alpha.example"})
    seen = {}

    def visit_beta_while_serving_alpha(request):
        seen["alpha"] = provider_for(video)
        with schema_context(beta.schema_name):
            seen["beta_settings"] = tenant_state.remembered_setting(RadioSettings)
            seen["beta_locales"] = tenant_state.active_locale_id()
            seen["beta"] = provider_for(video)
        return None

    with schema_context(alpha.schema_name):
        request = RequestFactory(HTTP_HOST=host(alpha)).get("/")
        request.tenant = alpha
        TenantStateMiddleware(visit_beta_while_serving_alpha)(request)

    assert seen["alpha"] is not None
    assert seen["beta_settings"] is None
    assert seen["beta_locales"] is None
    assert seen["beta"] is None
