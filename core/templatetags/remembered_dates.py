"""Django's ``date`` filter, each date written once per process for its format and
language: this library is one of the template engine's built-ins (``core.settings``),
after Django's own, so every template's ``|date`` is this one.

A card's dates (``|date:"j F Y"``, ``|date:'c'``...) cost Django a format lookup, the
month's and day's names through the translation catalogue and a formatter built for each
value: profiled at about a twentieth of a cold home page (issue 25 §2) for forty-odd
dates, the same at every request. What Django writes depends on the value (its time zone,
its zone's name and fold for a time), the format and the active language alone (the formats are
settings'), so it is kept under these. Any other value (a string, None, a lazy object)
goes to Django's filter as before.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation

from core.process_memo import ProcessMemo

register = template.Library()

# Dates kept, the least recently used dropped first.
_kept: ProcessMemo[str] = ProcessMemo(4096)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, written once a process for each date, format and
    language."""
    kind = type(value)
    if kind is not datetime.date and kind is not datetime.datetime:
        return django_date(value, arg)
    key = (
        kind,
        value,
        getattr(value, "tzinfo", None),
        # Fixed offsets compare equal whatever their names ("T", "e" write the name).
        value.tzname() if kind is datetime.datetime else None,
        getattr(value, "fold", 0),
        arg,
        translation.get_language(),
    )
    return _kept.made(key, lambda: django_date(value, arg))
