"""Every view of a public page is counted once, cached or not, per page, day and kind of
referrer; robots, editors, the admin, previews, private pages and errors are not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction

from audience.middleware import PAGE_HEADER
from audience.models import Referrer
from core.page_cache import HEADER
from tests.audience.conftest import BROWSER, article
from tests.conftest import host, logged_in

pytestmark = pytest.mark.django_db

DIRECT = Referrer.DIRECT.value


def visitor(portal, **headers) -> Client:
    return Client(HTTP_HOST=host(portal), HTTP_USER_AGENT=BROWSER, **headers)


def test_a_view_served_from_the_page_cache_is_counted_as_well(alpha, views):
    page = article(alpha, title="Le marché du samedi")
    reader = visitor(alpha)

    served = [reader.get(page.page_url)[HEADER] for _ in range(3)]

    assert served == ["MISS", "HIT", "HIT"]
    assert views(alpha) == {(page.pk, DIRECT): 3}


def test_the_home_page_is_counted_under_its_own_id(alpha, views):
    with schema_context(alpha.schema_name):
        home = Page.objects.get(depth=2)

    response = visitor(alpha).get("/")

    assert response.status_code == 200
    assert views(alpha) == {(home.pk, DIRECT): 1}


def test_known_robots_and_scripts_are_not_counted(alpha, views):
    page = article(alpha)
    agents = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "",
    ]
    for agent in agents:
        robot = Client(HTTP_HOST=host(alpha), HTTP_USER_AGENT=agent)
        assert robot.get(page.page_url).status_code == 200
    assert Client(HTTP_HOST=host(alpha)).get(page.page_url).status_code == 200  # no header

    assert views(alpha) == {}


def test_a_browsers_prefetch_is_not_a_view(alpha, views):
    page = article(alpha)

    visitor(alpha, HTTP_SEC_PURPOSE="prefetch").get(page.page_url)

    assert views(alpha) == {}


@pytest.mark.parametrize("objection", [{"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}])
def test_a_browser_that_objects_is_not_counted(alpha, views, objection):
    page = article(alpha)
    reader = visitor(alpha, **objection)

    assert [reader.get(page.page_url).status_code for _ in range(2)] == [200, 200]
    assert views(alpha) == {}


def test_errors_heads_and_posts_are_not_views(alpha, views):
    page = article(alpha)
    reader = visitor(alpha)

    assert reader.get("/nulle-part/").status_code == 404
    assert reader.head(page.page_url).status_code == 200
    reader.post(page.page_url, {})

    assert views(alpha) == {}


def test_a_draft_is_not_served_nor_counted(alpha, views):
    page = article(alpha, slug="brouillon")
    with schema_context(alpha.schema_name):
        page.unpublish()

    assert visitor(alpha).get(page.page_url).status_code == 404
    assert views(alpha) == {}


def test_the_admin_and_its_login_page_are_not_counted(alpha, views):
    reader = visitor(alpha)

    assert reader.get("/admin/login/").status_code == 200
    assert reader.get("/admin/").status_code == 302

    assert views(alpha) == {}


def test_an_editors_own_visits_and_previews_are_not_counted(alpha, animator_of, views):
    page = article(alpha)
    editor = logged_in(visitor(alpha), animator_of(alpha))

    assert editor.get(page.page_url).status_code == 200
    assert editor.get(f"/admin/pages/{page.pk}/view_draft/").status_code == 200
    preview = editor.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert preview.status_code in (200, 400)

    assert views(alpha) == {}


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_private_page_is_never_counted_for_who_cannot_see_it(alpha, views, kind):
    page = article(alpha, slug=f"prive-{kind}")
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password="mot-de-passe" if kind != "login" else ""
        )

    response = visitor(alpha).get(page.page_url)

    # The login page (redirect) or the password form: neither says it is the page.
    assert response.status_code in (200, 302)
    assert PAGE_HEADER not in response
    assert views(alpha) == {}


def test_counts_stay_in_their_portal(alpha, beta, views):
    in_alpha = article(alpha, slug="chez-alpha")
    in_beta = article(beta, slug="chez-beta")

    visitor(alpha).get(in_alpha.page_url)
    visitor(alpha).get(in_alpha.page_url)
    visitor(beta).get(in_beta.page_url)
    # Alpha's page address asked at beta's host is beta's business: not found there.
    assert visitor(beta).get(in_alpha.page_url).status_code in (200, 404)

    alpha_counts, beta_counts = views(alpha), views(beta)
    assert alpha_counts == {(in_alpha.pk, DIRECT): 2}
    assert sum(beta_counts.values()) <= 2
    assert (in_beta.pk, DIRECT) in beta_counts
    with schema_context(beta.schema_name):
        beta_pages = set(Page.objects.values_list("pk", flat=True))
    assert {page_id for page_id, _ in beta_counts} <= beta_pages


def test_counting_a_cached_view_costs_no_query(alpha, views):
    page = article(alpha, slug="sans-requete")
    reader = visitor(alpha)
    reader.get(page.page_url, HTTP_REFERER="https://asso.example.org/")  # MISS: rendered
    reader.get(page.page_url, HTTP_REFERER="https://asso.example.org/")  # network's hosts read

    with CaptureQueriesContext(connection) as queries:
        hits = [
            reader.get(page.page_url, HTTP_REFERER=referer)[HEADER]
            for referer in ("", "https://www.qwant.com/", "https://asso.example.org/")
        ]

    assert hits == ["HIT", "HIT", "HIT"]
    assert len(queries) == 0, [query["sql"] for query in queries]
    assert views(alpha) == {(page.pk, "other"): 3, (page.pk, DIRECT): 1, (page.pk, "search"): 1}


def test_a_routable_pages_sub_view_counts_as_its_page(alpha, views):
    with schema_context(alpha.schema_name):
        agenda = Page.objects.get(slug="agenda")
        past_events = agenda.url + "passes/"

    response = visitor(alpha).get(past_events)

    assert response.status_code == 200
    assert views(alpha) == {(agenda.pk, DIRECT): 1}
