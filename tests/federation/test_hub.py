"""The federation's hub lists what every portal shares, from the index alone."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from home.models import HomePage
from portal.factories import ArticlePageFactory, MethodologyPageFactory
from tenants.lifecycle import suspend
from tenants.models import Neighbourhood, SharedEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def shared(alpha, beta, federation):
    with schema_context(alpha.schema_name):
        sheet = MethodologyPageFactory(title="Cartographier ses voisins", module="mapping")
        sheet.tags.add("voisinage")
        sheet.save_revision().publish()
        ArticlePageFactory(title="Notre fresque partagée", shared_with_network=True)
    with schema_context(beta.schema_name):
        MethodologyPageFactory(title="Petit-déjeuner des associations", module="breakfast")
    with schema_context(federation.schema_name):
        MethodologyPageFactory(title="Boîte à outils : lancer un média", module="other")


def test_hub_lists_every_portal_shared_pages_linking_to_their_portal(
    shared, federation, client_for
):
    text = client_for(federation).get("/ressources/").text

    for title in (
        "Cartographier ses voisins",
        "Notre fresque partagée",
        "Petit-déjeuner des associations",
        "Boîte à outils : lancer un média",
    ):
        assert title in text
    assert 'href="http://alpha.localhost:8000/methodologie/' in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?module=mapping", "Cartographier ses voisins", "Petit-déjeuner des associations"),
        ("?quartier=beta", "Petit-déjeuner des associations", "Cartographier ses voisins"),
        ("?q=voisin", "Cartographier ses voisins", "Petit-déjeuner des associations"),
        ("?q=association", "Petit-déjeuner des associations", "Notre fresque partagée"),
        ("?tag=voisinage", "Cartographier ses voisins", "Petit-déjeuner des associations"),
    ],
)
def test_hub_filters_and_searches_in_french(shared, federation, client_for, query, shown, hidden):
    text = client_for(federation).get(f"/ressources/{query}").text

    assert shown in text
    assert hidden not in text


def test_suspended_portal_entries_leave_the_hub(shared, beta, federation, client_for):
    suspend(Neighbourhood.objects.get(pk=beta.pk))

    text = client_for(federation).get("/ressources/").text

    assert "Petit-déjeuner des associations" not in text
    assert "Cartographier ses voisins" in text


def test_hub_feed_lists_the_network_entries(shared, federation, client_for):
    feed = feedparser.parse(client_for(federation).get("/ressources/rss/").content)

    assert not feed.bozo
    assert {entry.link.split("/")[2] for entry in feed.entries} == {
        "alpha.localhost:8000",
        "beta.localhost:8000",
        "federation.localhost:8000",
    }


def test_neighbourhood_home_shows_the_federation_toolkit_only(shared, alpha, client_for):
    text = client_for(alpha).get("/").text

    assert "La boîte à outils du réseau" in text
    assert "Boîte à outils : lancer un média" in text
    assert "Petit-déjeuner des associations" not in text


def _fill_registry(count: int) -> None:
    """``count`` more portals in the registry, each sharing a page (rows only: the hub
    reads nothing else)."""
    start = Neighbourhood.objects.count()
    portals = Neighbourhood.objects.bulk_create(
        Neighbourhood(schema_name=f"extra{start + n}", name=f"Quartier {start + n}", city="X")
        for n in range(count)
    )
    SharedEntry.objects.bulk_create(
        SharedEntry(
            tenant=portal,
            page_id=1,
            locale="fr",
            kind="methodology",
            module="workshop",
            title=f"Fiche de {portal.name}",
            url=f"http://{portal.schema_name}.localhost:8000/methodologie/fiche/",
            last_published_at=timezone.now(),
        )
        for portal in portals
    )


def _hub_queries(client) -> int:
    client.get("/ressources/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/ressources/")
    assert response.status_code == 200
    return len(captured)


def test_hub_costs_the_same_queries_with_3_or_30_portals(shared, federation, client_for, settings):
    settings.PAGE_CACHE_ENABLED = False  # count what rendering costs, not a cache hit
    with_three = _hub_queries(client_for(federation))  # alpha, beta, federation
    _fill_registry(27)
    with_thirty = _hub_queries(client_for(federation))

    assert Neighbourhood.objects.count() == 30
    assert with_thirty == with_three


def test_hub_page_lives_in_the_federation_tree(federation):
    with schema_context(federation.schema_name):
        home = HomePage.objects.get()
        assert home.get_children().filter(slug="ressources").exists()
