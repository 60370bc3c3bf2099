"""Helpers for the classifieds tests: the form a resident fills in, the links they receive."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.forms import ClassifiedPostForm, ContactForm
from classifieds.models import ClassifiedCategory
from core.abuse import STARTED_FIELD, started_stamp

SECTION = "/petites-annonces/"
ADMIN_ADS = "/admin/petites-annonces/annonces/"


def form_opened_a_minute_ago(form: type, portal: object = "alpha") -> str:
    """The time stamp ``form`` (a protected form's class) carries when rendered at
    ``portal`` (a portal or its schema's name; the tests' ``alpha`` unless told) a minute
    ago: a person took time to type."""
    schema_name = getattr(portal, "schema_name", portal)
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=1), tick=False):
        return started_stamp(form.stamp_name(), schema_name)


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
        STARTED_FIELD: form_opened_a_minute_ago(ClassifiedPostForm, portal),
    }
    data.update(overrides)
    return data


def contact_form(portal: object = "alpha", **overrides: object) -> dict:
    data = {
        "sender_name": "Karim",
        "sender_email": "karim@example.net",
        "message": "Bonjour, le vélo est-il toujours disponible ?",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(ContactForm, portal),
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
