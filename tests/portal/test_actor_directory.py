"""The directory and map of actors: filters, search, a complete page without JavaScript,
each actor's page with its news, events and classifieds; only the portal's own actors."""

import json
import re
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from portal.factories import ArticlePageFactory, EventPageFactory
from portal.models import Actor

pytestmark = pytest.mark.django_db

DIRECTORY = "/acteurs/"


def _actor(name: str, kind: str, themes=(), located: bool = True, **fields) -> Actor:
    actor = Actor(name=name, kind=kind, **fields)
    if located:
        actor.latitude, actor.longitude = Decimal("48.871800"), Decimal("2.385000")
    actor.save()
    if themes:
        actor.themes.set(list(themes))
        actor.save()
    return actor


@pytest.fixture
def directory(alpha, beta):
    with schema_context(alpha.schema_name):
        actors = {
            "library": _actor(
                "Médiathèque des Lilas",
                Actor.Kind.CULTURE,
                ["lecture", "culture"],
                address="3 rue des Lilas",
                description="<p>Prêt de livres et ateliers de conte.</p>",
                notes="Directrice absente le lundi",
                contact_person="Mme Secret",
            ),
            "bakery": _actor("Boulangerie Saïd", Actor.Kind.SHOP, ["alimentation"]),
            "club": _actor("Club de boxe", Actor.Kind.ASSOCIATION, ["sport", "jeunesse"]),
            "relay": _actor(
                "Relais de la tour B", Actor.Kind.RESIDENT_RELAY, ["jeunesse"], located=False
            ),
        }
    with schema_context(beta.schema_name):
        _actor("Théâtre de Bêta", Actor.Kind.CULTURE, ["culture"])
    return actors


def _names(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/acteurs/acteur/\d+/">([^<]+)</a></h2>', html)


def _map_names(html: str) -> list[str]:
    data = re.search(r'<script id="actor-map-data" type="application/json">(.*?)</script>', html)
    if data is None:
        return []
    return sorted(f["properties"]["name"] for f in json.loads(data.group(1))["features"])


def test_the_directory_lists_every_actor_of_the_portal_without_javascript(
    directory, alpha, client_for
):
    response = client_for(alpha).get(DIRECTORY)

    assert response.status_code == 200
    names = _names(response.text.replace("&#x27;", "'"))
    assert names == [
        "Boulangerie Saïd",
        "Club de boxe",
        "Médiathèque des Lilas",
        "Relais de la tour B",
    ]
    assert "4 acteurs" in response.text
    # The map is an enhancement: hidden until the script draws it, the list says it all.
    assert re.search(r'<div id="carte-acteurs"[^>]* hidden', response.text)
    assert "<script>" not in response.text and "<script >" not in response.text


def test_filtering_by_type_shows_only_that_type_in_the_list_and_on_the_map(
    directory, alpha, client_for
):
    response = client_for(alpha).get(DIRECTORY, {"type": "culture"})

    assert _names(response.text) == ["Médiathèque des Lilas"]
    assert _map_names(response.text) == ["Médiathèque des Lilas"]
    assert '<option value="culture" selected>' in response.text


def test_filtering_by_theme_and_searching_words(directory, alpha, client_for):
    browser = client_for(alpha)

    by_theme = _names(browser.get(DIRECTORY, {"theme": "jeunesse"}).text)
    by_words = _names(browser.get(DIRECTORY, {"q": "conte"}).text)
    by_part_of_a_name = _names(browser.get(DIRECTORY, {"q": "boulang"}).text)
    combined = _names(browser.get(DIRECTORY, {"theme": "jeunesse", "type": "association"}).text)

    assert by_theme == ["Club de boxe", "Relais de la tour B"]
    assert by_words == ["Médiathèque des Lilas"]
    assert by_part_of_a_name == ["Boulangerie Saïd"]
    assert combined == ["Club de boxe"]


def test_the_map_places_only_the_located_actors_of_the_selection(directory, alpha, client_for):
    response = client_for(alpha).get(DIRECTORY, {"theme": "jeunesse"})

    assert _map_names(response.text) == ["Club de boxe"]
    assert "La carte situe 1 point de cette sélection" in response.text


def test_another_portal_never_lists_nor_maps_these_actors(directory, beta, client_for):
    response = client_for(beta).get(DIRECTORY)
    searched = client_for(beta).get(DIRECTORY, {"q": "Médiathèque"})

    assert _names(response.text) == ["Théâtre de Bêta"]
    assert "Médiathèque" not in response.text
    assert _names(searched.text) == []


@pytest.mark.parametrize(
    "query",
    [
        {"type": "inconnu"},
        {"theme": "n-existe-pas"},
        {"q": "\x00<script>'&|!:*()"},
        {"q": "a" * 5000},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"type": ["culture", "shop"]},
    ],
)
def test_odd_filters_and_page_numbers_give_a_page_never_an_error(
    directory, alpha, client_for, query
):
    response = client_for(alpha).get(DIRECTORY, query)

    assert response.status_code == 200
    assert "<h1>" in response.text


