"""Every public form that e-mails someone: one message when it is valid, none when refused.

The forms are the hostile-input table's own (``TARGETS``, the same paths and valid data),
so the hostile check that a refused input sends nothing cannot pass merely because a form
never sends anything: here each one, valid, does send its message.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from core.abuse import HONEYPOT_FIELD, STARTED_FIELD, started_stamp
from portal.actors.proposals import animator_addresses
from tests.conftest import host
from tests.security.test_hostile_input import (
    TARGETS,
    Target,
    federation,
    places_to_take,
    portals,
    relay_ad,
)

__all__ = ["federation", "places_to_take", "portals", "relay_ad"]

pytestmark = pytest.mark.django_db

# Each public form that sends an e-mail, the field holding the visitor's own address, and
# to whom its one message goes (``animators``: the portal's animators).
MAILING_FORMS = {
    "classified post form": ("author_email", "samia@example.org"),
    "contact relay": ("sender_email", "the ad's author"),
    "actor proposal": ("proposer_email", "animators"),
    "actor correction": ("proposer_email", "animators"),
    # Only a confirmation link to the address given: the group hears of it once confirmed.
    "join a project seed": ("email", "karim@example.org"),
    "newsletter subscription": ("email", "lecteur@example.org"),
    "event registration": ("email", "fatou@example.org"),
    # A confirmation link to the address given: the animators hear of it once confirmed.
    "reaction": ("email", "samia@example.org"),
    "subject proposal": ("email", "diallo@example.org"),
    "event proposal": ("email", "sophie@example.org"),
}
# The public forms that e-mail nobody (a report goes to the animators' moderation queue;
# an anonymous consultation's answer is counted at once; an action group's news waits in
# the animators' inbox).
SILENT_FORMS = {"report an ad", "consultation answer", "action group page"}
# Sign-in forms answer on their own page and e-mail nobody, whether the password is right or not.
SIGN_IN_FORMS = {"animators' space sign-in"}
# The second factor's code pages (after a right password): a wrong code mails nobody; a
# right one signs in, and e-mails the person only from a browser unknown to the portal
# (tests/security/test_second_factor.py).
CODE_FORMS = {"second factor code", "second factor enrolment", "animators' space code"}

# Addresses other servers post to, not visitors' forms: signed JSON (the fediverse's inbox,
# tests/fediverse/test_inbox.py), refused with a 4xx when unsigned, and mailing nobody.
SERVER_ENDPOINTS = {"fediverse inbox"}


def opened_just_now(valid: dict) -> str:
    """A time stamp of the same form at the same portal as the valid data's, made now."""
    schema_name, form_name = valid[STARTED_FIELD].rsplit(":", 2)[0].split("/", 1)
    return started_stamp(form_name, schema_name)


# How a form gets refused: what is changed in its valid data (given the name of its e-mail
# field and that valid data), and the French words the refusal shows (HTML-escaped).
REFUSALS = {
    "robot's honeypot filled": (
        lambda email_field, valid: {HONEYPOT_FIELD: "http://spam.example"},
        "n&#x27;a pas pu être accepté",
    ),
    "sent at once": (
        lambda email_field, valid: {STARTED_FIELD: opened_just_now(valid)},
        "rempli ce formulaire très vite",
    ),
    "time stamp missing": (
        lambda email_field, valid: {STARTED_FIELD: ""},
        "n&#x27;a pas pu être accepté",
    ),
    "address not an address": (
        lambda email_field, valid: {email_field: "pas-une-adresse"},
        "Saisissez une adresse",  # "... de courriel valide" (Django's), "... e-mail complète"
    ),
}


def target(name: str) -> Target:
    return next(target for target in TARGETS if target.name == name)


@pytest.fixture
def send(portals, relay_ad, places_to_take, django_capture_on_commit_callbacks):
    """Send a form as a visitor, from the hostile table's valid data and some changes.

    What the view leaves to run once its transaction commits (the animators' e-mail about a
    proposal) runs too, as it would outside the test's rolled-back transaction.
    """

    def post(name: str, **overrides: object):
        form = target(name)
        portal = portals[form.portal]
        path = form.path.format(ad=relay_ad.pk, **places_to_take)
        mail.outbox = []
        with django_capture_on_commit_callbacks(execute=True):
            return Client(HTTP_HOST=host(portal)).post(path, form.base(portal) | overrides)

    return post


def expected_recipients(recipient: str, portal, relay_ad) -> list[str]:
    with schema_context(portal.schema_name):
        if recipient == "animators":
            return animator_addresses()
    return [relay_ad.author_email] if recipient == "the ad's author" else [recipient]


def test_every_public_form_is_listed_as_mailing_or_silent():
    posted = {form.name for form in TARGETS if form.method == "POST"}

    assert (
        posted == set(MAILING_FORMS) | SILENT_FORMS | SIGN_IN_FORMS | CODE_FORMS | SERVER_ENDPOINTS
    )


@pytest.mark.parametrize("name", sorted(SERVER_ENDPOINTS))
def test_an_unsigned_post_to_a_server_endpoint_is_refused_and_mails_nobody(name, send):
    response = send(name)

    assert 400 <= response.status_code < 500
    assert mail.outbox == []


@pytest.mark.parametrize("name", MAILING_FORMS)
def test_a_valid_form_sends_exactly_one_message(name, send, alpha, relay_ad):
    _email_field, recipient = MAILING_FORMS[name]

    response = send(name)

    assert response.status_code == 302, response.content[:2000]
    [message] = mail.outbox
    assert message.to == expected_recipients(recipient, alpha, relay_ad)


@pytest.mark.parametrize("refusal", REFUSALS)
@pytest.mark.parametrize("name", MAILING_FORMS)
def test_a_refused_form_sends_nothing_and_says_why_in_french(name, refusal, send, alpha):
    email_field, _recipient = MAILING_FORMS[name]
    change, explanation = REFUSALS[refusal]

    response = send(name, **change(email_field, target(name).base(alpha)))

    assert response.status_code == 400
    assert explanation in response.text
    assert mail.outbox == []


@pytest.mark.parametrize("name", sorted(SILENT_FORMS))
def test_a_form_that_mails_nobody_stays_silent_when_valid(name, send):
    response = send(name)

    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize("name", sorted(SIGN_IN_FORMS))
def test_a_refused_sign_in_mails_nobody_and_says_why_in_french(name, send):
    response = send(name)

    assert response.status_code == 400
    assert "mot de passe incorrect" in response.text
    assert mail.outbox == []


@pytest.mark.parametrize("name", sorted(CODE_FORMS))
def test_a_wrong_code_mails_nobody_and_says_why_in_french(name, portals):
    form = target(name)
    portal = portals[form.portal]
    client = Client(HTTP_HOST=host(portal))
    form.prepare(client, portals)
    mail.outbox = []

    response = client.post(form.path, form.base(portal))

    assert response.status_code == 400
    assert "Ce code n&#x27;est pas le bon" in response.text
    assert mail.outbox == []
