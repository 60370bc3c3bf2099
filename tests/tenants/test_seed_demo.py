"""The demo network: ten portals, the same after a second run."""

import io

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from portal.demo_map import ACTORS_PER_PORTAL, CENTRES, SPREAD_LATITUDE, SPREAD_LONGITUDE
from portal.models import Actor, WorkshopPage
from tenants.demo_network import DEMO_PASSWORD, DEMO_PORTALS, TWO_PORTALS_EMAIL
from tenants.models import DailyIndicator, Domain, Neighbourhood, NetworkAccount, SharedEntry
from tenants.rollup import network_activity
from tenants.toolkit import ToolkitCollection
from tests import portal_pool
from tests.conftest import _drop, pass_second_factor, tidy_catalog_if_churned

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """The demo network, seeded once for the module (committed), removed at its end.

    Its portals open in spare schemas of earlier modules' portals where there are some,
    and leave theirs for the next modules (``tests/portal_pool.py``)."""
    with django_db_blocker.unblock():
        for spec in DEMO_PORTALS:
            portal_pool.take(spec.slug)
        call_command("seed_demo", verbosity=0)
        for spec in DEMO_PORTALS:
            portal_pool.opened(spec.slug)
    yield
    with django_db_blocker.unblock():
        connection.close()
        for portal in Neighbourhood.objects.all():
            _drop(portal)
        # The network's collections and accounts belong to no portal: the demo's go too.
        ToolkitCollection.objects.all().delete()
        NetworkAccount.objects.filter(memberships__isnull=True).delete()
        tidy_catalog_if_churned()


def snapshot() -> dict[str, tuple]:
    """What a visitor and an animator would notice of each portal."""
    network = {}
    for portal in Neighbourhood.objects.order_by("schema_name"):
        with schema_context(portal.schema_name):
            pages = tuple(Page.objects.order_by("path").values_list("url_path", "live"))
            users = tuple(get_user_model().objects.order_by("username").values_list("username"))
            actors = tuple(
                Actor.objects.order_by("name").values_list("name", "latitude", "longitude")
            )
        domains = tuple(Domain.objects.filter(tenant=portal).values_list("domain", flat=True))
        network[portal.schema_name] = (portal.name, portal.kind, domains, pages, users, actors)
    return network


def test_seed_demo_twice_gives_the_same_network_of_nine_neighbourhoods_and_the_federation(
    demo_network,
):
    first = snapshot()
    folded = DailyIndicator.objects.count()
    call_command("seed_demo", verbosity=0)
    second = snapshot()

    kinds = [kind for (_, kind, *_rest) in first.values()]
    assert second == first
    assert kinds.count("neighbourhood") == 9
    assert kinds.count("federation") == 1
    assert first["federation"][2] == ("federation.localhost",)
    # Seeding again folds the same day again: replaced, never added.
    assert DailyIndicator.objects.count() == folded


def test_the_network_list_of_the_demo_shows_each_neighbourhoods_publications(demo_network):
    activity = network_activity()

    for portal in Neighbourhood.objects.filter(kind="neighbourhood"):
        assert activity[portal.pk].value("pages") > 0, portal.schema_name
        assert activity[portal.pk].value("editors") >= 1, portal.schema_name


def test_every_demo_portal_serves_its_home_and_news_in_french(demo_network):
    for portal in Neighbourhood.objects.all():
        browser = Client(HTTP_HOST=f"{portal.schema_name}.localhost")
        home = browser.get("/")
        news = browser.get("/actualites/")
        assert home.status_code == 200, portal.schema_name
        assert f"<h1>{portal.name}</h1>" in home.text.replace("&#x27;", "'")
        assert '<html lang="fr"' in home.text
        if portal.kind == "federation":  # the network's own news, not a neighbourhood's
            assert "Deux nouveaux quartiers rejoignent le réseau" in news.text
            assert "Les quartiers pilotes" in home.text
        else:
            assert "La conférence de rédaction ouvre ses portes" in news.text


def test_a_visitor_finds_the_demo_pages_with_the_portals_search(demo_network):
    # The demo's pages are indexed once, at the end of each portal's seeding
    # (tenants.bulk_writes), after being added as drafts and published: they must be found.
    browser = Client(HTTP_HOST="belleville.localhost")

    news = browser.get("/recherche/", {"q": "conférence de rédaction"}).text
    post = browser.get("/recherche/", {"q": "marché du samedi"}).text

    assert "La conférence de rédaction ouvre ses portes" in news
    assert "Le marché du samedi a changé" in post


def test_every_neighbourhood_maps_thirty_actors_in_its_city_and_a_workshop_with_two_seeds(
    demo_network,
):
    for portal in Neighbourhood.objects.filter(kind="neighbourhood"):
        centre_latitude, centre_longitude = CENTRES[portal.schema_name]
        with schema_context(portal.schema_name):
            actors = list(Actor.objects.all())
            workshop = WorkshopPage.objects.live().get()
            seeds = workshop.seeds.count()
            diagnosis = [block.block_type for block in workshop.diagnosis]
        assert len(actors) == ACTORS_PER_PORTAL, portal.schema_name
        for actor in actors:
            assert abs(float(actor.latitude) - centre_latitude) <= SPREAD_LATITUDE
            assert abs(float(actor.longitude) - centre_longitude) <= SPREAD_LONGITUDE
        assert seeds == 2
        assert diagnosis == ["brakes", "levers", "needs", "resources"]
        browser = Client(HTTP_HOST=f"{portal.schema_name}.localhost")
        assert browser.get("/acteurs/").status_code == 200
        assert browser.get("/graines-de-projet/").status_code == 200


