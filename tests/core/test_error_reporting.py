"""Errors reach a Sentry-compatible service with their portal and path, and nothing
personal (core/error_reporting.py). The SDK is the real one, configured as SENTRY_DSN
would configure it; only its last step, the HTTP post, is replaced by a transport of the
SDK's own interface that keeps the envelopes it is handed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import sentry_sdk
from django.test import Client
from django_tenants.utils import schema_context
from sentry_sdk.transport import Transport

from core.error_reporting import init_error_reporting
from tests.conftest import host

pytestmark = pytest.mark.django_db

TOKEN = "AbCdEf0123456789GhIjKlMnOp"


class KeepingTransport(Transport):
    """A transport that keeps the envelopes instead of posting them."""

    envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        KeepingTransport.envelopes.append(envelope)


@pytest.fixture
def reported() -> Iterator[list]:
    """The SDK as SENTRY_DSN starts it; the envelopes it would post."""
    KeepingTransport.envelopes = []
    init_error_reporting(
        "https://cle-publique@erreurs.example/1",
        environment="test",
        release="test",
        transport=KeepingTransport,
    )
    try:
        yield KeepingTransport.envelopes
    finally:
        sentry_sdk.init()  # no DSN: reporting off again for the other tests


def test_an_error_is_reported_with_its_portal_and_path_and_nothing_personal(
    alpha, reported, settings
):
    settings.ROOT_URLCONF = "tests.core.failing_urls"
    browser = Client(HTTP_HOST=host(alpha), raise_request_exception=False)
    browser.cookies["quartiers_session"] = "sessionsecrete0123456789abcdef"

    response = browser.get(
        f"/panne/{TOKEN}/?jeton=secret0123456789abcdefgh&email=karim@example.net",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer motdepasse",
        HTTP_USER_AGENT="Firefox",
    )
    sentry_sdk.flush()

    assert response.status_code == 500
    events = [e for e in (env.get_event() for env in KeepingTransport.envelopes) if e]
    assert events, "no event reached the transport"
    event = events[0]
    assert event["tags"]["portal"] == alpha.schema_name
    assert event["tags"]["path"] == "/panne/[jeton]/"
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["request"]["headers"] == {"Host": host(alpha), "User-Agent": "Firefox"}
    sent = json.dumps(events)
    for private in (
        "samia@example.org",
        "karim@example.net",
        "203.0.113.9",
        "sessionsecrete",
        "secret0123456789",
        "motdepasse",
        TOKEN,
    ):
        assert private not in sent, private
    assert all("user" not in e for e in events)


def test_a_failing_task_is_reported_with_its_portal(alpha, reported):
    with schema_context(alpha.schema_name):
        logging.getLogger("core.mail_queue").error(
            "E-mail not delivered: (550, b'5.1.1 <samia@example.org> inconnue')"
        )
    sentry_sdk.flush()

    [event] = [e for e in (env.get_event() for env in KeepingTransport.envelopes) if e]
    assert event["tags"]["portal"] == alpha.schema_name
    assert "samia@example.org" not in json.dumps(event)
    assert "[e-mail]" in json.dumps(event)
