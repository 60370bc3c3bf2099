"""The moderation inbox gathers every feature's queue: the "Modération" page and menu
item, the dashboard panel, and the animators' daily digest. A source registered here for
the tests stands for any feature's."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail import hooks

from core.extension_points import MODERATION_SOURCES
from core.moderation import ModerationItem, ModerationSource
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

WAITING = ["Réaction de Karim", "Signalement d'un billet", "Réaction d'Awa"]


def _source(count: int = len(WAITING)):
    received = timezone.now() - datetime.timedelta(days=2)

    def waiting(limit: int) -> list[ModerationItem]:
        return [
            ModerationItem(title, "à relire", received, f"/admin/essai/{n}/")
            for n, title in enumerate(WAITING[:count][:limit])
        ]

    def sources():
        return [
            ModerationSource(
                key="essai",
                label="File d'essai",
                queue_url="/admin/essai/",
                waiting_count=lambda: count,
                waiting=waiting,
                permission="auth.change_user",  # the animators have it, contributors not
            )
        ]

    return sources


def _contributor(portal):
    with schema_context(portal.schema_name):
        user, _ = get_user_model().objects.get_or_create(
            username="plume@example.org", defaults={"email": "plume@example.org"}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="Contributeurs"))
    return user


def test_the_inbox_lists_each_source_with_its_count_and_oldest_items(
    alpha, client_for, animator_of
):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    with hooks.register_temporarily(MODERATION_SOURCES, _source()):
        inbox = browser.get("/admin/moderation/")
        dashboard = browser.get("/admin/")

    assert inbox.status_code == 200
    assert "File d&#x27;essai" in inbox.text
    assert all(title.replace("'", "&#x27;") in inbox.text for title in WAITING)
    assert 'href="/admin/essai/0/"' in inbox.text and 'href="/admin/essai/"' in inbox.text
    assert 'href="/admin/moderation/"' in dashboard.text  # the menu item and the panel
    assert "File d&#x27;essai</a> : 3" in dashboard.text


def test_users_without_a_source_get_no_menu_item_nor_panel(alpha, client_for):
    browser = logged_in(client_for(alpha), _contributor(alpha))

    with hooks.register_temporarily(MODERATION_SOURCES, _source()):
        dashboard = browser.get("/admin/")
        inbox = browser.get("/admin/moderation/")

    assert 'href="/admin/moderation/"' not in dashboard.text
    assert "Réaction de Karim" not in inbox.text
    assert "Aucune file de modération ne vous concerne." in inbox.text


def test_the_digest_goes_to_each_animator_once_a_day_with_links_to_the_portal(alpha, animator_of):
    animator = animator_of(alpha)
    _contributor(alpha)
    mail.outbox = []
    output = StringIO()

    with hooks.register_temporarily(MODERATION_SOURCES, _source()):
        call_command("send_moderation_digest", "--portal", alpha.schema_name, stdout=output)
        call_command("send_moderation_digest", "--portal", alpha.schema_name, stdout=StringIO())

    assert [message.to for message in mail.outbox] == [[animator.email]]
    body = mail.outbox[0].body
    assert "File d'essai : 3" in body
    assert "Réaction de Karim" in body
    assert "http://alpha.localhost:8000/admin/essai/0/" in body
    assert "http://alpha.localhost:8000/admin/moderation/" in body
    assert f"portail 1/1 : {alpha.schema_name} … 1 e-mail(s)" in output.getvalue()


def test_no_digest_when_nothing_waits(alpha, animator_of):
    animator_of(alpha)
    mail.outbox = []

    with hooks.register_temporarily(MODERATION_SOURCES, _source(count=0)):
        call_command("send_moderation_digest", stdout=StringIO())

    assert mail.outbox == []