def test_seed_demo_on_another_port_moves_every_portals_links_to_it(demo_network, settings):
    settings.PUBLIC_PORT = 8100
    output = io.StringIO()

    call_command("seed_demo", stdout=output)

    assert "Liens refaits pour le port 8100" in output.getvalue()
    for portal in Neighbourhood.objects.all():
        with schema_context(portal.schema_name):
            site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port) == (f"{portal.schema_name}.localhost", 8100)
    urls = SharedEntry.objects.values_list("url", flat=True)
    assert urls and all(":8100/" in url for url in urls)


def test_the_federation_shows_the_events_and_episodes_demo_portals_share(demo_network):
    federation = Client(HTTP_HOST="federation.localhost")

    agenda = federation.get("/reseau/agenda/")
    podcast = feedparser.parse(federation.get("/reseau/podcast.rss").content)

    events = SharedEntry.objects.filter(kind="event")
    assert agenda.status_code == 200
    assert events.values("tenant").distinct().count() >= 9  # every neighbourhood shares
    assert events.values("title").distinct().count() >= 4  # not the same event everywhere
    assert "Proposé par" in agenda.text
    assert not podcast.bozo
    assert len(podcast.entries) == 9
    assert all(entry.enclosures for entry in podcast.entries)


def test_the_demo_toolkit_has_collections_marks_and_portals_feedback(demo_network):
    from tenants.toolkit import Adoption, ToolkitCollection

    federation = Neighbourhood.objects.get(kind="federation")
    visitor = Client(HTTP_HOST=federation.get_primary_domain().domain)

    collections = visitor.get("/ressources/collections/").text
    kit = visitor.get("/ressources/collections/kit-de-demarrage/").text

    assert set(ToolkitCollection.objects.values_list("slug", flat=True)) == {
        "kit-de-demarrage",
        "education-aux-medias",
    }
    assert "Kit de démarrage" in collections
    assert "Éducation aux médias" in collections
    assert "Validée par la fédération" in kit
    assert "Adoptée par" in kit
    with_feedback = Adoption.objects.exclude(feedback="").select_related("sheet__tenant")
    assert with_feedback.count() >= 3
    adoption = with_feedback.first()
    sheet = visitor.get(
        f"/ressources/fiches/{adoption.sheet.tenant.schema_name}/{adoption.sheet.page_id}/"
    ).text
    assert adoption.portal.name in sheet
    assert "Ce qui a marché chez nous" in sheet


def test_every_demo_story_event_post_episode_show_and_actor_has_a_picture(demo_network):
    from portal.models import ArticlePage, BlogPostPage, EventPage
    from radio.models import EpisodePage, ShowPage

    for portal in Neighbourhood.objects.filter(kind="neighbourhood"):
        with schema_context(portal.schema_name):
            pages = [
                *ArticlePage.objects.live(),
                *EventPage.objects.live(),
                *BlogPostPage.objects.live(),
                *EpisodePage.objects.live(),
            ]
            shows = list(ShowPage.objects.all())
            without_logo = Actor.objects.filter(logo__isnull=True).count()
        assert pages and shows, portal.schema_name
        for page in pages:
            assert page.cover_id and page.cover_alt, (portal.schema_name, page.title)
        assert all(show.cover_id for show in shows), portal.schema_name
        assert without_logo == 0, portal.schema_name
    home = Client(HTTP_HOST="belleville.localhost")
    assert home.get("/").text.count("<picture>") >= 4


@pytest.mark.parametrize(
    ("slug", "opens"), [("belleville", True), ("lachapelle", True), ("picasso", False)]
)
def test_the_demo_person_of_two_portals_signs_in_to_both_with_the_demo_password(
    demo_network, slug, opens
):
    client = Client(HTTP_HOST=f"{slug}.localhost")
    client.post("/admin/login/", {"username": TWO_PORTALS_EMAIL, "password": DEMO_PASSWORD})
    pass_second_factor(client)

    assert (client.get("/admin/").status_code == 200) is opens


def test_the_demo_person_opens_the_animators_space_and_finds_colleagues(demo_network):
    client = Client(HTTP_HOST="federation.localhost")
    client.post(
        "/reseau/espace/connexion/", {"email": TWO_PORTALS_EMAIL, "password": DEMO_PASSWORD}
    )
    pass_second_factor(client)  # the demo key's code

    sheet = client.get("/espace-animateurs/animer-un-comite-de-redaction/")
    directory = client.get("/espace-animateurs/annuaire/").content.decode()

    assert sheet.status_code == 200
    assert "Sam Benali" in directory and "Thiago Almeida" in directory
    assert "Belleville en direct" in directory and "La Chapelle Info" in directory
