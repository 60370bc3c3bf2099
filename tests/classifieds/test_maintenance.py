"""The maintenance command: expires, reminds, purges, digests; a second run changes nothing."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from classifieds.factories import ClassifiedFactory
from classifieds.models import Classified, ClassifiedStatusChange

pytestmark = pytest.mark.django_db
Status = Classified.Status


def _state(portal) -> tuple:
    with schema_context(portal.schema_name):
        ads = tuple(
            Classified.objects.order_by("pk").values_list("pk", "status", "reminder_sent_at")
        )
        changes = ClassifiedStatusChange.objects.count()
    return ads, changes


def test_running_twice_changes_nothing_the_second_time(alpha, beta, outbox, animator_of):
    now = timezone.now()
    animator_of(alpha)
    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            ClassifiedFactory(title="Bientôt expirée", expires_at=now + datetime.timedelta(days=1))
            ClassifiedFactory(title="Expirée", expires_at=now - datetime.timedelta(hours=1))
            ClassifiedFactory(title="À relire", status=Status.AWAITING_MODERATION)
            ClassifiedFactory(
                title="Jamais confirmée",
                status=Status.AWAITING_CONFIRMATION,
                created_at=now - datetime.timedelta(days=3),
            )

    with time_machine.travel(now, tick=False):
        first = io.StringIO()
        call_command("classifieds_maintenance", stdout=first)
        after_first = (_state(alpha), _state(beta), len(outbox))
        second = io.StringIO()
        call_command("classifieds_maintenance", stdout=second)
        after_second = (_state(alpha), _state(beta), len(outbox))

    assert after_second == after_first
    assert "alpha … 1 expirée(s), 1 rappel(s), 1 non confirmée(s) effacée(s)" in first.getvalue()
    assert "alpha … 0 expirée(s), 0 rappel(s), 0 non confirmée(s) effacée(s)" in second.getvalue()
    assert "2 annonce(s) expirée(s)" in first.getvalue()
    digests = [message for message in outbox if "à modérer" in message.subject]
    assert {message.to[0] for message in digests} >= {"animation@alpha.example.org"}
    assert all("alpha.localhost" in m.body for m in digests if "alpha" in m.to[0])


def test_emails_sent_by_the_command_link_to_each_portal_own_host(alpha, beta, outbox):
    now = timezone.now()
    for portal in (alpha, beta):
        with schema_context(portal.schema_name):
            ClassifiedFactory(
                author_email=f"auteur@{portal.schema_name}.example",
                expires_at=now + datetime.timedelta(days=2),
            )

    call_command("classifieds_maintenance", stdout=io.StringIO())

    reminders = {message.to[0]: message.body for message in outbox if "expire" in message.subject}
    assert (
        "http://alpha.localhost:8000/petites-annonces/gerer/" in reminders["auteur@alpha.example"]
    )
    assert "http://beta.localhost:8000/petites-annonces/gerer/" in reminders["auteur@beta.example"]
    assert "alpha.localhost" not in reminders["auteur@beta.example"]
