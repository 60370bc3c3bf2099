"""Attack review of the second factor (issue 20, §3): other ways into a session than the
code page, and odd codes. Through each portal's real host, middleware and PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tenants.accounts import NetworkAccount
from tenants.factories import PortalAccountFactory, SecondFactorDeviceFactory
from tenants.group_names import ANIMATORS
from tenants.second_factor import FAILURE_LIMIT, SecondFactorFailure
from tests.conftest import PASSWORD, host, next_code
from tests.network_space import test_space
from tests.network_space.test_space import SIGN_IN, SPACE
from tests.security.test_network_account_attacks import account_page_post
from tests.security.test_second_factor import (
    CODE,
    ENROL,
    client_of,
    password_step,
    person,
    signed_in,
    with_device,
)
from tests.tenants.test_network_accounts import sign_in

pytestmark = pytest.mark.django_db

federation = test_space.federation
seeded_space = test_space.seeded_space
space = test_space.space

SPACE_CODE = "/reseau/espace/connexion/code/"
# Digits that Python calls digits but that no app shows: Arabic-Indic, Devanagari, full
# width, superscripts.
ODD_DIGITS = ["١٢٣٤٥٦", "१२३४५६", "\uff11\uff12\uff13\uff14\uff15\uff16", "¹²³⁴⁵⁶", "١٢٣٤٥-٦٧٨٩٠"]


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


def test_an_address_typed_into_ones_own_account_locks_only_oneself_not_its_owner(alpha, beta):
    """An animator of beta types the victim's e-mail into their own account (the account
    page, or their user in the admin) and signs in with their own password: they are asked
    the victim's code (the owner of an unproven address would have it), and their wrong codes
    lock that sign-in only, never the victim's code step at alpha."""
    victim, device = with_device(alpha, "anim-victime@example.org", ANIMATORS)
    own_password = "Le-mien-pas-le-sien-2027"
    with schema_context(beta.schema_name):
        intruder = PortalAccountFactory(
            username="intrus-beta",
            email="intrus-beta@example.org",
            password=own_password,
            roles=[ANIMATORS],
        )
    account_page_post(sign_in(beta, intruder.username, own_password), victim.email)
    at_beta = client_of(beta)
    typed = {"username": intruder.username, "password": own_password}
    assert at_beta.post("/admin/login/", typed)["Location"] == CODE

    wrong = "000000" if next_code(device) != "000000" else "111111"
    for _ in range(FAILURE_LIMIT - 1):
        assert at_beta.post(CODE, {"code": wrong}).status_code == 400
    assert at_beta.post(CODE, {"code": wrong}).status_code == 429  # the intruder is held

    at_alpha = client_of(alpha)
    assert password_step(at_alpha, victim.username)["Location"] == CODE
    response = at_alpha.post(CODE, {"code": next_code(device)})
    assert response.status_code == 302 and signed_in(at_alpha, alpha)


# --- What held (kept as tests: they would catch a regression) ------------------------------


def test_a_password_reset_link_opens_no_session_and_the_new_password_still_asks_the_code(alpha):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tenants.portal_secrets import portal_token_generator

    user, _device = with_device(alpha, "anim-reset@example.org", ANIMATORS)
    with schema_context(alpha.schema_name):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = portal_token_generator.make_token(user)
    client = client_of(alpha)
    response = client.get(f"/admin/password_reset/confirm/{uid}/{token}/")
    assert response.status_code == 302
    new = "Un-nouveau-mot-de-passe-42"

    response = client.post(response["Location"], {"new_password1": new, "new_password2": new})

    assert response.status_code == 302
    assert not signed_in(client, alpha)
    assert client.get("/admin/pages/").status_code == 302
    response = client.post("/admin/login/", {"username": user.username, "password": new})
    assert response["Location"] == CODE and not signed_in(client, alpha)


def test_a_code_used_at_a_portal_is_refused_at_the_space_in_the_same_step(federation, alpha, space):
    email = "rejeu-espace@example.org"
    user, device = with_device(alpha, email, ANIMATORS)
    admin = client_of(alpha)
    password_step(admin, user.username)
    code = next_code(device)
    assert admin.post(CODE, {"code": code}).status_code == 302

    at_space = Client(HTTP_HOST=host(federation))
    at_space.post(SIGN_IN, {"email": email, "password": PASSWORD})
    response = at_space.post(SPACE_CODE, {"code": code})

    assert response.status_code == 400
    with schema_context(federation.schema_name):
        assert "network_space_account" not in at_space.session


def test_a_recovery_code_used_at_the_space_is_refused_at_a_portal(federation, alpha, space):
    from tenants.second_factor import set_recovery_codes

    email = "secours-espace@example.org"
    user, _device = with_device(alpha, email, ANIMATORS)
    [code] = set_recovery_codes(NetworkAccount.objects.get(email=email), ["abcde-fghjk"])
    at_space = Client(HTTP_HOST=host(federation))
    at_space.post(SIGN_IN, {"email": email, "password": PASSWORD})
    assert at_space.post(SPACE_CODE, {"code": code.upper()}).status_code == 302

    admin = client_of(alpha)
    password_step(admin, user.username)
    assert admin.post(CODE, {"code": code}).status_code == 400
    assert not signed_in(admin, alpha)


@pytest.mark.parametrize("forged", ["other-account", "tampered", "unsigned"])
def test_a_known_browser_cookie_of_another_account_or_forged_still_mails(alpha, forged):
    from django.core import mail

    from core.second_factor import known_browser_cookie

    user, device = with_device(alpha, "anim-cookie@example.org", ANIMATORS)
    other, _ = with_device(alpha, "anim-cookie-autre@example.org", ANIMATORS)
    mine = NetworkAccount.objects.get(email=user.email).pk
    theirs = NetworkAccount.objects.get(email=other.email).pk
    name, value = known_browser_cookie([theirs])
    client = client_of(alpha)
    client.cookies[name] = {
        "other-account": value,
        "tampered": value.replace(f"[{theirs}]", f"[{mine}]"),
        "unsigned": f"[{mine}]",
    }[forged]
    password_step(client, user.username)
    client.post(CODE, {"code": next_code(device)})

    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.parametrize(
    "next_url", ["//ailleurs.example/", "javascript:alert(1)", "https://ailleurs.example/"]
)
def test_the_spaces_next_never_leaves_the_host_after_the_code(federation, alpha, space, next_url):
    email = "suivant-espace@example.org"
    person(alpha, email, ANIMATORS)
    device = SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=email))
    client = Client(HTTP_HOST=host(federation))
    client.post(SIGN_IN, {"email": email, "password": PASSWORD, "suivant": next_url})

    response = client.post(SPACE_CODE, {"code": next_code(device)})

    assert response.status_code == 302 and response["Location"] == SPACE


def test_a_pending_sign_in_cannot_turn_on_a_second_factor(alpha):
    """The account menu's enrolment asks for a signed-in person: a pending one (password
    given, no code) is sent to the login and enrols nothing over the existing app."""
    user, device = with_device(alpha, "anim-turn-on@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)

    for response in (
        client.get("/admin/double-authentification/"),
        client.post("/admin/double-authentification/", {"code": "123456"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    key = device.key
    device.refresh_from_db()
    assert device.key == key
