"""A portal's public events reach the Mobilizon relays that follow its agenda actor: a
signed ``Announce`` of an ``Event`` shaped as Mobilizon's converter reads it (contract
against a reference Mobilizon Event), then ``Update`` and ``Delete``; the Event's address
answers while it is public and 410 after. Private, draft and imported events never go
out, and nothing of a portal is served or sent through another."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apsig.draft.verify import Verifier
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction
from wagtail_factories import ImageFactory

from fediverse.events import event_object
from fediverse.models import DeliveryFailure
from portal.factories import ArticlePageFactory, EventPageFactory
from portal.public import EventIndexPage, EventPage
from tests.fediverse.agenda import agenda_of, send_to_agenda
from tests.fediverse.conftest import AP_ACCEPT, actor_of, send

pytestmark = pytest.mark.django_db

REFERENCE = json.loads((Path(__file__).parent / "reference" / "mobilizon_event.json").read_text())
# Mobilizon's categories (Mobilizon.Events.Categories): anything else becomes MEETING.
MOBILIZON_CATEGORIES = {
    "ARTS", "BOOK_CLUBS", "BUSINESS", "CAUSES", "COMEDY", "CRAFTS", "FOOD_DRINK", "HEALTH",
    "MUSIC", "AUTO_BOAT_AIR", "COMMUNITY", "FAMILY_EDUCATION", "FASHION_BEAUTY",
    "FILM_MEDIA", "GAMES", "LANGUAGE_CULTURE", "LEARNING", "LGBTQ", "MOVEMENTS_POLITICS",
    "NETWORKING", "PARTY", "PERFORMING_VISUAL_ARTS", "PETS", "PHOTOGRAPHY",
    "OUTDOORS_ADVENTURE", "SPIRITUALITY_RELIGION_BELIEFS", "SCIENCE_TECH", "SPORTS",
    "THEATRE", "MEETING",
}  # fmt: skip
SHARED_INBOX = "/inbox"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def relay_follows(peer, client_for):
    """The peer (a Mobilizon relay) follows ``portal``'s agenda; returns the agenda actor."""

    def follow(portal) -> dict:
        peer.server.accept_posts(SHARED_INBOX)
        client = client_for(portal)
        agenda = agenda_of(client)
        assert send_to_agenda(client, portal, peer, peer.follow(agenda["id"])).status_code == 202
        return agenda

    return follow


def _received(peer) -> list[dict]:
    return [json.loads(post.body) for post in peer.server.posts_to(SHARED_INBOX)]


def _same_shape(ours: dict, reference: dict, where: str = "") -> None:
    """Every key of Mobilizon's Event is in ours, with a value of the same JSON type."""
    for key, expected in reference.items():
        if key in ("_comment", "@context"):
            continue
        assert key in ours, f"{where}{key} missing"
        value = ours[key]
        if isinstance(expected, dict):
            _same_shape(value, expected, f"{where}{key}.")
        elif isinstance(expected, list) and expected and isinstance(expected[0], dict):
            assert value, f"{where}{key} empty"
            _same_shape(value[0], expected[0], f"{where}{key}[0].")
        else:
            assert type(value) is type(expected), f"{where}{key}: {value!r}"


def test_a_full_event_has_the_shape_mobilizon_reads(alpha, client_for):
    with schema_context(alpha.schema_name):
        page = EventPageFactory(
            title="Table ronde : nos rues",
            start=datetime.datetime(2027, 1, 16, 14, 0, tzinfo=PARIS),
            end=datetime.datetime(2027, 1, 16, 17, 30, tzinfo=PARIS),
            category=EventPage.Category.ROUND_TABLE,
            intro="<p>Les habitants racontent leur quartier.</p>",
            place_name="Maison des associations",
            address="12 rue des Envierges, 75020 Paris",
            latitude=Decimal("48.87211"),
            longitude=Decimal("2.38542"),
            registrations_open=True,
            places=30,
            cover=ImageFactory(title="Affiche"),
            cover_alt="Des habitants autour d'une table",
        )
        page.refresh_from_db()  # as published
        event = event_object(page)

    _same_shape(event, REFERENCE)
    assert event["type"] == "Event" and event["category"] in MOBILIZON_CATEGORIES
    assert event["startTime"] == "2027-01-16T14:00:00+01:00"
    assert event["endTime"] == "2027-01-16T17:30:00+01:00"
    assert event["timezone"] == "Europe/Paris"
    assert event["ical:status"] == "CONFIRMED" and event["joinMode"] == "external"
    assert event["externalParticipationUrl"] == event["url"]  # registrations on its page
    assert event["location"]["address"] == {
        "type": "PostalAddress",
        "streetAddress": "12 rue des Envierges",
        "postalCode": "75020",
        "addressLocality": "Paris",
        "addressRegion": "",
        "addressCountry": "France",
    }
    assert (event["location"]["latitude"], event["location"]["longitude"]) == (48.87211, 2.38542)
    [banner] = event["attachment"]
    assert banner["name"] == "Banner" and banner["url"].startswith("http://")
    actor = actor_of(client_for(alpha))
    assert event["attributedTo"] == actor["id"]
    assert "https://www.w3.org/ns/activitystreams#Public" in event["to"]


