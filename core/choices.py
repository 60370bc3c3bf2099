"""The label of a stored choice, as ``get_FOO_display`` gives it, for the fields a listing
shows on every card.

Django's ``get_FOO_display`` hashes every label of the field's choices at each call
(``make_hashable(field.flatchoices)``), and each label is a lazy translation: hashing it
translates it. Profiled at two milliseconds of a cold home page for its dozen cards (an
event's category, an ad's kind, an actor's kind). The choices' own enum finds the label
by its value in a dict and translates that one only.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def choice_label(choices: type[models.Choices], value: Any) -> Any:
    """The label of ``value`` among ``choices`` in the active language, or ``value`` as
    stored when it is none of them (as ``get_FOO_display``)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
