"""The network's agenda: the events portals share, on the federation's host only, as a
page, an iCalendar file and an RSS feed read back by real parsers (icalendar, feedparser).

Each test keeps a shared public event beside the ones that must not show, and checks it
IS there: an empty answer would pass the "never shown" checks too.
"""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django_tenants.utils import schema_context
from icalendar import Calendar
from wagtail.models import Page, PageViewRestriction

from core.page_cache import HEADER
from portal.factories import EventPageFactory
from portal.models import EventIndexPage, EventPage
from tenants.lifecycle import reactivate, suspend
from tenants.models import Neighbourhood, SharedEntry

pytestmark = pytest.mark.django_db

AGENDA, ICAL, RSS = "/reseau/agenda/", "/reseau/agenda.ics", "/reseau/agenda/rss/"


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def soon(days: int, hours: int = 18) -> datetime.datetime:
    now = datetime.datetime.now(tz=datetime.UTC)
    return (now + datetime.timedelta(days=days)).replace(
        hour=hours, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def shared_event(alpha):
    """alpha's public event shared with the network: the one that must be listed."""
    with schema_context(alpha.schema_name):
        return EventPageFactory(
            title="Table ronde : se déplacer dans le quartier",
            slug="table-ronde",
            start=soon(5),
            place_name="Centre social Lilas",
            address="12 rue des Lilas",
            intro="<p>Entrée <b>libre</b> &amp; gratuite, l&#x27;équipe vous attend.</p>",
            shared_with_network=True,
        )


def calendar_summaries(content: bytes) -> set[str]:
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(content).walk("VEVENT")}


def everywhere(client) -> dict[str, str]:
    """What the agenda's page, calendar and feed say (as text) to an anonymous visitor."""
    page = client.get(AGENDA)
    calendar = client.get(ICAL)
    feed = client.get(RSS)
    assert page.status_code == calendar.status_code == feed.status_code == 200
    return {
        "page": page.text,
        "ical": " ".join(calendar_summaries(calendar.content)),
        "rss": " ".join(entry.title for entry in feedparser.parse(feed.content).entries),
    }


def test_agenda_lists_upcoming_shared_events_crediting_and_linking_their_portal(
    shared_event, beta, federation, client_for
):
    with schema_context(beta.schema_name):
        EventPageFactory(
            title="Atelier pitch", slug="pitch", start=soon(2), shared_with_network=True
        )

    text = client_for(federation).get(AGENDA).text

    assert text.index("Atelier pitch") < text.index("Table ronde : se déplacer")  # soonest first
    assert 'href="http://alpha.localhost:8000/agenda/table-ronde/"' in text
    assert "Centre social Lilas, 12 rue des Lilas" in text
    assert 'Proposé par <a href="http://alpha.localhost:8000/">Portail Alpha</a>' in text
    assert 'Proposé par <a href="http://beta.localhost:8000/">Portail Beta</a>' in text
    assert "Entrée libre &amp; gratuite, l&#x27;équipe vous attend." in text


@pytest.mark.parametrize("address", [AGENDA, ICAL, RSS, "/reseau/podcast.rss"])
def test_the_network_addresses_are_not_served_on_a_neighbourhood_host(
    address, shared_event, alpha, client_for
):
    assert client_for(alpha).get(address).status_code == 404
    assert client_for(None).get(address).status_code == 404  # nor on the network's own


def test_calendar_applications_read_the_network_agenda(shared_event, federation, client_for):
    response = client_for(federation).get(ICAL)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Table ronde : se déplacer dans le quartier"
    assert event.decoded("DTSTART") == shared_event.start
    assert event.decoded("DTEND") == shared_event.end
    assert str(event["LOCATION"]) == "Centre social Lilas, 12 rue des Lilas"
    assert str(event["URL"]) == "http://alpha.localhost:8000/agenda/table-ronde/"
    assert str(event["DESCRIPTION"]) == (
        "Entrée libre & gratuite, l'équipe vous attend.\n\nProposé par Portail Alpha."
    )
    # The same UID as in the portal's own calendar: an application subscribed to both
    # shows the event once.
    with schema_context("alpha"):
        own = Calendar.from_ical(
            client_for(Neighbourhood.objects.get(schema_name="alpha")).get("/agenda/ical/").content
        )
    assert [str(e["UID"]) for e in own.walk("VEVENT")] == [str(event["UID"])]


