"""The observatory's figures, read from the folded daily indicators (public schema) only.

Every function takes the portal(s) it reads: the views pass the request's own portal (or,
for federation staff, every neighbourhood), never one named by the query string. A
period's value of an indicator is the sum of its days, or its last known value for a
snapshot (subscribers, editors). Charts group days by day, week or month depending on the
period's length, so that a year reads as twelve bars, not 365.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tenants.extension_points import ActivityCounter
from tenants.models import DailyIndicator, Neighbourhood
from tenants.rollup import PAGES, indicator_catalogue

PERIOD_CHOICES = [
    ("", _("Les dates choisies")),
    ("7", _("7 derniers jours")),
    ("30", _("30 derniers jours")),
    ("90", _("3 derniers mois")),
    ("365", _("12 derniers mois")),
]
DEFAULT_DAYS = 30
LONGEST_PERIOD = 3 * 366  # days: a longer one is refused (and would read as noise)
# No portal has figures before it, and a period near the year 1 has no period before it
# for the trends (Python's dates end there: a 500).
EARLIEST_DAY = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """From ``first`` to ``last``, both included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before, for the trends."""
        last = self.first - datetime.timedelta(days=1)
        return Period(last - datetime.timedelta(days=self.days - 1), last)

    def each_day(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=n) for n in range(self.days)]

    def query(self) -> str:
        """The query string that asks for this period again (exports, bilan)."""
        return f"debut={self.first.isoformat()}&fin={self.last.isoformat()}"

    def __str__(self) -> str:
        return str(
            _("du %(first)s au %(last)s")
            % {"first": date_format(self.first, "j F Y"), "last": date_format(self.last, "j F Y")}
        )


def last_days(days: int, today: datetime.date | None = None) -> Period:
    """The ``days`` days up to ``today`` included."""
    today = today or timezone.localdate()
    return Period(today - datetime.timedelta(days=days - 1), today)


class PeriodForm(forms.Form):
    """The period a dashboard, an export or a bilan covers: a length up to today, or two
    dates. Whatever a visitor types, the answer is a period (the default on an error)."""

    jours = forms.TypedChoiceField(
        label=_("Période"), choices=PERIOD_CHOICES, coerce=int, required=False, empty_value=None
    )
    debut = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput({"type": "date"}))
    fin = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("jours"):  # a length chosen in the list wins over the dates
            return cleaned
        first, last = cleaned.get("debut"), cleaned.get("fin")
        if bool(first) != bool(last):
            raise forms.ValidationError(_("Indiquez les deux dates, ou aucune."))
        if first and last:
            if last < first:
                raise forms.ValidationError(_("La date de fin précède la date de début."))
            if first < EARLIEST_DAY:
                raise forms.ValidationError(_("Choisissez des dates à partir du 1er janvier 2000."))
            if (last - first).days + 1 > LONGEST_PERIOD:
                raise forms.ValidationError(_("Choisissez une période de trois ans au plus."))
        return cleaned

    def period(self, today: datetime.date | None = None) -> Period:
        """The period asked for, or the last 30 days when the form is empty or wrong."""
        if not self.is_valid():
            return last_days(DEFAULT_DAYS, today)
        if self.cleaned_data.get("jours"):
            return last_days(self.cleaned_data["jours"], today)
        if self.cleaned_data.get("debut"):
            return Period(self.cleaned_data["debut"], self.cleaned_data["fin"])
        return last_days(DEFAULT_DAYS, today)


def period_from(query: dict, today: datetime.date | None = None) -> tuple[Period, PeriodForm]:
    """The period a query string asks for, and the form that shows it (with its errors)."""
    form = PeriodForm(query if any(key in query for key in ("jours", "debut", "fin")) else None)
    if form.is_bound:
        return form.period(today), form
    return last_days(DEFAULT_DAYS, today), PeriodForm(initial={"jours": str(DEFAULT_DAYS)})


@dataclass
class Indicator:
    """One indicator over a period for one portal (or the network): its value, the
    previous period's, and its chart's buckets (label, value)."""

    counter: ActivityCounter
    value: int = 0
    previous: int = 0
    buckets: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.counter.key

    @property
    def label(self) -> str:
        return str(self.counter.label)

    @property
    def change(self) -> int | None:
        """Percentage of change from the previous period (None when it was 0)."""
        if not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


def _values_by_portal(
    portal_ids: list[int], first: datetime.date, last: datetime.date
) -> dict[int, dict[str, dict[datetime.date, int]]]:
    """portal -> indicator -> day -> value: one query."""
    rows = DailyIndicator.objects.filter(
        portal_id__in=portal_ids, day__gte=first, day__lte=last
    ).values_list("portal_id", "indicator", "day", "value")
    values: dict[int, dict[str, dict[datetime.date, int]]] = defaultdict(lambda: defaultdict(dict))
    for portal_id, indicator, day, value in rows:
        values[portal_id][indicator][day] = value
    return values


def _summed(
    by_portal: dict[int, dict[str, dict[datetime.date, int]]],
) -> dict[str, dict[datetime.date, int]]:
    """indicator -> day -> value, summed over the portals."""
    values: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for by_key in by_portal.values():
        for indicator, days in by_key.items():
            for day, value in days.items():
                values[indicator][day] += value
    return values


def _period_value(counter: ActivityCounter, days: dict[datetime.date, int]) -> int:
    if not days:
        return 0
    if counter.is_snapshot:
        return days[max(days)]
    return sum(days.values())


def _bucket_of(day: datetime.date, span: int) -> tuple[datetime.date, str]:
    """The start of the bucket ``day`` falls in, and its label."""
    if span <= 31:
        return day, date_format(day, "j M")
    if span <= 190:
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, str(_("sem. du %(day)s") % {"day": date_format(monday, "j M")})
    month = day.replace(day=1)
    return month, date_format(month, "M Y")


def _buckets(
    counter: ActivityCounter, period: Period, days: dict[datetime.date, int]
) -> list[tuple[str, int | None]]:
    grouped: dict[datetime.date, tuple[str, list[int | None]]] = {}
    # A snapshot keeps its last known value over the days not folded; before its first
    # known day it has none (None: no point drawn, "—" in the table), rather than a 0.
    known = None
    for day in period.each_day():
        start, label = _bucket_of(day, period.days)
        if day in days:
            known = days[day]
        value = known if counter.is_snapshot else days.get(day, 0)
        grouped.setdefault(start, (label, []))[1].append(value)
    return [
        (label, values[-1] if counter.is_snapshot else sum(values))
        for label, values in grouped.values()
    ]


def _indicators(
    now: dict[str, dict[datetime.date, int]],
    before: dict[str, dict[datetime.date, int]],
    period: Period,
    catalogue: list[ActivityCounter],
) -> list[Indicator]:
    return [
        Indicator(
            counter=counter,
            value=_period_value(counter, now.get(counter.key, {})),
            previous=_period_value(counter, before.get(counter.key, {})),
            buckets=_buckets(counter, period, now.get(counter.key, {})),
        )
        for counter in catalogue
    ]


def indicators(portal_ids: list[int], period: Period) -> list[Indicator]:
    """Every indicator of the catalogue over ``period`` for the portals given (summed),
    with the previous period's value and the chart's buckets: two queries."""
    previous = period.previous()
    now = _summed(_values_by_portal(portal_ids, period.first, period.last))
    before = _summed(_values_by_portal(portal_ids, previous.first, previous.last))
    return _indicators(now, before, period, indicator_catalogue())


def indicators_by_portal(portal_ids: list[int], period: Period) -> dict[int, list[Indicator]]:
    """Each portal's indicators over ``period``: two queries whatever their number."""
    previous = period.previous()
    now = _values_by_portal(portal_ids, period.first, period.last)
    before = _values_by_portal(portal_ids, previous.first, previous.last)
    catalogue = indicator_catalogue()
    return {
        portal_id: _indicators(now.get(portal_id, {}), before.get(portal_id, {}), period, catalogue)
        for portal_id in portal_ids
    }


