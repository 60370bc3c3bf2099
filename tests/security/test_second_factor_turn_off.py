"""A contributor turns their optional second factor off, proven by a current code; whoever
must have one (animator or above at any portal) cannot, nor can a session left open."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from core.second_factor import TURNED_OFF_SUBJECT
from tenants.accounts import NetworkAccount
from tenants.group_names import ANIMATORS, CONTRIBUTORS
from tenants.models import NetworkAction
from tenants.second_factor import RecoveryCode, device_of, set_recovery_codes
from tests.conftest import next_code, pass_second_factor
from tests.security.test_second_factor import (
    CODE,
    client_of,
    password_step,
    person,
    signed_in,
    with_device,
)

pytestmark = pytest.mark.django_db

TURN_OFF = "/admin/double-authentification/desactiver/"
TURN_ON = "/admin/double-authentification/"


def signed_in_with_code(portal, user, device):
    client = client_of(portal)
    password_step(client, user.username)
    pass_second_factor(client, next_code(device))
    assert signed_in(client, portal)
    mail.outbox.clear()
    return client


def test_a_contributor_turns_it_off_with_a_code_and_signs_in_with_the_password_alone(alpha):
    user, device = with_device(alpha, "contrib-sans-code@example.org", CONTRIBUTORS)
    account = NetworkAccount.objects.get(email=user.email)
    set_recovery_codes(account)
    client = signed_in_with_code(alpha, user, device)

    assert client.get(TURN_ON)["Location"] == TURN_OFF
    page = client.get(TURN_OFF)
    assert page.status_code == 200 and "Désactiver la double authentification" in page.text

    response = client.post(TURN_OFF, {"code": next_code(device)})

    assert response.status_code == 302
    assert device_of(account) is None
    assert not RecoveryCode.objects.filter(account=account).exists()
    assert [m.subject for m in mail.outbox] == [TURNED_OFF_SUBJECT]
    assert mail.outbox[0].to == [user.email] and "/admin/password_reset/" in mail.outbox[0].body
    assert NetworkAction.objects.filter(
        action=NetworkAction.Action.SECOND_FACTOR_RESET, details__email=user.email
    ).exists()
    again = client_of(alpha)
    assert password_step(again, user.username)["Location"] != CODE
    assert signed_in(again, alpha)


def test_a_session_left_open_cannot_turn_it_off_without_the_code(alpha):
    user, device = with_device(alpha, "contrib-session@example.org", CONTRIBUTORS)
    client = signed_in_with_code(alpha, user, device)
    wrong = "000000" if next_code(device) != "000000" else "111111"

    for typed in ("", wrong, "pas-un-code"):
        response = client.post(TURN_OFF, {"code": typed})
        assert response.status_code == 400
        assert "Code" in response.text or "code" in response.text

    assert device_of(NetworkAccount.objects.get(email=user.email)) is not None
    assert mail.outbox == []


def test_an_animator_cannot_turn_it_off(alpha):
    user, device = with_device(alpha, "anim-garde@example.org", ANIMATORS)
    client = signed_in_with_code(alpha, user, device)

    page = client.get(TURN_OFF)
    response = client.post(TURN_OFF, {"code": next_code(device)})

    assert page.status_code == 403 and "votre rôle la demande" in page.text
    assert response.status_code == 403
    assert device_of(NetworkAccount.objects.get(email=user.email)) is not None


def test_a_contributor_here_who_animates_another_portal_cannot_turn_it_off_here(alpha, beta):
    """The factor is the person's, for every portal: turning it off where they only
    contribute would leave their animator's role elsewhere without it."""
    email = "contrib-ici-anim-la@example.org"
    user, device = with_device(alpha, email, CONTRIBUTORS)
    person(beta, email, ANIMATORS)
    client = signed_in_with_code(alpha, user, device)

    response = client.post(TURN_OFF, {"code": next_code(device)})

    assert response.status_code == 403
    assert device_of(NetworkAccount.objects.get(email=email)) is not None


def test_nobody_signed_out_reaches_it(alpha):
    user, _ = with_device(alpha, "contrib-dehors@example.org", CONTRIBUTORS)
    waiting = client_of(alpha)
    password_step(waiting, user.username)  # a right password, the code not yet typed

    for client in (client_of(alpha), waiting):
        response = client.post(TURN_OFF, {"code": "123456"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    with schema_context(alpha.schema_name):
        assert device_of(NetworkAccount.objects.get(email=user.email)) is not None
