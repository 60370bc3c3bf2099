"""The portal state a request reads Wagtail's answers from stays true within the request
that changes it."""

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction, Site

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


@pytest.mark.parametrize("default_elsewhere", [False, True])
def test_the_state_finds_the_site_wagtail_finds_for_each_host_and_port(alpha, default_elsewhere):
    """Every cache off, the state chooses the request's Site among the schema's sites
    itself (one query compiled once a process): the same Site as Wagtail's own lookup,
    for a host with several ports, another host, an unknown host, with the default site
    on the portal's host or on another."""
    with schema_context(alpha.schema_name):
        portal_site = Site.objects.get(is_default_site=True)
        root = portal_site.root_page
        Site.objects.create(hostname=portal_site.hostname, port=8123, root_page=root)
        other = Site.objects.create(hostname="autre.example", port=80, root_page=root)
        Site.objects.create(hostname="deux.example", port=80, root_page=root)
        Site.objects.create(hostname="deux.example", port=81, root_page=root)
        if default_elsewhere:
            Site.objects.filter(pk=portal_site.pk).update(is_default_site=False)
            Site.objects.filter(pk=other.pk).update(is_default_site=True)
        asked = [
            (portal_site.hostname, "80"),
            (portal_site.hostname, "8123"),
            (portal_site.hostname, "8000"),
            (portal_site.hostname, "9000"),
            ("autre.example", "80"),
            ("autre.example", "8080"),
            ("deux.example", "81"),
            ("deux.example", "82"),
            ("inconnu.example", "80"),
        ]
        for hostname, port in asked:
            # Wagtail reads the port the server was asked on, not the Host header's.
            mine = RequestFactory().get("/", HTTP_HOST=hostname, SERVER_PORT=port)
            wagtails = RequestFactory().get("/", HTTP_HOST=hostname, SERVER_PORT=port)
            mine.tenant = alpha
            found = tenant_state.read_once(mine)["site"]
            expected = Site.find_for_request(wagtails)
            assert getattr(found, "pk", None) == getattr(expected, "pk", None), (hostname, port)
            if found is not None:
                assert found.root_page_id == expected.root_page_id


def test_each_host_gets_its_own_root_page_and_menu_when_requests_alternate(alpha):
    """The state reads a host's root page and menu with the rest (the root the process
    saw last for that host): two hosts of one portal with different roots, served in
    turn, and a root changed under a host, each get the root their Site names now."""
    from home.models import HomePage

    with schema_context(alpha.schema_name):
        portal_site = Site.objects.get(is_default_site=True)
        tree_root = portal_site.root_page.get_parent()
        other_root = tree_root.add_child(instance=HomePage(title="Accueil bis", slug="bis"))
        other_root.add_child(
            instance=HomePage(title="Rubrique bis", slug="rubrique-bis", show_in_menus=True)
        )
        Site.objects.create(hostname="bis.example", port=80, root_page=other_root)

        def state_for(hostname: str) -> dict:
            request = RequestFactory().get("/", HTTP_HOST=hostname, SERVER_PORT="80")
            request.tenant = alpha
            return tenant_state.read_once(request)

        seen = [
            (state["site"].root_page.title, [page.title for page in state["menu"][1]])
            for hostname in (portal_site.hostname, "bis.example") * 2
            for state in [state_for(hostname)]
        ]
        Site.objects.filter(hostname="bis.example").update(root_page=portal_site.root_page)
        moved = state_for("bis.example")
        portal_root = portal_site.root_page.specific

    assert seen[1] == seen[3] == ("Accueil bis", ["Rubrique bis"])
    assert seen[0] == seen[2]
    assert seen[0][0] == portal_root.title and "Rubrique bis" not in seen[0][1]
    assert moved["site"].root_page.title == portal_root.title
    assert type(moved["site"].root_page) is type(portal_root)
    assert [page.title for page in moved["menu"][1]] == seen[0][1]
