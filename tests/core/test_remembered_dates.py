"""Dates written once per process (``core.templatetags.remembered_dates``) read as Django
writes them, in each visitor's language and time zone, whatever was written before."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

CARD = Template('{{ when|date:"j F Y" }} · {{ when|date:"l j F Y, H\\hi" }} · {{ when|date:"c" }}')
DAY = Template('{{ day|date:"l j F Y" }} · {{ day|date:"Y-m-d" }}')
THURSDAY = datetime.date(2026, 12, 3)
MOMENT = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=datetime.UTC)


def _card(when: object) -> str:
    return CARD.render(Context({"when": when}))


def test_a_date_reads_in_each_language_in_turn():
    written = {}
    for language in ("fr", "en", "fr", "ar", "en"):
        with translation.override(language):
            written.setdefault(language, set()).add(DAY.render(Context({"day": THURSDAY})))

    assert written["fr"] == {"jeudi 3 décembre 2026 · 2026-12-03"}
    assert written["en"] == {"Thursday 3 December 2026 · 2026-12-03"}
    assert len(written["ar"]) == 1 and "2026" in next(iter(written["ar"]))


def test_one_moment_reads_at_each_time_zones_hour():
    with translation.override("fr"):
        with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
            paris = _card(MOMENT)
        with timezone.override(zoneinfo.ZoneInfo("America/Cayenne")):
            cayenne = _card(MOMENT)
        with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
            paris_again = _card(MOMENT)

    assert "jeudi 3 décembre 2026, 19h30" in paris
    assert "jeudi 3 décembre 2026, 15h30" in cayenne
    assert paris_again == paris


def test_other_values_read_as_djangos_filter_writes_them():
    for value in (None, "", "pas une date", datetime.time(9, 5), 12):
        assert Template('{{ v|date:"j F Y" }}').render(Context({"v": value})) == (
            django_date(value, "j F Y") or ""
        )


def test_two_zones_at_the_same_offset_each_show_their_own_name():
    # Equal offsets make equal ``datetime.timezone`` objects whatever their names: a time
    # written with one zone's name must not show under the other's (Django writes each).
    shown = Template('{% load tz %}{% localtime off %}{{ when|date:"H\\hi T" }}{% endlocaltime %}')
    unnamed = datetime.timezone(datetime.timedelta(hours=1))
    named = datetime.timezone(datetime.timedelta(hours=1), "CET")
    with translation.override("fr"):
        first = shown.render(Context({"when": MOMENT.astimezone(unnamed)}))
        second = shown.render(Context({"when": MOMENT.astimezone(named)}))

    assert first == django_date(MOMENT.astimezone(unnamed), "H\\hi T") == "19h30 UTC+01:00"
    assert second == django_date(MOMENT.astimezone(named), "H\\hi T") == "19h30 CET"
