"""The sending provider's bounces and complaints stop the infolettre for that address, in
the portal whose message bounced and no other; forged or stray events change nothing.

The payloads are Mailgun's documented webhook bodies (the "failed" and "complained"
examples of Mailgun's webhook documentation, as anymail's own tests use them), signed the
way Mailgun signs them: HMAC-SHA256 of timestamp + token with the webhook signing key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django_tenants.utils import schema_context

from newsletter import sending, subscriptions
from newsletter.models import DeliveryProblem, Subscriber
from tenants.models import Neighbourhood
from tests.conftest import logged_in
from tests.newsletter.conftest import active_subscriber, publish_issue

pytestmark = pytest.mark.django_db

SIGNING_KEY = "key-bounces-test-0123456789"
WEBHOOK = "/anymail/mailgun/tracking/"


@pytest.fixture
def mailgun(settings):
    """Quartiers configured for Mailgun; messages recorded by anymail's test backend, which
    runs anymail's ``pre_send`` signal as the real Mailgun backend does."""
    settings.ANYMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "MAILGUN_API_KEY": "k"}
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    return settings


def signed(event_data: dict, key: str = SIGNING_KEY) -> str:
    timestamp = str(int(time.time()))
    token = uuid.uuid4().hex * 2
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return json.dumps(
        {
            "signature": {
                "timestamp": timestamp,
                "token": token,
                "signature": signature.hexdigest(),
            },
            "event-data": event_data,
        }
    )


def failed(recipient: str, portal: str | None, severity: str = "permanent", **extra) -> dict:
    """Mailgun's documented "failed" event (permanent: a bounce; temporary: deferred)."""
    data = {
        "event": "failed",
        "id": uuid.uuid4().hex[:22],
        "timestamp": time.time(),
        "log-level": "error" if severity == "permanent" else "warn",
        "severity": severity,
        "reason": "bounce" if severity == "permanent" else "generic",
        "recipient": recipient,
        "recipient-domain": recipient.split("@")[1],
        "envelope": {
            "sender": "noreply@quartiers.example",
            "transport": "smtp",
            "targets": recipient,
        },
        "message": {
            "headers": {
                "to": recipient,
                "message-id": extra.pop("message_id", f"{uuid.uuid4().hex}@quartiers.example"),
                "from": "Portail <noreply@quartiers.example>",
                "subject": "La lettre du quartier",
            },
            "attachments": [],
            "size": 111,
        },
        "delivery-status": {
            "attempt-no": 1,
            "message": "550 5.1.1 The email account that you tried to reach does not exist."
            if severity == "permanent"
            else "452 4.2.2 Mailbox full",
            "code": 550 if severity == "permanent" else 452,
            "description": "",
            "session-seconds": 0.4,
        },
        "flags": {"is-routed": False, "is-authenticated": True, "is-test-mode": False},
        "tags": [],
        "campaigns": [],
        "user-variables": {"portal": portal} if portal else {},
    }
    data.update(extra)
    return data


def complained(recipient: str, portal: str) -> dict:
    """Mailgun's documented "complained" event (the resident pressed "spam")."""
    return {
        "event": "complained",
        "id": uuid.uuid4().hex[:22],
        "timestamp": time.time(),
        "log-level": "warn",
        "recipient": recipient,
        "message": {
            "headers": {
                "to": recipient,
                "message-id": f"{uuid.uuid4().hex}@quartiers.example",
                "from": "Portail <noreply@quartiers.example>",
                "subject": "La lettre du quartier",
            },
            "attachments": [],
            "size": 111,
        },
        "flags": {"is-test-mode": False},
        "tags": [],
        "campaigns": [],
        "user-variables": {"portal": portal},
    }


def post_event(body: str, host: str = "localhost"):
    """What Mailgun does: POST the JSON to the webhook, on the network's public host."""
    return Client(HTTP_HOST=host).post(WEBHOOK, body, content_type="application/json")


def subscriber(portal, email: str) -> Subscriber:
    with schema_context(portal.schema_name):
        return Subscriber.objects.get(email=email)


def test_every_portal_message_names_its_portal_for_the_provider(alpha, mailgun):
    with schema_context(alpha.schema_name):
        # A message built anywhere (here as a feature's notification would be) ...
        EmailMessage("Votre annonce", "Bonjour", to=["nadia@example.org"]).send()
        # ... and the infolettre's own.
        sending.send_test(publish_issue(alpha, "Lettre marquée"), "test@example.org")

    for message in mail.outbox:
        assert message.anymail_test_params["metadata"] == {"portal": alpha.schema_name}
        assert message.extra_headers["X-Quartiers-Portal"] == alpha.schema_name


def test_hard_bounce_stops_the_infolettre_and_the_animator_sees_why(
    alpha, mailgun, animator_of, client_for
):
    active_subscriber(alpha, "partie@example.org")
    active_subscriber(alpha, "fidele@example.org")

    response = post_event(signed(failed("partie@example.org", alpha.schema_name)))

    assert response.status_code == 200
    gone = subscriber(alpha, "partie@example.org")
    assert gone.delivery_problem == DeliveryProblem.HARD_BOUNCE
    assert "550 5.1.1" in gone.delivery_problem_reason
    assert gone.delivery_problem_at is not None
    # The next issue goes to the working address only.
    page = publish_issue(alpha, "Lettre après rebond")
    with schema_context(alpha.schema_name):
        assert list(sending.recipients(page).values_list("email", flat=True)) == [
            "fidele@example.org"
        ]
    # The animator's list says why, and when.
    browser = logged_in(client_for(alpha), animator_of(alpha))
    listing = browser.get("/admin/infolettre/abonnes/?q=partie").content.decode()
    assert "Adresse en échec (rejet définitif)" in listing
    assert "550 5.1.1" in listing


