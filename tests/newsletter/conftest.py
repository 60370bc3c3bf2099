"""Helpers for the newsletter tests: the forms residents fill in, issues, a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from core.abuse import STARTED_FIELD
from newsletter import subscriptions
from newsletter.forms import SubscribeForm
from newsletter.models import NewsletterIndexPage, NewsletterPage, Subscriber
from tenants.network_login import set_network_password
from tests.classifieds.conftest import (
    form_opened_a_minute_ago,
    links_in,
    outbox,
    path_of,
)
from tests.conftest import logged_in

__all__ = ["links_in", "logged_in", "outbox", "path_of"]

SUBSCRIBE = "/abonnement/"


def subscribe_form(**overrides: object) -> dict:
    """What a resident types in the footer's form, a minute after the page opened."""
    data = {
        "email": "samia@example.org",
        "source": "footer",
        "site_web": "",
        STARTED_FIELD: form_opened_a_minute_ago(SubscribeForm),
    }
    data.update(overrides)
    return data


def active_subscriber(portal, email: str, topics: list[str] | None = None) -> Subscriber:
    """A subscriber who confirmed (made through the same services as the forms)."""
    with schema_context(portal.schema_name):
        subscriber = subscriptions.subscribe(
            email, topics, method="test", wording="J'accepte", notify=False
        )
        return subscriptions.confirm(subscriber)


def publish_issue(portal, title: str, **fields: object) -> NewsletterPage:
    """A published issue under the portal's "Infolettre" page."""
    with schema_context(portal.schema_name):
        index = NewsletterIndexPage.objects.get()
        fields.setdefault("intro", "<p>Bonjour les voisins !</p>")
        fields.setdefault(
            "body",
            [
                ("heading", {"text": "Ce mois-ci", "level": "h2"}),
                ("paragraph", '<p>Lisez <a href="/agenda/">l\'agenda</a>.</p>'),
                ("latest", {"source": "news", "title": "", "limit": 5}),
            ],
        )
        page = NewsletterPage(title=title, **fields)
        index.add_child(instance=page)
        page.save_revision().publish()
        return page


def animator_with_email(portal, animator_of):
    user = animator_of(portal)
    with schema_context(portal.schema_name):
        get_user_model().objects.filter(pk=user.pk).update(email="animation@example.org")
    user.email = "animation@example.org"
    with schema_context(portal.schema_name):
        # The address's network account, with their password (as a reset link makes it):
        # an animator's second factor hangs on it.
        set_network_password(user, user.password)
    return user


class Recorder:
    """An aiosmtpd handler that keeps every message, refuses some recipients, and can hang
    up (421) after a number of messages, as a real server under load does."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.stop_after: int | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Boîte inconnue"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stop_after is not None and len(self.messages) >= self.stop_after:
            return "421 4.3.2 Trop de messages, revenez plus tard"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[Recorder]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield recorder
    finally:
        controller.stop()