@dataclass
class PortalRow:
    """One portal of the network's comparison: its value of each indicator and its
    activity (the sum of what happened, snapshots left out) now and before."""

    portal: Neighbourhood
    values: dict[str, int]
    activity: int
    previous_activity: int

    @property
    def change(self) -> int | None:
        if not self.previous_activity:
            return None
        return round((self.activity - self.previous_activity) * 100 / self.previous_activity)


def compare_portals(portals: list[Neighbourhood], period: Period) -> list[PortalRow]:
    """Every portal's indicators over ``period``, side by side: two queries whatever the
    number of portals."""
    catalogue = indicator_catalogue()
    snapshots = {counter.key for counter in catalogue if counter.is_snapshot}

    def gather(first: datetime.date, last: datetime.date) -> dict[int, dict[str, int]]:
        found = _values_by_portal([portal.pk for portal in portals], first, last)
        return {
            portal_id: {
                counter.key: _period_value(counter, by_key.get(counter.key, {}))
                for counter in catalogue
            }
            for portal_id, by_key in found.items()
        }

    def activity(values: dict[str, int]) -> int:
        # Pages published already hold the articles, posts and events counted apart.
        return sum(value for key, value in values.items() if key not in snapshots | {PAGES})

    previous = period.previous()
    now, before = gather(period.first, period.last), gather(previous.first, previous.last)
    return [
        PortalRow(
            portal=portal,
            values={
                counter.key: now.get(portal.pk, {}).get(counter.key, 0) for counter in catalogue
            },
            activity=activity(now.get(portal.pk, {})),
            previous_activity=activity(before.get(portal.pk, {})),
        )
        for portal in portals
    ]
