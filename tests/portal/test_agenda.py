"""The agenda: upcoming and past, by month, and as iCal files calendars can read."""

import datetime
import zoneinfo

import pytest
from django_tenants.utils import schema_context
from icalendar import Calendar

from portal.factories import EventPageFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def agenda(alpha):
    now = datetime.datetime.now(tz=PARIS)
    with schema_context(alpha.schema_name):
        return {
            "soon": EventPageFactory(
                title="Atelier pitch", slug="pitch", start=now + datetime.timedelta(days=2)
            ),
            "later": EventPageFactory(
                title="Petit-déjeuner réseau",
                slug="petit-dej",
                start=now + datetime.timedelta(days=40),
            ),
            "over": EventPageFactory(
                title="Table ronde passée", slug="passee", start=now - datetime.timedelta(days=3)
            ),
            "summer": EventPageFactory(
                title="Fête de l'été",
                slug="fete-ete",
                start=paris(2026, 7, 14, 18, 30),
                end=paris(2026, 7, 14, 23, 0),
            ),
        }


def test_upcoming_lists_events_to_come_soonest_first(agenda, alpha, client_for):
    text = client_for(alpha).get("/agenda/").text

    assert text.index("Atelier pitch") < text.index("Petit-déjeuner réseau")
    assert "Table ronde passée" not in text


def test_past_lists_events_that_are_over(agenda, alpha, client_for):
    text = client_for(alpha).get("/agenda/passes/").text

    assert "Table ronde passée" in text
    assert "Atelier pitch" not in text


def test_month_filter_shows_only_that_month(agenda, alpha, client_for):
    text = client_for(alpha).get("/agenda/mois/2026-07/").text

    assert "Fête de l&#x27;été" in text
    assert "Atelier pitch" not in text
    assert "Juillet 2026" in text


def test_event_ical_opens_with_the_right_times(agenda, alpha, client_for):
    response = client_for(alpha).get("/agenda/fete-ete/ical/")

    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert response["Content-Type"].startswith("text/calendar")
    assert str(event["SUMMARY"]) == "Fête de l'été"
    assert event.decoded("DTSTART") == paris(2026, 7, 14, 18, 30)
    assert event.decoded("DTEND") == paris(2026, 7, 14, 23, 0)
    assert str(event["URL"]) == "http://alpha.localhost:8000/agenda/fete-ete/"


def test_agenda_ical_holds_every_upcoming_event_and_no_past_one(agenda, alpha, client_for):
    response = client_for(alpha).get("/agenda/ical/")

    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Atelier pitch", "Petit-déjeuner réseau"}


def test_another_portal_agenda_never_shows_these_events(agenda, beta, client_for):
    listing = client_for(beta).get("/agenda/").text
    ical = client_for(beta).get("/agenda/ical/").content

    assert "Atelier pitch" not in listing
    assert Calendar.from_ical(ical).walk("VEVENT") == []
    assert client_for(beta).get("/agenda/pitch/").status_code == 404