def test_a_sending_under_way_skips_an_address_that_complained(alpha, mailgun):
    active_subscriber(alpha, "plainte@example.org")
    active_subscriber(alpha, "lectrice@example.org")
    page = publish_issue(alpha, "Lettre en cours")
    with schema_context(alpha.schema_name):
        dispatch = sending.start(sending.schedule(page, None))

    post_event(signed(complained("plainte@example.org", alpha.schema_name)))
    with schema_context(alpha.schema_name):
        sending.send_batches(dispatch)

    assert subscriber(alpha, "plainte@example.org").delivery_problem == DeliveryProblem.COMPLAINT
    assert [message.to for message in mail.outbox] == [["lectrice@example.org"]]


def test_soft_bounces_count_once_per_message_and_stop_at_the_limit(alpha, mailgun):
    mailgun.NEWSLETTER_SOFT_BOUNCE_LIMIT = 2
    active_subscriber(alpha, "pleine@example.org")
    first = "first-message@quartiers.example"

    for _retry in range(3):  # the provider reports each retry of the same message
        post_event(
            signed(failed("pleine@example.org", alpha.schema_name, "temporary", message_id=first))
        )
    still = subscriber(alpha, "pleine@example.org")
    assert (still.soft_bounces, still.delivery_problem) == (1, "")

    post_event(signed(failed("pleine@example.org", alpha.schema_name, "temporary")))

    stopped = subscriber(alpha, "pleine@example.org")
    assert stopped.delivery_problem == DeliveryProblem.SOFT_BOUNCES
    assert "Mailbox full" in stopped.delivery_problem_reason


def test_a_forged_or_unsigned_event_is_refused_and_changes_nothing(alpha, mailgun):
    active_subscriber(alpha, "visee@example.org")
    event = failed("visee@example.org", alpha.schema_name)

    forged = post_event(signed(event, key="not-the-key"))
    unsigned = post_event(json.dumps({"event-data": event}))
    not_json = post_event("{")

    assert (forged.status_code, unsigned.status_code, not_json.status_code) == (400, 400, 400)
    assert subscriber(alpha, "visee@example.org").delivery_problem == ""


def test_an_event_for_portal_a_never_touches_portal_b(alpha, beta, mailgun):
    active_subscriber(alpha, "partout@example.org")
    active_subscriber(beta, "partout@example.org")

    post_event(signed(complained("partout@example.org", beta.schema_name)))

    assert subscriber(beta, "partout@example.org").delivery_problem == DeliveryProblem.COMPLAINT
    assert subscriber(alpha, "partout@example.org").delivery_problem == ""


def test_the_webhook_is_not_served_on_a_portals_host(alpha, mailgun, client_for):
    active_subscriber(alpha, "hote@example.org")

    response = post_event(signed(failed("hote@example.org", alpha.schema_name)), "alpha.localhost")

    assert response.status_code == 404
    assert subscriber(alpha, "hote@example.org").delivery_problem == ""


@pytest.mark.parametrize("portal", ["inconnu", "public", "tpl_neighbourhood", "", None, 12])
def test_an_event_naming_no_live_portal_is_ignored(alpha, mailgun, portal):
    active_subscriber(alpha, "ailleurs@example.org")
    event = failed("ailleurs@example.org", None)
    event["user-variables"] = {"portal": portal}

    response = post_event(signed(event))

    assert response.status_code == 200
    assert subscriber(alpha, "ailleurs@example.org").delivery_problem == ""


def test_an_event_for_an_archived_portal_is_ignored(make_portal, mailgun):
    gamma = make_portal("gamma")
    active_subscriber(gamma, "archive@example.org")
    Neighbourhood.objects.filter(pk=gamma.pk).update(status=Neighbourhood.Status.ARCHIVED)

    response = post_event(signed(failed("archive@example.org", gamma.schema_name)))

    assert response.status_code == 200
    assert subscriber(gamma, "archive@example.org").delivery_problem == ""


def test_other_providers_addresses_and_no_provider_are_404(alpha, mailgun, settings):
    body = signed(failed("x@example.org", alpha.schema_name))
    brevo = Client().post("/anymail/brevo/tracking/", body, content_type="application/json")
    assert brevo.status_code == 404  # Brevo's view signs nothing: never open unconfigured
    settings.ANYMAIL_PROVIDER = ""
    assert post_event(body).status_code == 404


def test_subscribing_again_and_confirming_lifts_the_stop(alpha, mailgun):
    active_subscriber(alpha, "revenue@example.org")
    post_event(signed(failed("revenue@example.org", alpha.schema_name)))
    assert subscriber(alpha, "revenue@example.org").delivery_problem

    with schema_context(alpha.schema_name):
        again = subscriptions.subscribe(
            "revenue@example.org", None, method="test", wording="J'accepte"
        )
        assert again.status == Subscriber.Status.PENDING  # a new confirmation, not "already"
        subscriptions.confirm(again)

    back = subscriber(alpha, "revenue@example.org")
    assert (back.status, back.delivery_problem, back.soft_bounces) == ("active", "", 0)
