"""Addresses find their page in one query for the whole path, and answer exactly as with
Wagtail's level-by-level routing: same page, same sub-view, same 404."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import Page

from classifieds.factories import ClassifiedFactory
from classifieds.models import ClassifiedsPage
from core.page_routing import route_from_root
from home.models import HomePage
from portal.factories import ArticlePageFactory, BlogPageFactory, BlogPostPageFactory
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def addresses(alpha, django_db_blocker) -> list[str]:
    """Every page's address in a portal with deep, draft and routable pages, the
    sub-views of its routable pages, and addresses that lead nowhere."""
    with django_db_blocker.unblock(), schema_context(alpha.schema_name):
        ArticlePageFactory(title="Fête de quartier", slug="fete")
        blog = BlogPageFactory(title="Le carnet", slug="le-carnet")
        BlogPostPageFactory(title="Billet", slug="billet", parent=blog)
        # A draft blog whose post is live: Wagtail serves the post (only the page asked
        # for must be live).
        draft_blog = BlogPageFactory(title="Brouillon", slug="brouillon")
        BlogPostPageFactory(title="Sous un brouillon", slug="sous-brouillon", parent=draft_blog)
        draft_blog.unpublish()
        station = StationPageFactory(title="La radio", slug="la-radio")
        show = ShowPageFactory(title="La matinale", slug="la-matinale", parent=station)
        EpisodePageFactory(title="Premier", slug="premier", parent=show)
        # Same slug at the same depth under another parent: only the path's own counts.
        BlogPostPageFactory(title="Homonyme", slug="premier", parent=blog)
        ad = ClassifiedFactory(title="Vélo")
        section = ClassifiedsPage.objects.get()
        root = HomePage.objects.get()
        paths = [page.url_path[len(root.url_path) - 1 :] for page in Page.objects.all()]
        return [
            *sorted(set(paths)),
            section.url_path[len(root.url_path) - 1 :] + f"annonce/{ad.pk}/",
            "/petites-annonces/annonce/999999/",
            "/petites-annonces/deposer/",
            "/agenda/agenda.ics",
            "/actualites/fete/inconnu/",
            "/actualites/nulle-part/",
            "/blogs/le-carnet/billet/encore/plus/loin/",
            "/radio-tv/la-radio/la-matinale/premier/",
            "/" + "/".join(f"niveau-{n}" for n in range(20)) + "/",
            "/%00/",
        ]


def wagtail_routing(root: Page, request, components: list[str]):
    # Page.route on the root walks the tree one level at a time (Wagtail's own routing).
    return Page.route(root, request, components)


def outcome(route, root, path: str):
    request = RequestFactory().get(path)
    try:
        page, args, kwargs = route(root, request, [part for part in path.split("/") if part])
    except Http404:
        return "404"
    view = args[0].__func__.__name__ if args else None
    return (page.pk, type(page).__name__, view, repr(args[1:]), repr(kwargs))


def test_every_address_answers_as_with_wagtails_routing(alpha, addresses):
    with schema_context(alpha.schema_name):
        root = HomePage.objects.get()
        ours = {path: outcome(route_from_root, root, path) for path in addresses}
        wagtails = {path: outcome(wagtail_routing, root, path) for path in addresses}

    assert ours == wagtails
    # The comparison covers pages, sub-views and dead ends alike.
    results = list(ours.values())
    assert "404" in results
    assert any(result != "404" and result[2] for result in results)  # sub-views
    assert len({result for result in results if result != "404"}) > 10  # pages


def test_a_deep_address_costs_no_more_queries_than_a_shallow_one(alpha, addresses):
    with schema_context(alpha.schema_name):
        root = HomePage.objects.get()
        request = RequestFactory().get("/")
        counted = {}
        for path in ("/actualites/", "/radio-tv/la-radio/la-matinale/premier/"):
            # Once to learn the content types (as a worker has), then counted.
            route_from_root(root, request, [part for part in path.split("/") if part])
            with CaptureQueriesContext(connection) as captured:
                route_from_root(root, request, [part for part in path.split("/") if part])
            counted[path] = len(captured)

    assert counted["/radio-tv/la-radio/la-matinale/premier/"] == counted["/actualites/"] == 2


def test_a_live_page_under_a_draft_is_served_and_the_draft_is_not(alpha, addresses, client_for):
    visitor = client_for(alpha)

    assert visitor.get("/blogs/brouillon/sous-brouillon/").status_code == 200
    assert visitor.get("/blogs/brouillon/").status_code == 404


def test_an_address_of_one_portal_finds_nothing_at_another(alpha, beta, addresses, client_for):
    assert client_for(alpha).get("/radio-tv/la-radio/la-matinale/premier/").status_code == 200

    assert client_for(beta).get("/radio-tv/la-radio/la-matinale/premier/").status_code == 404
