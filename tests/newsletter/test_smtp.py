"""Through a real SMTP server (aiosmtpd, started by the test): what mailboxes receive."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context

from newsletter import sending
from newsletter.models import Delivery, Subscriber
from tests.conftest import host
from tests.newsletter.conftest import active_subscriber, path_of, publish_issue

pytestmark = pytest.mark.django_db


def _schedule(portal, page):
    with schema_context(portal.schema_name):
        sending.schedule(page, None)


def test_mailboxes_receive_multipart_messages_with_unsubscribe_headers_and_own_host_links(
    alpha, beta, smtp_server
):
    active_subscriber(alpha, "amina@example.org")
    active_subscriber(beta, "bruno@example.org")
    _schedule(alpha, publish_issue(alpha, "Infolettre d'Alpha n° 1"))
    _schedule(beta, publish_issue(beta, "Infolettre de Beta n° 1"))

    call_command("send_newsletters")

    by_recipient = {message["To"]: message for message in smtp_server.messages}
    assert sorted(by_recipient) == ["amina@example.org", "bruno@example.org"]
    for portal, email, subject in (
        (alpha, "amina@example.org", "Infolettre d'Alpha n° 1"),
        (beta, "bruno@example.org", "Infolettre de Beta n° 1"),
    ):
        message = by_recipient[email]
        assert message["Subject"] == subject
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Bonjour les voisins" in text and "Bonjour les voisins" in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
        links = set(re.findall(r'href="(https?://[^"]+)"', html))
        hosts = {re.match(r"https?://([^/:]+)", link).group(1) for link in links}
        assert hosts == {host(portal)}, links
        assert unsubscribe.startswith(f"http://{host(portal)}:8000/abonnement/desabonnement/")

        # The mail client's one-click POST, with no cookie, on the portal's own host.
        response = Client(HTTP_HOST=host(portal), enforce_csrf_checks=True).post(
            path_of(unsubscribe),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        with schema_context(portal.schema_name):
            assert Subscriber.objects.get(email=email).status == Subscriber.Status.UNSUBSCRIBED


def test_a_server_that_hangs_up_midway_loses_nothing_and_repeats_nothing(alpha, smtp_server):
    emails = [f"voisin{number}@example.org" for number in range(9)]
    for email in emails:
        active_subscriber(alpha, email)
    page = publish_issue(alpha, "Lettre interrompue")
    _schedule(alpha, page)
    smtp_server.stop_after = 5  # then "421, come back later" to every message

    with pytest.raises(CommandError, match="Envoi interrompu"):
        call_command("send_newsletters", "--portal", "alpha", "--batch-size", "4")
    assert len(smtp_server.messages) == 5

    smtp_server.stop_after = None
    call_command("send_newsletters", "--portal", "alpha", "--batch-size", "4")

    received = Counter(message["To"] for message in smtp_server.messages)
    assert received == dict.fromkeys(emails, 1)


def test_a_refused_address_is_recorded_and_the_others_still_get_the_issue(
    alpha, smtp_server, capsys
):
    for email in ("un@example.org", "inconnu@example.org", "trois@example.org"):
        active_subscriber(alpha, email)
    smtp_server.refused = {"inconnu@example.org"}
    page = publish_issue(alpha, "Lettre avec un échec")
    _schedule(alpha, page)

    call_command("send_newsletters", "--portal", "alpha")

    assert sorted(m["To"] for m in smtp_server.messages) == ["trois@example.org", "un@example.org"]
    with schema_context(alpha.schema_name):
        failed = Delivery.objects.get(dispatch__page=page, status=Delivery.Status.FAILED)
        assert failed.subscriber.email == "inconnu@example.org"
        assert "550" in failed.error
    assert "échec pour inconnu@example.org" in capsys.readouterr().out
