"""The public listing: published ads only, newest first, filters, pages, RSS, home block."""

import datetime

import pytest
from django.db import reset_queries
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.listing import latest_published
from classifieds.models import Classified, ClassifiedCategory
from tests.classifieds.conftest import SECTION

pytestmark = pytest.mark.django_db
Status = Classified.Status


def test_only_published_unexpired_ads_are_listed_newest_first(alpha, client_for):
    now = timezone.now()
    with schema_context(alpha.schema_name):
        ClassifiedFactory(title="Ancienne annonce", published_at=now - datetime.timedelta(days=2))
        ClassifiedFactory(title="Nouvelle annonce", published_at=now)
        ClassifiedFactory(title="Annonce expirée", expires_at=now - datetime.timedelta(hours=1))
        for status in (Status.AWAITING_CONFIRMATION, Status.AWAITING_MODERATION, Status.REJECTED):
            ClassifiedFactory(title=f"Annonce {status}", status=status)

    listing = client_for(alpha).get(SECTION).text

    assert listing.index("Nouvelle annonce") < listing.index("Ancienne annonce")
    assert "Annonce expirée" not in listing
    assert "Annonce awaiting" not in listing
    assert "Annonce rejected" not in listing


def test_filters_by_kind_category_and_words(alpha, client_for):
    with schema_context(alpha.schema_name):
        housing = ClassifiedCategory.objects.get(slug="logement")
        ClassifiedFactory(title="Cherche chambre", kind="request", category=housing)
        ClassifiedFactory(title="Donne canapé", text="Canapé trois places en cuir")
    browser = client_for(alpha)

    requests = browser.get(SECTION, {"kind": "request"}).text
    in_housing = browser.get(SECTION, {"category": "logement"}).text
    sofas = browser.get(SECTION, {"q": "canapés cuir"}).text

    assert "Cherche chambre" in requests and "Donne canapé" not in requests
    assert "Cherche chambre" in in_housing and "Donne canapé" not in in_housing
    assert "Donne canapé" in sofas and "Cherche chambre" not in sofas


def test_listing_is_paginated_and_keeps_the_filters(alpha, client_for):
    with schema_context(alpha.schema_name):
        for number in range(14):
            ClassifiedFactory(title=f"Objet {number:02d}", kind="offer")
    browser = client_for(alpha)

    first = browser.get(SECTION, {"kind": "offer"}).text
    second = browser.get(SECTION, {"kind": "offer", "page": "2"}).text

    assert "Page 1 sur 2" in first
    assert "?kind=offer&amp;page=2" in first
    assert "Objet 13" in first and "Objet 00" not in first
    assert "Objet 00" in second


def test_listing_queries_do_not_grow_with_the_number_of_ads(
    alpha, client_for, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_ENABLED = False  # count the page's own queries, not a cache hit
    browser = client_for(alpha)
    with schema_context(alpha.schema_name):
        ClassifiedFactory()
    browser.get(SECTION)  # warm Wagtail's per-portal caches
    reset_queries()  # Django's query log keeps 9,000 queries: once full, none are counted
    with django_assert_max_num_queries(30) as few:
        browser.get(SECTION)
    limit = len(few.captured_queries)  # read now: the log is reset below
    with schema_context(alpha.schema_name):
        for _number in range(10):
            ClassifiedFactory()
    browser.get(SECTION)  # the portal changed: its remembered state is refilled once
    reset_queries()
    with django_assert_max_num_queries(limit):
        browser.get(SECTION)


def test_rss_feed_lists_published_ads_with_links_to_this_portal(alpha, client_for):
    with schema_context(alpha.schema_name):
        classified = ClassifiedFactory(title="Cours de couture")
        ClassifiedFactory(title="Pas encore relue", status=Status.AWAITING_MODERATION)

    response = client_for(alpha).get(f"{SECTION}rss/")
    feed = response.content.decode()

    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Cours de couture" in feed
    assert f"http://alpha.localhost/petites-annonces/annonce/{classified.pk}/" in feed or (
        f"http://alpha.localhost:8000/petites-annonces/annonce/{classified.pk}/" in feed
    )
    assert "Pas encore relue" not in feed


def test_latest_published_renders_for_the_home_page_with_links(alpha):
    with schema_context(alpha.schema_name):
        for number in range(7):
            ClassifiedFactory(title=f"Annonce {number}")
        ClassifiedFactory(title="En attente", status=Status.AWAITING_MODERATION)
        latest = list(latest_published(limit=5))
        html = render_to_string(
            "classifieds/includes/latest_classifieds.html",
            {"classifieds": latest},
            request=RequestFactory().get("/"),
        )

    assert [ad.title for ad in latest] == [f"Annonce {n}" for n in (6, 5, 4, 3, 2)]
    assert f'href="/petites-annonces/annonce/{latest[0].pk}/"' in html
    assert "Dernières petites annonces" in html
    assert "En attente" not in html


def test_post_form_is_accessible_and_in_french(alpha, client_for):
    form = client_for(alpha).get(f"{SECTION}deposer/").text
    refused = client_for(alpha).post(f"{SECTION}deposer/", {"title": ""}).text

    assert '<label for="id_title">Titre' in form
    assert 'aria-describedby="id_text_helptext"' in form
    assert 'class="error-summary" role="alert"' in refused
    assert 'href="#id_title"' in refused
    assert "Titre : Champ requis." in refused
    assert 'aria-invalid="true"' in refused