def test_a_published_event_reaches_the_relay_as_a_signed_announce(
    alpha, peer, relay_follows, client_for
):
    agenda = relay_follows(alpha)

    with schema_context(alpha.schema_name):
        page = EventPageFactory(title="Repair café", address="3 place Fréhel, 75020 Paris")

    [post] = peer.server.posts_to(SHARED_INBOX)
    announce = json.loads(post.body)
    assert announce["type"] == "Announce" and announce["actor"] == agenda["id"]
    event = announce["object"]
    assert event["type"] == "Event" and event["name"] == "Repair café"
    verifier = Verifier(
        agenda["publicKey"]["publicKeyPem"],
        "POST",
        peer.server.base + SHARED_INBOX,
        post.headers,
        post.body,
    )
    assert verifier.verify(raise_on_fail=True) == agenda["publicKey"]["id"]
    # Mobilizon fetches the announced object at its id: the same Event answers there.
    path = "/" + event["id"].split("/", 3)[3]
    fetched = client_for(alpha).get(path, HTTP_ACCEPT=AP_ACCEPT)
    assert fetched.status_code == 200
    assert fetched.json()["id"] == event["id"] and fetched.json()["startTime"] == event["startTime"]
    browser = client_for(alpha).get(path, HTTP_ACCEPT="text/html")
    with schema_context(alpha.schema_name):
        assert browser.status_code == 302 and browser["Location"] == page.get_url()


def test_an_edited_event_is_updated_and_an_unpublished_one_deleted(
    alpha, peer, relay_follows, client_for
):
    relay_follows(alpha)
    with schema_context(alpha.schema_name):
        page = EventPageFactory(title="Fête de rue")
        page.refresh_from_db()
        page.title = "Fête de rue (reportée)"
        page.save_revision().publish()
        page.refresh_from_db()
        page.unpublish()

    received = _received(peer)
    assert [activity["type"] for activity in received] == ["Announce", "Update", "Delete"]
    assert received[1]["object"]["name"] == "Fête de rue (reportée)"
    assert received[2]["object"]["id"] == received[0]["object"]["id"]
    # What was withdrawn, for servers that show it (ActivityStreams' formerType).
    assert received[2]["object"]["formerType"] == "Event"
    answer = client_for(alpha).get(f"/ap/events/{page.pk}", HTTP_ACCEPT=AP_ACCEPT)
    assert answer.status_code == 410


def test_a_failed_event_delivery_says_it_carried_an_event(alpha, relay_follows, settings):
    relay_follows(alpha)
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    with schema_context(alpha.schema_name):
        page = EventPageFactory(title="Fête de rue")
        page.refresh_from_db()
        page.unpublish()
        labels = sorted(failure.activity_label() for failure in DeliveryFailure.objects.all())

    assert labels == ["Annonce d'un événement", "Retrait d'un événement"]


def test_restricting_or_deleting_a_public_event_withdraws_it(alpha, peer, relay_follows):
    relay_follows(alpha)
    with schema_context(alpha.schema_name):
        restricted = EventPageFactory(title="Réservé aux adhérents")
        deleted = EventPageFactory(title="Annulé")
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.LOGIN
        )
        deleted.delete()

    kinds = [(activity["type"], activity["object"]["id"]) for activity in _received(peer)]
    assert kinds[2:] == [
        ("Delete", f"{kinds[0][1]}"),
        ("Delete", f"{kinds[1][1]}"),
    ]


