"""Helpers for the classifieds tests: the form a resident fills in, the links they receive."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.models import ClassifiedCategory
from core.abuse import STARTED_FIELD, StartedStampInput

SECTION = "/petites-annonces/"
ADMIN_ADS = "/admin/petites-annonces/annonces/"


def form_opened_a_minute_ago() -> str:
    """The time stamp a form rendered a minute ago carries (a person took time to type)."""
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=1), tick=False):
        return StartedStampInput().format_value(None)


def ad_form(portal, **overrides: object) -> dict:
    """What a resident types in the post form, filled in a minute ago."""
    with schema_context(portal.schema_name):
        category = ClassifiedCategory.objects.get(slug="objets")
    data = {
        "kind": "offer",
        "category": str(category.pk),
        "title": "Donne vélo enfant",
        "text": "Vélo 16 pouces, petites roues fournies.\nÀ venir chercher le soir.",
        "price_kind": "free",
        "price": "",
        "area": "Rue des Lilas",
        "contact_preference": "relay",
        "phone": "",
        "author_name": "Samia",
        "author_email": "samia@example.org",
        "consent": "on",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(),
    }
    data.update(overrides)
    return data


def contact_form(**overrides: object) -> dict:
    data = {
        "sender_name": "Karim",
        "sender_email": "karim@example.net",
        "message": "Bonjour, le vélo est-il toujours disponible ?",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(),
    }
    data.update(overrides)
    return data


def links_in(message: mail.EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def outbox() -> list[mail.EmailMessage]:
    """Django's locmem outbox, emptied for the test."""
    mail.outbox = []
    return mail.outbox