def test_an_unknown_filter_value_is_said_in_french_and_ignored(directory, alpha, client_for):
    response = client_for(alpha).get(DIRECTORY, {"type": "inconnu"})

    assert "Ce type n&#x27;existe pas" in response.text
    assert len(_names(response.text)) == 4


def test_the_list_is_paginated_and_keeps_its_filters(alpha, client_for):
    with schema_context(alpha.schema_name):
        for number in range(30):
            _actor(f"Association {number:02d}", Actor.Kind.ASSOCIATION, located=False)

    first = client_for(alpha).get(DIRECTORY, {"type": "association"})
    second = client_for(alpha).get(DIRECTORY, {"type": "association", "page": "2"})

    assert len(_names(first.text)) == 24
    assert 'href="?type=association&amp;page=2"' in first.text
    assert len(_names(second.text)) == 6


def test_the_public_geojson_follows_the_filters_and_holds_no_private_field(
    directory, alpha, client_for
):
    response = client_for(alpha).get(f"{DIRECTORY}geojson/", {"type": "culture"})

    data = json.loads(response.content)
    assert response["Content-Type"].startswith("application/geo+json")
    assert [f["properties"]["name"] for f in data["features"]] == ["Médiathèque des Lilas"]
    assert data["features"][0]["geometry"]["coordinates"] == [2.385, 48.8718]
    assert "Directrice" not in response.text and "Mme Secret" not in response.text


def test_an_actor_page_shows_its_news_events_and_classifieds(directory, alpha, client_for):
    library = directory["library"]
    with schema_context(alpha.schema_name):
        article = ArticlePageFactory(title="Lecture au marché", slug="lecture")
        article.actors.set([library])
        article.save_revision().publish()
        event = EventPageFactory(title="Conte du samedi", slug="conte")
        event.actors.set([library])
        event.save_revision().publish()
        ClassifiedFactory(title="Donne livres pour la médiathèque", actor=library)
        ClassifiedFactory(
            title="Annonce en attente", actor=library, status=Classified.Status.AWAITING_MODERATION
        )

    response = client_for(alpha).get(f"{DIRECTORY}acteur/{library.pk}/")

    assert response.status_code == 200
    assert "<h1>Médiathèque des Lilas</h1>" in response.text
    assert "Lecture au marché" in response.text
    assert "Conte du samedi" in response.text
    assert "Donne livres pour la médiathèque" in response.text
    assert "Annonce en attente" not in response.text
    assert "Directrice absente" not in response.text
    assert "Mme Secret" not in response.text


@pytest.mark.parametrize("path", ["acteur/999999/", "acteur/abc/", "acteur/999999/corriger/"])
def test_an_unknown_actor_is_a_404(directory, alpha, client_for, path):
    assert client_for(alpha).get(f"{DIRECTORY}{path}").status_code == 404


def test_an_actor_of_another_portal_is_not_found_through_this_host(directory, beta, client_for):
    library = directory["library"]
    with schema_context(beta.schema_name):
        # Ids are counted per portal: beta may hold an actor of its own under this number.
        Actor.objects.filter(pk=library.pk).delete()

    response = client_for(beta).get(f"{DIRECTORY}acteur/{library.pk}/")

    assert response.status_code == 404
    assert "Page introuvable" in response.text  # the portal's own French page
    assert "Médiathèque des Lilas" not in response.text


def test_the_directory_costs_the_same_queries_with_five_actors_or_fifty(
    alpha, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False  # count what rendering costs, not a cache hit
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        browser = client_for(alpha)
        browser.get(DIRECTORY)  # warm the per-portal caches, as a visitor would
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(DIRECTORY, {"theme": "quartier"})
        assert response.status_code == 200
        return len(captured)

    with schema_context(alpha.schema_name):
        for number in range(5):
            _actor(f"Acteur {number:02d}", Actor.Kind.OTHER, ["quartier", f"t{number}"])
    with_five = count()
    with schema_context(alpha.schema_name):
        for number in range(5, 50):
            _actor(f"Acteur {number:02d}", Actor.Kind.OTHER, ["quartier", f"t{number}"])
    with_fifty = count()

    assert with_fifty == with_five