def test_private_draft_and_imported_events_never_go_out(alpha, peer, relay_follows, client_for):
    relay_follows(alpha)
    with schema_context(alpha.schema_name):
        agenda = EventIndexPage.objects.get(locale__language_code="fr")
        private = agenda.add_child(
            instance=EventPageFactory.build(title="Bureau de l'association", live=False)
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        private.save_revision().publish()
        draft = agenda.add_child(instance=EventPageFactory.build(title="Brouillon", live=False))
        draft.save_revision()
        imported = EventPageFactory(
            title="Conseil de quartier",
            source_name="Mairie du 20e",
            source_url="https://mairie20.example/agenda/42",
        )
        imported.refresh_from_db()
        imported.unpublish()
        private.refresh_from_db()
        private.unpublish()

    assert _received(peer) == []
    client = client_for(alpha)
    for page in (private, draft, imported):
        assert client.get(f"/ap/events/{page.pk}", HTTP_ACCEPT=AP_ACCEPT).status_code in (404, 410)
    assert client.get(f"/ap/events/{imported.pk}", HTTP_ACCEPT=AP_ACCEPT).status_code == 404
    assert client.get("/ap/events/99999999999999999999", HTTP_ACCEPT=AP_ACCEPT).status_code == 404
    assert client.get("/ap/agenda/outbox").json()["totalItems"] == 0


def test_an_event_under_a_private_agenda_never_goes_out(alpha, peer, relay_follows):
    relay_follows(alpha)
    with schema_context(alpha.schema_name):
        agenda = EventIndexPage.objects.get(locale__language_code="fr")
        restriction = PageViewRestriction.objects.create(
            page=agenda, restriction_type=PageViewRestriction.LOGIN
        )
        try:
            EventPageFactory(title="Réunion interne")
        finally:
            restriction.delete()

    assert _received(peer) == []


def test_the_outbox_announces_the_public_events(alpha, client_for):
    with schema_context(alpha.schema_name):
        EventPageFactory(title="Vide-grenier")
    client = client_for(alpha)

    page = client.get("/ap/agenda/outbox", {"page": "1"}).json()

    [announce] = [item for item in page["orderedItems"] if item["object"]["name"] == "Vide-grenier"]
    assert announce["type"] == "Announce" and announce["actor"] == agenda_of(client)["id"]


def test_a_events_are_never_served_or_sent_through_b(alpha, beta, peer, relay_follows, client_for):
    relay_follows(beta)
    with schema_context(alpha.schema_name):
        page = EventPageFactory(title="Seulement chez A")

    assert _received(peer) == []
    at_beta = client_for(beta)
    assert at_beta.get(f"/ap/events/{page.pk}", HTTP_ACCEPT=AP_ACCEPT).status_code == 404
    names = [
        item["object"]["name"]
        for item in at_beta.get("/ap/agenda/outbox", {"page": "1"}).json()["orderedItems"]
    ]
    assert "Seulement chez A" not in names


def test_the_portals_followers_get_articles_and_the_relays_events_only(
    alpha, peer, relay_follows, client_for
):
    relay_follows(alpha)
    client = client_for(alpha)
    send(client, alpha, peer, peer.follow(actor_of(client)["id"]))  # and the portal itself
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Un article")
        EventPageFactory(title="Un événement")

    by_actor = {(activity["type"], activity["actor"]) for activity in _received(peer)}
    assert by_actor == {
        ("Create", actor_of(client)["id"]),
        ("Announce", agenda_of(client)["id"]),
    }


def test_the_outbox_costs_the_same_queries_for_more_events(alpha, client_for):
    client = client_for(alpha)

    def queries_for_outbox() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/ap/agenda/outbox", {"page": "1"}, HTTP_ACCEPT=AP_ACCEPT)
            assert page.status_code == 200
        return len(queries)

    with schema_context(alpha.schema_name):
        EventPageFactory(title="Premier")
    with_one = queries_for_outbox()
    with schema_context(alpha.schema_name):
        for number in range(4):
            EventPageFactory(title=f"Suivant {number}")

    assert queries_for_outbox() <= with_one
