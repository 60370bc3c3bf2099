"""The demo network's weeks of history: past days only, written once, never over a day
the rollup folded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from observatory.demo import HISTORY_DAYS, seed_history
from tenants.factories import DailyIndicatorFactory
from tenants.models import DailyIndicator

pytestmark = pytest.mark.django_db


def test_history_fills_past_weeks_once_and_leaves_folded_days_alone(alpha):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    DailyIndicatorFactory(portal=alpha, day=yesterday, indicator="articles", value=12345)

    first = seed_history(today)
    again = seed_history(today)

    rows = DailyIndicator.objects.filter(portal=alpha)
    assert first > 0
    assert again == 0
    assert rows.get(day=yesterday, indicator="articles").value == 12345
    assert not rows.filter(day__gte=today).exists()
    assert rows.filter(indicator="subscribers").count() == HISTORY_DAYS
    subscribers = list(rows.filter(indicator="subscribers").order_by("day"))
    assert subscribers[-1].value >= subscribers[0].value  # a list that grows
