"""An admin session left idle ends: a forgotten tab on a shared computer (a community
centre, a library) does not leave a portal's admin open to the next person."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

IDLE = datetime.timedelta(minutes=settings.ADMIN_IDLE_TIMEOUT_MINUTES)


def test_an_admin_session_left_idle_asks_to_log_in_again(alpha, animator_of, client_for):
    client = logged_in(client_for(alpha), animator_of(alpha))
    assert client.get("/admin/").status_code == 200

    with time_machine.travel(timezone.now() + IDLE + datetime.timedelta(minutes=1)):
        response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert "sans activité" in client.get(response.url).text


def test_an_admin_session_in_use_stays_open_past_the_idle_delay(alpha, animator_of, client_for):
    client = logged_in(client_for(alpha), animator_of(alpha))
    start = timezone.now()

    # A request a little before each idle delay runs out, for three delays in all.
    for step in range(1, 4):
        with time_machine.travel(start + step * (IDLE - datetime.timedelta(minutes=1))):
            assert client.get("/admin/").status_code == 200


def test_an_open_editor_pinging_by_itself_does_not_keep_the_session_open(
    alpha, animator_of, client_for
):
    client = logged_in(client_for(alpha), animator_of(alpha))
    with schema_context(alpha.schema_name):
        home = Page.objects.get(depth=2)
    ping = f"/admin/editing-sessions/ping/wagtailcore/page/{home.pk}/0/"
    start = timezone.now()
    assert client.get("/admin/").status_code == 200

    # Wagtail's editor pings every few seconds while the page stays open in a forgotten tab.
    for minutes in range(5, int(IDLE.total_seconds() // 60), 5):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.post(ping).status_code == 200
    with time_machine.travel(start + IDLE + datetime.timedelta(minutes=5)):
        response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("cookie", ["0000000\x00", "a" * 40 + "'; --", "é" * 32])
@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/login/"])
def test_a_forged_session_cookie_is_no_session_never_a_500(alpha, client_for, cookie, path):
    visitor = client_for(alpha)
    visitor.cookies[settings.SESSION_COOKIE_NAME] = cookie

    response = visitor.get(path)

    assert response.status_code in (200, 302)
    if path == "/admin/":
        assert response.url.startswith("/admin/login/")


def test_a_genuine_session_cookie_still_opens_the_admin(alpha, animator_of, client_for):
    client = logged_in(client_for(alpha), animator_of(alpha))

    assert client.get("/admin/").status_code == 200
