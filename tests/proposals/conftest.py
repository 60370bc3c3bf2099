"""Helpers for the proposals tests: the forms a resident fills in, photos, e-mailed links."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from proposals.forms import EventProposalForm, SubjectProposalForm
from tests.classifieds.conftest import form_opened_a_minute_ago

SECTION = "/participer/"
QUEUE = "/admin/propositions/"


def photo(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """A small real JPEG, as a phone would send it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def subject_form(portal: object = "alpha", **overrides: object) -> dict:
    """What a resident types in "Proposer un sujet", filled in a minute ago."""
    data = {
        "kind": "testimony",
        "title": "Trente ans au marché",
        "text": "Je tiens le stand de fruits depuis 1995.\n\nLe marché a bien changé.",
        "name": "Monsieur Diallo",
        "email": "diallo@example.org",
        "credit_consent": "oui",
        "consent": "on",
        "site_web": "",
        "formulaire_ouvert": form_opened_a_minute_ago(SubjectProposalForm, portal),
    }
    data.update(overrides)
    return data


def in_days(days: int, hour: int) -> str:
    """A date-time ``days`` from now at ``hour`` o'clock, as ``datetime-local`` sends it."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def event_form(portal: object = "alpha", **overrides: object) -> dict:
    """What a resident types in "Proposer un événement", filled in a minute ago."""
    data = {
        "title": "Vide-grenier des Lilas",
        "start": in_days(10, 9),
        "end": in_days(10, 17),
        "place": "Rue des Lilas",
        "organiser": "Les Lilas en fête",
        "text": "Le vide-grenier annuel, avec une buvette.",
        "name": "Sophie",
        "email": "sophie@example.org",
        "credit_consent": "oui",
        "consent": "on",
        "site_web": "",
        "formulaire_ouvert": form_opened_a_minute_ago(EventProposalForm, portal),
    }
    data.update(overrides)
    return data


def links_in(message: mail.EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def link(message: mail.EmailMessage, part: str) -> str:
    """The path of the first link of ``message`` holding ``part``."""
    url = next(url for url in links_in(message) if part in url)
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def outbox() -> list[mail.EmailMessage]:
    """Django's locmem outbox, emptied for the test."""
    mail.outbox = []
    return mail.outbox
