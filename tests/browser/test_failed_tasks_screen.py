"""The federation's staff read a task that failed for good and relaunch it (core/task_admin.py)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import expect

from core.mail_queue import serialize
from tenants.default_portal import FEDERATION_STAFF
from tests.browser.conftest import log_into_admin
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


@pytest.fixture(scope="module")
def staff(federation, django_db_blocker) -> str:
    with django_db_blocker.unblock(), schema_context(federation.schema_name):
        user = get_user_model().objects.create_user(
            username="equipe@federation.example", email="equipe@federation.example"
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
        return user.username


WIDTHS = [1280, 360]


@pytest.fixture(scope="module")
def failed_mails(alpha, django_db_blocker) -> Iterator[dict[int, str]]:
    """Per screen width, a message a mail server refused four times, as the worker leaves
    it: committed before any test's transaction, for the live server's thread to see."""
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        rows = {width: _failed_mail(alpha) for width in WIDTHS}
    yield rows
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        DBTaskResult.objects.filter(task_path="core.mail_queue.deliver_email").delete()


def _failed_mail(alpha) -> str:
    return str(
        DBTaskResult.objects.create(
            id=uuid.uuid4(),
            status=TaskResultStatus.FAILED,
            args_kwargs={
                "args": [],
                "kwargs": {
                    "schema_name": alpha.schema_name,
                    "message": serialize(
                        EmailMessage("Votre annonce", "Texte", to=["s@example.org"])
                    ),
                    "attempt": 4,
                },
            },
            task_path="core.mail_queue.deliver_email",
            queue_name="email",
            backend_name="background",
            run_after=timezone.now(),
            finished_at=timezone.now() - datetime.timedelta(minutes=3),
            exception_class_path="smtplib.SMTPDataError",
            traceback="Traceback (most recent call last):\n  ...\n"
            "smtplib.SMTPDataError: (451, b'4.3.0 Serveur en maintenance, revenez plus tard')\n",
        ).id
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_read_the_error_and_relaunch_the_task(
    new_window, origin, federation, staff, failed_mails, alpha, shoot, width
) -> None:
    failed_mail = failed_mails[width]
    page = new_window(viewport={"width": width, "height": 800})
    log_into_admin(page, origin(federation), staff, PASSWORD)
    page.goto(origin(federation) + "/admin/reseau/taches/")

    row = page.locator(f'tr[data-task="{failed_mail}"]')
    expect(row).to_contain_text("Envoi d'un e-mail")
    expect(row).to_contain_text(alpha.schema_name)
    expect(row).to_contain_text("4.3.0 Serveur en maintenance")
    shoot(page, f"taches-en-echec-{width}")

    row.get_by_role("button", name="Relancer").click()
    expect(page.locator(".messages")).to_contain_text("La tâche est relancée")
    expect(page.locator(f'tr[data-task="{failed_mail}"]')).to_have_count(0)
    shoot(page, f"relancee-{width}")