def test_feed_readers_read_the_network_agenda_as_clean_text(shared_event, federation, client_for):
    response = client_for(federation).get(RSS)
    feed = feedparser.parse(response.content)

    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Agenda du réseau · Fédération Quartiers"
    [entry] = feed.entries
    assert entry.title == "Table ronde : se déplacer dans le quartier (Portail Alpha)"
    assert entry.link == "http://alpha.localhost:8000/agenda/table-ronde/"
    assert entry.author == "Portail Alpha"
    assert "Centre social Lilas · Portail Alpha" in entry.summary
    assert entry.summary.endswith("Entrée libre & gratuite, l'équipe vous attend.")
    assert "&#x27;" not in entry.summary and "<b>" not in entry.summary


def test_unshared_draft_private_and_past_events_never_show(
    shared_event, alpha, federation, client_for
):
    with schema_context(alpha.schema_name):
        EventPageFactory(title="Réunion interne", start=soon(3))  # not shared
        section = EventIndexPage.objects.get(locale__language_code="fr")
        draft = EventPage(
            title="Brouillon partagé", start=soon(3), end=soon(3, 20), shared_with_network=True
        )
        draft.live = False
        section.add_child(instance=draft)
        draft.save_revision()  # saved as a draft, never published
        private = EventPageFactory(
            title="Réservé aux bénévoles", start=soon(3), shared_with_network=True
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        EventPageFactory(title="Fête passée", start=soon(-3), shared_with_network=True)

    seen = everywhere(client_for(federation))

    for where, text in seen.items():
        assert "Table ronde : se déplacer" in text, where
        for hidden in ("Réunion interne", "Brouillon partagé", "Réservé aux bénévoles"):
            assert hidden not in text, (where, hidden)
        assert "Fête passée" not in text, where


def test_private_section_keeps_its_events_out_of_the_network(
    shared_event, alpha, federation, client_for
):
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.create(
            page=EventIndexPage.objects.get(locale__language_code="fr"),
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",
        )

    seen = everywhere(client_for(federation))

    assert all("Table ronde" not in text for text in seen.values())
    assert not SharedEntry.objects.filter(tenant=alpha).exists()


def test_unpublishing_or_unsharing_takes_the_event_out_of_the_cached_agenda(
    shared_event, alpha, federation, client_for
):
    visitor = client_for(federation)
    assert "Table ronde" in visitor.get(AGENDA).text
    assert visitor.get(AGENDA)[HEADER] == "HIT"
    with schema_context(alpha.schema_name):
        other = EventPageFactory(title="Atelier vélo", start=soon(4), shared_with_network=True)
    assert "Atelier vélo" in visitor.get(AGENDA).text

    with schema_context(alpha.schema_name):
        Page.objects.get(pk=shared_event.pk).specific.unpublish()
        other.shared_with_network = False
        other.save_revision().publish()
    seen = everywhere(visitor)

    assert all("Table ronde" not in text and "Atelier vélo" not in text for text in seen.values())


def test_a_suspended_portal_events_leave_the_cached_agenda_and_come_back(
    shared_event, alpha, federation, client_for
):
    visitor = client_for(federation)
    assert "Table ronde" in visitor.get(AGENDA).text
    assert visitor.get(AGENDA)[HEADER] == "HIT"

    suspend(Neighbourhood.objects.get(pk=alpha.pk), reason="Travaux")
    while_suspended = everywhere(visitor)
    reactivate(Neighbourhood.objects.get(pk=alpha.pk))

    assert all("Table ronde" not in text for text in while_suspended.values())
    assert "Table ronde" in visitor.get(AGENDA).text


def test_an_event_whose_address_is_too_long_for_the_index_is_left_out_not_an_error(
    shared_event, alpha, federation, client_for
):
    with schema_context(alpha.schema_name):
        section = EventIndexPage.objects.get(locale__language_code="fr")
        section.slug = "a" * 255
        section.save_revision().publish()
        long = EventPageFactory(
            title="Adresse interminable", slug="b" * 255, start=soon(6), shared_with_network=True
        )
        assert len(long.get_full_url()) > 500

    seen = everywhere(client_for(federation))

    assert not SharedEntry.objects.filter(tenant=alpha, page_id=long.pk).exists()
    assert all("Adresse interminable" not in text for text in seen.values())


def test_the_hub_and_the_toolkit_list_no_events(shared_event, federation, alpha, client_for):
    with schema_context(federation.schema_name):
        EventPageFactory(title="Assemblée du réseau", start=soon(8), shared_with_network=True)

    hub = client_for(federation).get("/ressources/").text
    home = client_for(alpha).get("/").text

    assert "Table ronde" not in hub and "Assemblée du réseau" not in hub
    assert "Assemblée du réseau" not in home
    assert "Assemblée du réseau" in client_for(federation).get(AGENDA).text
