"""Within a portal's request, which pages are private is answered from the portal's state
(``core.privacy``), without a query: pinned here against Wagtail's own answers, so an
upgrade of Wagtail that changes them fails loudly."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from core.privacy import is_private, public_pages
from core.tenant_state import TenantStateMiddleware
from portal.factories import (
    ArticlePageFactory,
    BlogPageFactory,
    BlogPostPageFactory,
    EventPageFactory,
)
from tests.conftest import host

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(alpha):
    """Private pages of every kind, one holding a page below it, beside public ones."""
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Article ouvert")
        EventPageFactory(title="Rencontre ouverte")
        password = ArticlePageFactory(title="Article à mot de passe")
        PageViewRestriction.objects.create(
            page=password, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        login = EventPageFactory(title="Rencontre des membres")
        PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
        blog = BlogPageFactory(title="Carnet des animateurs")
        BlogPostPageFactory(parent=blog, title="Billet entre animateurs")
        groups = PageViewRestriction.objects.create(
            page=blog, restriction_type=PageViewRestriction.GROUPS
        )
        groups.groups.set([Group.objects.get(name="Animateurs")])


def in_a_request(portal, ask):
    """``ask()``'s answer within a portal's request, with the portal's state at hand."""
    answer = {}

    def view(request):
        answer["value"] = ask()

    with schema_context(portal.schema_name):
        request = RequestFactory(HTTP_HOST=host(portal)).get("/")
        request.tenant = portal
        TenantStateMiddleware(view)(request)
    return answer["value"]


def test_public_pages_within_a_request_are_wagtails_public_pages_without_a_query(tree, alpha):
    def ask():
        with CaptureQueriesContext(connection) as building:
            remembered = public_pages(Page.objects.all())
        return len(building), set(remembered.values_list("title", flat=True))

    queries, remembered = in_a_request(alpha, ask)
    with schema_context(alpha.schema_name):
        wagtails = set(PageQuerySet.public(Page.objects.all()).values_list("title", flat=True))

    assert queries == 0
    assert remembered == wagtails
    assert "Article ouvert" in remembered
    assert not remembered & {
        "Article à mot de passe",
        "Rencontre des membres",
        "Carnet des animateurs",
        "Billet entre animateurs",
    }


def test_is_private_within_a_request_agrees_with_wagtails_restrictions(tree, alpha):
    def ask():
        return {page.title: is_private(page) for page in Page.objects.filter(depth__gt=2)}

    remembered = in_a_request(alpha, ask)
    with schema_context(alpha.schema_name):
        wagtails = {
            page.title: Page.get_view_restrictions(page).exists()
            for page in Page.objects.filter(depth__gt=2)
        }

    assert remembered == wagtails
    assert remembered["Billet entre animateurs"] is True
    assert remembered["Article ouvert"] is False
