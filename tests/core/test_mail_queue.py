"""E-mail leaves the request (core/mail_queue.py): a real SMTP server on 127.0.0.1 that
refuses, then recovers; the database queue of production; the worker's own code.

Here the ``background`` tasks go to the database backend (the other tests run them at
once), and ``run_worker`` does what ``manage.py db_worker`` does for each ready row
(claim it, run it, record the outcome) without its sleeping loop.
"""

from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core import task_queue
from core.mail_queue import deserialize, serialize
from tenants.default_portal import FEDERATION_STAFF
from tests.classifieds.conftest import SECTION, ad_form
from tests.conftest import PASSWORD, host, known_browser, pass_second_factor
from tests.task_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db

FAILED_TASKS = "/admin/reseau/taches/"


class FlakyServer:
    """An aiosmtpd handler: answers ``refusal`` to every message while it is set, as a
    server under load or in maintenance does, then accepts and keeps them."""

    def __init__(self) -> None:
        self.refusal: str | None = None
        self.attempts = 0
        self.received: list = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refusal:
            return self.refusal
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings) -> Iterator[FlakyServer]:
    """The queue in the database, and the worker delivering to a real SMTP server."""
    server = FlakyServer()
    controller = Controller(server, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        controller.stop()


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def staff_at(federation) -> Client:
    with schema_context(federation.schema_name):
        user = get_user_model().objects.create_user(
            username="equipe@federation.example",
            email="equipe@federation.example",
            password=PASSWORD,
        )
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
    # A browser the staff member used before: the sign-in queues no e-mail of its own.
    client = known_browser(Client(HTTP_HOST=host(federation)), user.email)
    assert (
        client.post("/admin/login/", {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )
    pass_second_factor(client)
    return client


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def test_a_message_crosses_the_queue_whole():
    message = EmailMultiAlternatives(
        subject="Inscription : atelier vélo",
        body="Bonjour Samia,",
        from_email="Portail <noreply@quartiers.example>",
        to=["samia@example.org"],
        cc=["copie@example.org"],
        reply_to=["animation@example.org"],
        headers={"List-Id": "Alpha <infolettre.alpha.localhost>"},
    )
    message.attach_alternative("<p>Bonjour Samia,</p>", "text/html")
    message.attach("atelier.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("plan.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")

    copy = deserialize(serialize(message))

    assert (copy.subject, copy.body, copy.to, copy.cc, copy.reply_to) == (
        message.subject,
        message.body,
        message.to,
        message.cc,
        message.reply_to,
    )
    assert copy.extra_headers == message.extra_headers
    assert copy.alternatives[0][0] == "<p>Bonjour Samia,</p>"
    assert copy.attachments[1].content == b"\x89PNG\r\n\x1a\n\x00\xff"


def test_the_resident_gets_the_page_at_once_and_the_mail_once_the_server_recovers(
    alpha, client_for, smtp
):
    smtp.refusal = "451 4.3.0 Surcharge, revenez plus tard"

    response = client_for(alpha).post(f"{SECTION}deposer/", ad_form(alpha))

    assert response.status_code == 302  # the ad is saved, the resident sees what follows
    assert smtp.attempts == 0  # nothing tried while the resident waited

    assert run_worker() == 1
    assert smtp.attempts == 1 and smtp.received == []
    assert run_worker() == 0  # the next attempt waits its minute

    smtp.refusal = None
    with later(minutes=2):
        assert run_worker() == 1
    with later(minutes=120):
        assert run_worker() == 0

    assert len(smtp.received) == 1
    delivered = smtp.received[0]
    assert delivered["To"] == "samia@example.org"
    assert "http://alpha.localhost:8000/petites-annonces/confirmer/" in (
        delivered.get_body(("plain",)).get_content()
    )
    assert task_queue.failed_tasks() == []


def test_a_permanent_refusal_fails_at_once_without_retrying(alpha, smtp):
    smtp.refusal = "550 5.1.1 Boîte inconnue"
    with schema_context(alpha.schema_name):
        EmailMessage("Sujet", "Texte", to=["inconnu@example.org"]).send()

    assert run_worker() == 1
    with later(minutes=60):
        assert run_worker() == 0

    assert smtp.attempts == 1
    [failed] = task_queue.failed_tasks()
    assert failed.schema_name == alpha.schema_name
    assert "550" in failed.error


def test_a_rolled_back_action_sends_nothing(alpha, smtp):
    with schema_context(alpha.schema_name), pytest.raises(RuntimeError), transaction.atomic():
        EmailMessage("Sujet", "Texte", to=["samia@example.org"]).send()
        raise RuntimeError("l'action échoue après avoir écrit son e-mail")

    assert run_worker() == 0
    assert smtp.attempts == 0


def test_after_its_last_attempt_a_task_waits_for_the_staff_who_relaunch_it(
    alpha, federation, animator_of, smtp, settings
):
    settings.TASK_RETRY_DELAYS = [60]
    smtp.refusal = "451 4.3.0 En maintenance"
    with schema_context(alpha.schema_name):
        EmailMessage("Votre annonce", "Texte", to=["samia@example.org"]).send()
    assert run_worker() == 1
    with later(minutes=2):
        assert run_worker() == 1
    [failed] = task_queue.failed_tasks()
    assert (failed.attempts, failed.schema_name, failed.label) == (
        2,
        alpha.schema_name,
        "Envoi d'un e-mail",
    )

    # Only the federation's staff see the network's tasks, never a portal's animators.
    animator = known_browser(Client(HTTP_HOST=host(alpha)), animator_of(alpha).email)
    animator.post("/admin/login/", {"username": animator_of(alpha).username, "password": PASSWORD})
    pass_second_factor(animator)
    refused = animator.get(FAILED_TASKS)
    assert refused.status_code in (302, 403)
    assert failed.id not in refused.text
    assert animator.post(FAILED_TASKS, {"relaunch": failed.id}).status_code in (302, 403)
    assert len(task_queue.failed_tasks()) == 1

    staff = staff_at(federation)
    screen = staff.get(FAILED_TASKS)
    assert screen.status_code == 200
    assert "4.3.0 En maintenance" in screen.text
    assert f'value="{failed.id}"' in screen.text and "Relancer" in screen.text

    smtp.refusal = None
    relaunched = staff.post(FAILED_TASKS, {"relaunch": failed.id}, follow=True)
    assert "La tâche est relancée" in relaunched.text
    assert task_queue.failed_tasks() == []
    assert run_worker() == 1
    assert [m["Subject"] for m in smtp.received] == ["Votre annonce"]

    again = staff.post(FAILED_TASKS, {"relaunch": failed.id}, follow=True)
    assert "plus en échec (déjà relancée" in again.text
    assert staff.post(FAILED_TASKS, {"relaunch": "pas-un-identifiant"}).status_code == 302
