"""People who want a media in their own neighbourhood write to the federation: their
request is kept for its staff and told to them by e-mail; nothing is lost on a mistake."""

from __future__ import annotations

import datetime
import html
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from frontdoor.models import LaunchRequest
from tenants.group_names import FEDERATION_STAFF
from tests.conftest import PASSWORD, logged_in
from tests.frontdoor.conftest import launch_form

pytestmark = pytest.mark.django_db

PAGE = "/lancer-un-media/"


@pytest.fixture
def staff_member(federation):
    with schema_context(federation.schema_name):
        user = get_user_model().objects.create_user(
            username="equipe@federation.example",
            email="equipe@federation.example",
            password=PASSWORD,
        )
        user.groups.add(Group.objects.get(name=FEDERATION_STAFF))
    return user


def _requests(portal) -> list[LaunchRequest]:
    with schema_context(portal.schema_name):
        return list(LaunchRequest.objects.all())


def test_launch_page_says_what_it_takes_and_offers_the_form(federation, client_for):
    response = client_for(federation).get(PAGE)

    assert response.status_code == 200
    assert "Lancer un média" in response.text
    for label in ("Votre nom", "Votre structure", "Ville ou quartier", "Votre adresse e-mail"):
        assert label in response.text


def test_a_request_is_kept_and_told_to_the_staff(federation, staff_member, client_for):
    response = client_for(federation).post(PAGE, launch_form(federation))

    assert response.status_code == 302
    assert response["Location"] == "/lancer-un-media/demande-envoyee/"
    [request] = _requests(federation)
    assert (request.name, request.place) == ("Awa Diallo", "Quartier des Tilleuls, Blanc-Mesnil")
    [message] = mail.outbox
    assert set(message.to) == {"contact@federation.example", "equipe@federation.example"}
    assert message.reply_to == ["awa@tilleuls.example"]
    assert "webradio avec les jeunes" in message.body
    assert (
        f"http://federation.localhost:8000/admin/snippets/frontdoor/launchrequest/edit/{request.pk}/"
        in message.body
    )
    # Nothing typed in the subject.
    assert "Awa" not in message.subject and "Tilleuls" not in message.subject


def test_a_bad_request_comes_back_in_french_with_everything_typed(federation, client_for):
    response = client_for(federation).post(
        PAGE, launch_form(federation, email="awa-at-tilleuls", place="")
    )

    text = html.unescape(response.text)

    assert response.status_code == 400
    assert "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." in text
    assert "Indiquez la ville ou le quartier concerné." in text
    assert "Nous aimerions une webradio avec les jeunes du quartier." in text
    assert 'value="Centre social des Tilleuls"' in text
    assert _requests(federation) == []
    assert mail.outbox == []


def test_a_robot_filling_the_honeypot_is_refused(federation, client_for):
    response = client_for(federation).post(PAGE, launch_form(federation, site_web="http://spam"))

    assert response.status_code == 400
    assert _requests(federation) == []


def test_a_flood_of_requests_is_stopped(federation, client_for):
    visitor = client_for(federation)
    statuses = [
        visitor.post(PAGE, launch_form(federation, email=f"awa{n}@tilleuls.example")).status_code
        for n in range(6)
    ]

    assert statuses == [302] * 5 + [400]
    assert len(_requests(federation)) == 5


def test_staff_read_requests_in_the_admin(federation, staff_member, client_for):
    client_for(federation).post(PAGE, launch_form(federation))
    admin = logged_in(client_for(federation), staff_member)

    response = admin.get("/admin/snippets/frontdoor/launchrequest/")

    assert response.status_code == 200
    assert "Awa Diallo" in response.text


def test_a_neighbourhood_animator_never_reads_the_federation_requests(
    federation, alpha, animator_of, client_for
):
    client_for(federation).post(PAGE, launch_form(federation))
    admin = logged_in(client_for(alpha), animator_of(alpha))

    response = admin.get("/admin/snippets/frontdoor/launchrequest/")

    assert response.status_code in (302, 403)
    assert "Awa Diallo" not in response.text


def test_requests_are_forgotten_three_years_after_they_were_sent(federation, client_for):
    visitor = client_for(federation)
    visitor.post(PAGE, launch_form(federation, name="Ancienne demande"))
    visitor.post(PAGE, launch_form(federation, name="Demande récente", email="b@tilleuls.example"))
    with schema_context(federation.schema_name):
        LaunchRequest.objects.filter(name="Ancienne demande").update(
            created_at=timezone.now() - datetime.timedelta(days=1096)
        )
    report = StringIO()

    call_command("launch_requests_maintenance", "--portal", federation.schema_name, stdout=report)
    call_command("launch_requests_maintenance", "--portal", federation.schema_name, stdout=report)

    assert [request.name for request in _requests(federation)] == ["Demande récente"]
    assert "1 demande(s) effacée(s)" in report.getvalue()
    assert report.getvalue().count("0 demande(s) effacée(s)") == 2  # the second run: nothing
