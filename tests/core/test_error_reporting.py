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
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
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


def served_by_wsgi(environ: dict) -> str:
    """The request through Django's WSGI handler, as gunicorn hands it (the SDK wraps that
    handler; the test client goes around it); the status line answered."""
    answered: list[str] = []
    # Like the test client: the test's transaction keeps its connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers, *_: answered.append(status))
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answered[0]


def test_an_error_is_reported_with_its_portal_and_path_and_nothing_personal(
    alpha, reported, settings
):
    settings.ROOT_URLCONF = "tests.core.failing_urls"
    request = RequestFactory().get(
        f"/panne/{TOKEN}/?jeton=secret0123456789abcdefgh&email=karim@example.net",
        HTTP_HOST=host(alpha),
        HTTP_COOKIE="quartiers_session=sessionsecrete0123456789abcdef",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer motdepasse",
        HTTP_USER_AGENT="Firefox",
    )

    status = served_by_wsgi(request.environ)
    sentry_sdk.flush()

    assert status.startswith("500")
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
