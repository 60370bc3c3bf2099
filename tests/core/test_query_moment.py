"""Listings compare their dates with now rounded up to the second: nothing over is shown an
instant longer, and the requests of one second share one compiled query."""

import datetime

import pytest
import time_machine
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified
from core import combined_queries
from core.combined_queries import rows_of
from portal.factories import EventPageFactory
from portal.models import EventPage

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 12, 3, 11, 0, 0, 400_000, tzinfo=datetime.UTC)


def test_an_ad_expiring_within_the_second_is_already_hidden_and_one_after_is_shown(alpha):
    with schema_context(alpha.schema_name), time_machine.travel(NOON, tick=False):
        # Now is 11:00:00.4: the bike's ad expires at 11:00:00.7, the pram's at 11:00:01.3.
        ClassifiedFactory(title="Vélo d'enfant", expires_at=NOON + datetime.timedelta(seconds=0.3))
        ClassifiedFactory(title="Poussette", expires_at=NOON + datetime.timedelta(seconds=0.9))

        shown = set(Classified.objects.published().values_list("title", flat=True))

    assert shown & {"Vélo d'enfant", "Poussette"} == {"Poussette"}


def test_an_event_ending_within_the_second_is_past_not_upcoming(alpha):
    with schema_context(alpha.schema_name), time_machine.travel(NOON, tick=False):
        EventPageFactory(
            title="Goûter de fin d'atelier",
            start=NOON - datetime.timedelta(hours=1),
            end=NOON + datetime.timedelta(seconds=0.2),
        )
        EventPageFactory(
            title="Bal de quartier",
            start=NOON - datetime.timedelta(hours=1),
            end=NOON + datetime.timedelta(seconds=2),
        )

        upcoming = set(EventPage.objects.upcoming().values_list("title", flat=True))
        past = set(EventPage.objects.past().values_list("title", flat=True))

    assert "Goûter de fin d'atelier" in past and "Goûter de fin d'atelier" not in upcoming
    assert "Bal de quartier" in upcoming and "Bal de quartier" not in past


def test_the_upcoming_events_of_one_second_are_one_query_compiled_once(alpha):
    def key_and_titles() -> tuple[bytes, list[str]]:
        queryset = EventPage.objects.upcoming()
        # Before it is read: compiling the query (a miss) fills in parts of it.
        key = combined_queries._query_key(queryset, combined_queries._context(queryset))
        (rows,) = rows_of([queryset])
        return key, [event.title for event in rows]

    with schema_context(alpha.schema_name):
        # Dated from NOON, not from the machine's clock: upcoming at NOON whatever the day
        # the tests run.
        EventPageFactory(title="Repair café", start=NOON + datetime.timedelta(days=7))
        moments = [
            NOON,
            NOON + datetime.timedelta(seconds=0.5),
            NOON + datetime.timedelta(seconds=1),
        ]
        seen = []
        for moment in moments:
            with time_machine.travel(moment, tick=False):
                seen.append(key_and_titles())

    (first_key, first), (same_second_key, same_second), (next_second_key, _) = seen
    assert first == same_second == ["Repair café"]
    assert same_second_key == first_key
    assert next_second_key != first_key
