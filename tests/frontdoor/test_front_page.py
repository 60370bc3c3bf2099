"""The federation's front page presents the network: its pilots on a map and as cards,
what they share, and the ways in. A neighbourhood's home page shows none of it, and the
federation's none of a neighbourhood's blocks."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from home.models import HomePage
from portal.factories import ArticlePageFactory, EventPageFactory
from radio.factories import EpisodePageFactory, ShowPageFactory, StationPageFactory
from tenants.lifecycle import reactivate, suspend
from tenants.models import Neighbourhood

pytestmark = pytest.mark.django_db

# Measured: the federation's home page, uncached, with its pilots, shares and news.
FRONT_PAGE_QUERIES = 19


@pytest.fixture
def shared_story(gamma):
    with schema_context(gamma.schema_name):
        return ArticlePageFactory(
            title="La fresque du square refaite par les enfants", shared_with_network=True
        )


def _map_data(text: str) -> dict:
    script = text.split('id="pilots-map-data"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(script)


def test_federation_home_shows_each_pilot_as_a_card_linking_to_its_portal(
    federation, gamma, alpha, shared_story, client_for
):
    text = client_for(federation).get("/").text

    assert "Les quartiers pilotes" in text
    assert "Gamma en direct" in text
    assert "Cité des Gammes, Saint-Denis" in text
    assert "Porté par MJC des Gammes" in text
    assert "La fresque du square refaite par les enfants" in text
    assert 'href="http://gamma.localhost:8000/"' in text
    assert 'href="http://alpha.localhost:8000/"' in text
    # The federation is no pilot of its own.
    assert "Aller sur Fédération Quartiers" not in text


def test_federation_home_puts_located_pilots_on_the_map(federation, gamma, alpha, client_for):
    features = _map_data(client_for(federation).get("/").text)["features"]

    assert [feature["properties"]["name"] for feature in features] == ["Gamma en direct"]
    assert features[0]["geometry"]["coordinates"] == [2.3655, 48.9205]
    assert features[0]["properties"]["url"] == "http://gamma.localhost:8000/"


def test_federation_home_credits_shared_articles_to_their_portal(
    federation, gamma, shared_story, client_for
):
    text = client_for(federation).get("/").text
    section = text.split('id="partages-du-reseau"', 1)[1].split("</section>", 1)[0]

    assert "La fresque du square refaite par les enfants" in section
    assert 'href="http://gamma.localhost:8000/actualites/' in section
    assert '<a href="http://gamma.localhost:8000/">Gamma en direct</a>' in section


def test_shared_stories_hold_episodes_but_leave_events_to_the_agenda(federation, gamma, client_for):
    with schema_context(gamma.schema_name):
        show = ShowPageFactory(parent=StationPageFactory(title="Radio Gamma"), title="Le matin")
        EpisodePageFactory(
            parent=show, title="Les voix du marché", date=datetime.date(2026, 11, 20),
            shared_with_network=True,
        )  # fmt: skip
        EventPageFactory(
            title="Bal du square",
            start=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
            shared_with_network=True,
        )

    text = client_for(federation).get("/").text
    section = text.split('id="partages-du-reseau"', 1)[1].split("</section>", 1)[0]

    assert "Les voix du marché" in section
    assert "Bal du square" not in section


def test_federation_home_links_to_the_toolkit_agenda_podcast_and_launch_page(
    federation, client_for
):
    text = client_for(federation).get("/").text
    section = text.split('id="portes-du-reseau"', 1)[1].split("</section>", 1)[0]

    for address in ("/ressources/", "/reseau/agenda/", "/reseau/podcast.rss", "/lancer-un-media/"):
        assert f'href="{address}"' in section


def test_federation_home_shows_none_of_a_neighbourhood_blocks(federation, client_for):
    text = client_for(federation).get("/").text

    for heading in (
        "Le quartier prend la parole",
        "Dernières petites annonces",
        "Acteurs du quartier",
        "Petites annonces",
    ):
        assert heading not in text


def test_neighbourhood_home_shows_no_federation_block(alpha, gamma, client_for):
    # Even put there by hand, the federation's blocks stay silent on a neighbourhood.
    with schema_context(alpha.schema_name):
        home = HomePage.objects.get()
        home.body.append(("pilots", {"title": "Les quartiers pilotes", "show_map": True}))
        home.body.append(("network_shared", {"title": "Partages du réseau", "count": 3}))
        home.save_revision().publish()

    text = client_for(alpha).get("/").text

    assert "Les quartiers pilotes" not in text
    assert "Partages du réseau" not in text
    assert "Gamma en direct" not in text
    assert "pilots-map-data" not in text


def test_nothing_unpublished_private_or_unshared_reaches_the_cards(
    federation, gamma, shared_story, client_for
):
    with schema_context(gamma.schema_name):
        ArticlePageFactory(title="Article gardé pour le quartier", shared_with_network=False)
        draft = ArticlePageFactory(title="Brouillon pas encore relu", shared_with_network=True)
        draft.unpublish()
        private = ArticlePageFactory(title="Compte rendu du bureau", shared_with_network=True)
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="bureau"
        )
        private.save_revision().publish()

    text = client_for(federation).get("/").text

    assert "La fresque du square refaite par les enfants" in text
    for title in ("Article gardé pour le quartier", "Brouillon pas encore relu", "Compte rendu"):
        assert title not in text


def test_a_suspended_pilot_leaves_the_front_page(federation, gamma, shared_story, client_for):
    suspend(Neighbourhood.objects.get(pk=gamma.pk))
    try:
        text = client_for(federation).get("/").text
    finally:
        reactivate(Neighbourhood.objects.get(pk=gamma.pk))

    assert "Gamma en direct" not in text
    assert "La fresque du square refaite par les enfants" not in text


def test_a_pilot_opened_later_appears_on_the_cached_front_page(
    federation, gamma, make_portal, client_for
):
    visitor = client_for(federation)
    assert "Delta Médias" not in visitor.get("/").text

    make_portal("delta", name="Delta Médias")

    assert "Delta Médias" in visitor.get("/").text


def test_front_page_costs_the_same_queries_for_one_pilot_or_many(
    federation, gamma, shared_story, make_portal, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    visitor = client_for(federation)

    def queries() -> int:
        visitor.get("/")  # warm: the portal state and settings are remembered
        with CaptureQueriesContext(connection) as captured:
            assert visitor.get("/").status_code == 200
        return len(captured)

    before = queries()
    make_portal("epsilon", name="Epsilon Médias", latitude=48.9, longitude=2.4)
    with schema_context("epsilon"):
        ArticlePageFactory(title="Le premier reportage d'Epsilon", shared_with_network=True)

    assert queries() == before
    assert before <= FRONT_PAGE_QUERIES
