"""What the "on air now / next" block says, from the weekly grid, in Paris time.

2026's clocks change on Sunday 29 March (02:00 CET -> 03:00 CEST) and on Sunday
25 October (03:00 CEST -> 02:00 CET).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail_factories import ImageFactory

from radio.factories import ShowPageFactory, StationPageFactory, TimeSlotFactory
from radio.models import StationPage, Weekday
from radio.on_air import on_air

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def paris(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


def time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


@pytest.fixture
def station(alpha):
    with schema_context(alpha.schema_name):
        yield StationPageFactory(title="Radio Alpha")


def add_show(station, title, *slots):
    show = ShowPageFactory(parent=station, title=title)
    for day, start, end in slots:
        TimeSlotFactory(show=show, day=day, start=time(start), end=time(end))
    return show


def test_night_show_is_on_air_after_midnight_and_off_when_it_ends(station):
    nights = add_show(station, "Les nuits du quartier", (Weekday.FRIDAY, "23:00", "01:00"))

    # Friday 12 June 2026 at 23:00 -> Saturday 13 June at 01:00.
    after_midnight = on_air(station, at=paris(2026, 6, 13, 0, 30))
    at_the_end = on_air(station, at=paris(2026, 6, 13, 1, 0))

    assert after_midnight.now.show == nights
    assert after_midnight.now.local_start == paris(2026, 6, 12, 23, 0)
    assert after_midnight.now.local_end == paris(2026, 6, 13, 1, 0)
    assert at_the_end.now is None
    assert at_the_end.next.local_start == paris(2026, 6, 19, 23, 0)


def test_next_show_is_the_one_starting_tonight_before_midnight(station):
    add_show(station, "Micro jeunesse", (Weekday.SATURDAY, "14:00", "15:00"))
    nights = add_show(station, "Les nuits du quartier", (Weekday.FRIDAY, "23:00", "01:00"))

    friday_evening = on_air(station, at=paris(2026, 6, 12, 22, 0))

    assert friday_evening.now is None
    assert friday_evening.next.show == nights


def test_evening_show_follows_the_paris_clock_across_the_change_to_summer_time(station):
    every_evening = [(day, "20:00", "21:00") for day in Weekday.values]
    journal = add_show(station, "Le journal du soir", *every_evening)

    # 20:30 in Paris is 19:30 UTC on Saturday 28 March, 18:30 UTC on Sunday 29 March.
    saturday = on_air(station, at=utc(2026, 3, 28, 19, 30))
    sunday = on_air(station, at=utc(2026, 3, 29, 18, 30))
    sunday_an_hour_later = on_air(station, at=utc(2026, 3, 29, 19, 30))

    assert saturday.now.show == journal
    assert sunday.now.show == journal
    assert sunday.now.local_start.hour == 20
    assert sunday_an_hour_later.now is None


def test_evening_show_follows_the_paris_clock_across_the_change_to_winter_time(station):
    every_evening = [(day, "20:00", "21:00") for day in Weekday.values]
    journal = add_show(station, "Le journal du soir", *every_evening)

    # 20:30 in Paris is 18:30 UTC on Saturday 24 October, 19:30 UTC on Sunday 25 October.
    saturday = on_air(station, at=utc(2026, 10, 24, 18, 30))
    sunday = on_air(station, at=utc(2026, 10, 25, 19, 30))
    sunday_an_hour_earlier = on_air(station, at=utc(2026, 10, 25, 18, 30))

    assert saturday.now.show == journal
    assert sunday.now.show == journal
    assert sunday_an_hour_earlier.now is None
    assert sunday_an_hour_earlier.next.show == journal


def test_night_show_spanning_the_spring_change_ends_at_four_on_the_paris_clock(station):
    nights = add_show(station, "La nuit blanche", (Weekday.SATURDAY, "23:00", "04:00"))

    # 03:30 CEST is 01:30 UTC, 04:30 CEST is 02:30 UTC.
    during = on_air(station, at=utc(2026, 3, 29, 1, 30))
    after = on_air(station, at=utc(2026, 3, 29, 2, 30))

    assert during.now.show == nights
    assert during.now.local_end == paris(2026, 3, 29, 4, 0)
    assert during.now.ends_at - during.now.starts_at == datetime.timedelta(hours=4)
    assert after.now is None


def test_night_show_spanning_the_autumn_change_lasts_the_extra_hour(station):
    nights = add_show(station, "La nuit blanche", (Weekday.SATURDAY, "23:00", "04:00"))

    # 03:30 CET is 02:30 UTC, 04:30 CET is 03:30 UTC.
    during = on_air(station, at=utc(2026, 10, 25, 2, 30))
    after = on_air(station, at=utc(2026, 10, 25, 3, 30))

    assert during.now.show == nights
    assert during.now.ends_at - during.now.starts_at == datetime.timedelta(hours=6)
    assert after.now is None


def test_unpublished_show_is_never_announced(station):
    hidden = add_show(station, "Pilote en préparation", (Weekday.MONDAY, "10:00", "11:00"))
    hidden.unpublish()
    noon = add_show(station, "Le midi du quartier", (Weekday.MONDAY, "12:00", "13:00"))

    monday_morning = on_air(station, at=paris(2026, 6, 8, 10, 30))

    assert monday_morning.now is None
    assert monday_morning.next.show == noon  # the published show is announced


def test_without_a_station_the_home_page_block_follows_the_webradio(alpha):
    with schema_context(alpha.schema_name):
        StationPageFactory(title="Alpha TV", kind=StationPage.Kind.TV)
        radio = StationPageFactory(title="Radio Alpha")

        assert on_air().station == radio


def test_week_grid_page_lists_each_day_and_marks_slots_ending_the_next_day(
    alpha, station, client_for
):
    add_show(station, "Les nuits du quartier", (Weekday.FRIDAY, "23:00", "01:00"))
    add_show(station, "Micro jeunesse", (Weekday.WEDNESDAY, "17:00", "18:00"))

    response = client_for(alpha).get(f"{station.url}grille/")

    assert response.status_code == 200
    text = response.text
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"):
        assert f">{day}</h2>" in text
    assert '23:00\N{EN DASH}01:00 <span class="meta">(le lendemain)</span>' in text
    # In the week (the "on air / next" banner above it names whichever show comes next).
    week = text[text.index(">Lundi</h2>") :]
    assert week.index("Micro jeunesse") < week.index("Les nuits du quartier")


def test_the_home_page_reads_the_cover_of_the_show_on_air_with_the_grid(
    alpha, client_for, settings
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    with schema_context(alpha.schema_name):
        station = StationPageFactory(title="Radio Alpha")
        # On air all day, every day (else next): its cover is the radio block's artwork.
        show = add_show(station, "Toute la journée", *[(day, "00:00", "23:59") for day in Weekday])
        show.cover = ImageFactory(title="La pochette du matin")
        show.save_revision().publish()
    client = client_for(alpha)
    client.get("/")  # what a worker remembers after its first visit

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").text

    assert 'class="on-air__artwork"' in page
    assert "fill-192x192" in page
    # The cover came with the grid's slots, in the page's round trip: no query of its own.
    assert not [query for query in captured if 'FROM "wagtailimages_image"' in query["sql"]]
