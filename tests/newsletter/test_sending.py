"""An issue reaches each subscriber of its portal exactly once, even when sending is cut off."""

import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from newsletter import sending
from newsletter.models import Delivery, Dispatch
from portal.factories import ArticlePageFactory
from tests.newsletter.conftest import active_subscriber, publish_issue

pytestmark = pytest.mark.django_db


def _schedule(portal, page, when=None) -> Dispatch:
    with schema_context(portal.schema_name):
        return sending.schedule(page, None, when)


def _deliveries(portal, page) -> Counter:
    with schema_context(portal.schema_name):
        return Counter(
            Delivery.objects.filter(dispatch__page=page).values_list("status", flat=True)
        )


def test_send_command_delivers_to_each_subscriber_of_the_portal_only(alpha, beta, outbox, capsys):
    for number in range(3):
        active_subscriber(alpha, f"alpha{number}@example.org")
    active_subscriber(beta, "beta@example.org")
    page = publish_issue(alpha, "La lettre d'Alpha")
    _schedule(alpha, page)

    call_command("send_newsletters")

    recipients = sorted(address for message in outbox for address in message.to)
    assert recipients == ["alpha0@example.org", "alpha1@example.org", "alpha2@example.org"]
    assert all(message.subject == "La lettre d'Alpha" for message in outbox)
    assert "alpha" in outbox[0].from_email.lower()
    output = capsys.readouterr().out
    assert "« La lettre d'Alpha » : 3 envoyé(s), 0 échec(s), 0 restant(s)" in output
    with schema_context(alpha.schema_name):
        assert Dispatch.objects.get(page=page).status == Dispatch.Status.SENT

    outbox.clear()
    call_command("send_newsletters")  # nothing left: nothing sent again
    assert outbox == []


def test_an_interrupted_send_resumes_and_delivers_each_message_exactly_once(alpha, outbox):
    emails = [f"resume{number}@example.org" for number in range(7)]
    for email in emails:
        active_subscriber(alpha, email)
    page = publish_issue(alpha, "Lettre reprise")
    _schedule(alpha, page)

    call_command("send_newsletters", "--portal", "alpha", "--batch-size", "2", "--max-batches", "2")
    assert len(outbox) == 4
    assert _deliveries(alpha, page) == {"sent": 4, "pending": 3}

    call_command("send_newsletters", "--portal", "alpha", "--batch-size", "2")

    received = Counter(address for message in outbox for address in message.to)
    assert {email: received[email] for email in emails} == dict.fromkeys(emails, 1)
    assert _deliveries(alpha, page) == {"sent": 7}


def test_an_issue_about_some_topics_goes_only_to_their_subscribers(alpha, outbox):
    active_subscriber(alpha, "agenda-seul@example.org", ["agenda"])
    active_subscriber(alpha, "radio-seule@example.org", ["radio"])
    page = publish_issue(alpha, "Spécial agenda", topics=["agenda"])
    _schedule(alpha, page)

    call_command("send_newsletters", "--portal", "alpha")

    recipients = {address for message in outbox for address in message.to}
    assert "agenda-seul@example.org" in recipients
    assert "radio-seule@example.org" not in recipients


def test_a_scheduled_issue_waits_for_its_time(alpha, outbox):
    active_subscriber(alpha, "patient@example.org")
    page = publish_issue(alpha, "Lettre de demain")
    _schedule(alpha, page, timezone.now() + datetime.timedelta(hours=2))

    call_command("send_newsletters", "--portal", "alpha")
    assert not any("patient@example.org" in message.to for message in outbox)

    with schema_context(alpha.schema_name):
        Dispatch.objects.filter(page=page).update(
            scheduled_for=timezone.now() - datetime.timedelta(minutes=1)
        )
    call_command("send_newsletters", "--portal", "alpha")
    assert any("patient@example.org" in message.to for message in outbox)


def test_an_unpublished_issue_cannot_be_sent(alpha):
    page = publish_issue(alpha, "Brouillon")
    with schema_context(alpha.schema_name):
        page.unpublish()
        with pytest.raises(sending.SendingError):
            sending.schedule(page, None)


def test_the_message_has_text_and_html_parts_and_personal_links(alpha, outbox):
    subscriber = active_subscriber(alpha, "lecteur@example.org")
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Le marché rouvre samedi")
    page = publish_issue(alpha, "Lettre complète")
    _schedule(alpha, page)

    call_command("send_newsletters", "--portal", "alpha")

    message = next(m for m in outbox if m.to == ["lecteur@example.org"])
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Le marché rouvre samedi" in message.body and "Le marché rouvre samedi" in html
    assert 'style="' in html and "<style" not in html  # CSS inlined for mail clients
    # Tagged: views it brings count as the infolettre's (docs/audience.md).
    assert 'href="http://alpha.localhost:8000/agenda/?utm_source=infolettre"' in html
    assert "http://alpha.localhost:8000/agenda/" in message.body
    assert "%%" not in html and "%%" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://alpha.localhost:8000/abonnement/desabonnement/"
    )
    assert html.count("/abonnement/gerer/") == 1  # this subscriber's own link
    assert subscriber.email not in html


def test_a_subscriber_who_left_after_the_start_gets_nothing(alpha, outbox):
    from newsletter import subscriptions

    leaving = active_subscriber(alpha, "parti@example.org")
    active_subscriber(alpha, "reste@example.org")
    page = publish_issue(alpha, "Lettre du départ")
    dispatch = _schedule(alpha, page)
    with schema_context(alpha.schema_name):
        sending.start(dispatch)
        subscriptions.unsubscribe(leaving, "test")

    call_command("send_newsletters", "--portal", "alpha")

    # The one who stayed gets the issue: the sending did run.
    assert [message.to for message in outbox] == [["reste@example.org"]]


def test_an_unknown_portal_is_one_clear_error():
    with pytest.raises(CommandError, match="Aucun portail actif"):
        call_command("send_newsletters", "--portal", "nulle-part")
