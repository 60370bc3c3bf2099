"""Attack review of the second factor (issue 20, §3): other ways into a session than the
code page, and odd codes. Through each portal's real host, middleware and PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tenants.accounts import NetworkAccount
from tenants.factories import SecondFactorDeviceFactory
from tenants.group_names import ANIMATORS
from tenants.second_factor import SecondFactorFailure
from tests.conftest import PASSWORD, host, next_code
from tests.network_space import test_space
from tests.network_space.test_space import SIGN_IN
from tests.security.test_second_factor import (
    CODE,
    ENROL,
    client_of,
    password_step,
    person,
    signed_in,
    with_device,
)

pytestmark = pytest.mark.django_db

federation = test_space.federation
space = test_space.space

SPACE_CODE = "/reseau/espace/connexion/code/"
# Digits that Python calls digits but that no app shows: Arabic-Indic, Devanagari, full
# width, superscripts.
ODD_DIGITS = ["١٢٣٤٥٦", "१२३४५६", "１２３４５６", "¹²³⁴⁵⁶", "١٢٣٤٥-٦٧٨٩٠"]


@pytest.mark.parametrize("address", ["/_util/login/", "/en/_util/login/"])
def test_wagtails_front_end_login_opens_no_admin_session_without_the_code(alpha, address):
    """Wagtail's page-privacy login (``wagtailcore_login``, Django's LoginView) signs an
    animator in with the password alone unless it is closed."""
    user, _device = with_device(alpha, "anim-util@example.org", ANIMATORS)
    client = client_of(alpha)

    client.post(address, {"username": user.username, "password": PASSWORD, "next": "/admin/"})

    assert not signed_in(client, alpha)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_wagtails_front_end_login_keeps_next_on_the_way_to_the_admins_login(alpha):
    client = client_of(alpha)

    response = client.get("/_util/login/?next=/vie-du-quartier/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/vie-du-quartier/"


@pytest.mark.parametrize("odd", ODD_DIGITS)
def test_odd_digits_on_the_code_page_are_a_wrong_code_not_a_500(alpha, odd):
    user, device = with_device(alpha, "anim-odd@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)

    response = client.post(CODE, {"code": odd})

    assert response.status_code == 400
    assert "pas le bon" in response.content.decode()
    assert not signed_in(client, alpha)
    # Still the right code afterwards: the odd one only counted as wrong.
    assert client.post(CODE, {"code": next_code(device)}).status_code == 302


@pytest.mark.parametrize("odd", ODD_DIGITS[:2])
def test_odd_digits_at_the_enrolment_are_a_wrong_code_not_a_500(alpha, odd):
    user = person(alpha, "anim-odd-enrol@example.org", ANIMATORS)
    client = client_of(alpha)
    assert password_step(client, user.username)["Location"] == ENROL
    client.get(ENROL)

    response = client.post(ENROL, {"code": odd})

    assert response.status_code == 400
    assert "pas le bon" in response.content.decode()
    assert not signed_in(client, alpha)


def test_odd_digits_at_the_spaces_code_step_are_a_wrong_code_not_a_500(federation, alpha, space):
    email = "odd-espace@example.org"
    person(alpha, email, ANIMATORS)
    account = NetworkAccount.objects.get(email=email)
    SecondFactorDeviceFactory(account=account)
    client = Client(HTTP_HOST=host(federation))
    assert client.post(SIGN_IN, {"email": email, "password": PASSWORD})["Location"] == SPACE_CODE

    response = client.post(SPACE_CODE, {"code": ODD_DIGITS[0]})

    assert response.status_code == 400
    assert SecondFactorFailure.objects.filter(account=account).count() == 1


def test_the_pending_sign_in_of_one_portal_is_nothing_at_another(alpha, beta):
    """The same person, animator at both: alpha's pending session cookie carried to
    beta's host finds no pending sign-in there (sessions live in each portal's schema)."""
    email = "anim-two-portals@example.org"
    user, device = with_device(alpha, email, ANIMATORS)
    person(beta, email, ANIMATORS)
    at_alpha = client_of(alpha)
    password_step(at_alpha, user.username)

    at_beta = client_of(beta)
    at_beta.cookies = at_alpha.cookies
    response = at_beta.post(CODE, {"code": next_code(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert not signed_in(at_beta, beta)
    with schema_context(alpha.schema_name):
        assert "_auth_user_id" not in at_alpha.session
