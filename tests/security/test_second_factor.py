"""The second factor is asked at the password step: a session exists only after the code.

Through each portal's real login form (Wagtail's, wrapped), real tenant middleware, real
PostgreSQL; codes computed from the device's key as the person's phone would.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core.second_factor import KNOWN_BROWSER_AGE, PENDING, PENDING_SECONDS, known_browser_cookie
from tenants.accounts import NetworkAccount
from tenants.factories import PortalAccountFactory, SecondFactorDeviceFactory
from tenants.group_names import ANIMATORS, CONTRIBUTORS
from tenants.models import NetworkAction
from tenants.second_factor import (
    FAILURE_LIMIT,
    RecoveryCode,
    SecondFactorDevice,
    current_code,
    device_of,
    set_recovery_codes,
)
from tests.conftest import PASSWORD, host, next_code, pass_second_factor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
CODE = "/admin/login/code/"
ENROL = "/admin/login/code/activer/"


def person(portal, email: str, *roles: str):
    """A local account of ``portal`` for ``email`` with ``roles``."""
    with schema_context(portal.schema_name):
        return PortalAccountFactory(username=email, email=email, roles=list(roles))


def with_device(portal, email: str, *roles: str):
    user = person(portal, email, *roles)
    account = NetworkAccount.objects.get(email=email)
    return user, SecondFactorDeviceFactory(account=account)


def client_of(portal) -> Client:
    return Client(HTTP_HOST=host(portal))


def password_step(client: Client, username: str, **extra):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})


def signed_in(client: Client, portal) -> bool:
    with schema_context(portal.schema_name):
        return "_auth_user_id" in client.session


def test_a_right_password_waits_for_the_code_and_the_right_code_signs_in(alpha):
    user, device = with_device(alpha, "anim-code@example.org", ANIMATORS)
    client = client_of(alpha)

    response = password_step(client, user.username)

    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client, alpha)
    assert "Code de double authentification" in client.get(CODE).text

    response = client.post(CODE, {"code": next_code(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client, alpha)
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_in_french_and_opens_no_session(alpha):
    user, device = with_device(alpha, "anim-wrong@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)
    wrong = "000000" if next_code(device) != "000000" else "111111"

    response = client.post(CODE, {"code": wrong})

    assert response.status_code == 400
    assert "Ce code n&#x27;est pas le bon" in response.text
    assert not signed_in(client, alpha)
    assert client.get("/admin/").status_code == 302


def test_a_code_is_accepted_once_only(alpha):
    user, device = with_device(alpha, "anim-replay@example.org", ANIMATORS)
    code = current_code(device.key)
    first = client_of(alpha)
    password_step(first, user.username)
    assert first.post(CODE, {"code": code}).status_code == 302

    second = client_of(alpha)
    password_step(second, user.username)

    assert second.post(CODE, {"code": code}).status_code == 400
    assert not signed_in(second, alpha)


def test_a_recovery_code_signs_in_once(alpha):
    user, _device = with_device(alpha, "anim-secours@example.org", ANIMATORS)
    account = NetworkAccount.objects.get(email=user.email)
    codes = set_recovery_codes(account)

    first = client_of(alpha)
    password_step(first, user.username)
    assert first.post(CODE, {"code": codes[3].upper()}).status_code == 302
    assert signed_in(first, alpha)

    again = client_of(alpha)
    password_step(again, user.username)
    assert again.post(CODE, {"code": codes[3]}).status_code == 400
    assert not signed_in(again, alpha)
    assert RecoveryCode.objects.filter(account=account, used_at__isnull=True).count() == 9
    # Only hashes are kept.
    assert not RecoveryCode.objects.filter(code_hash__contains=codes[0]).exists()


def test_five_wrong_codes_at_two_portals_lock_the_code_step_everywhere(alpha, beta):
    email = "deux-portails@example.org"
    _user, device = with_device(alpha, email, ANIMATORS)
    person(beta, email, ANIMATORS)
    clients = {alpha: client_of(alpha), beta: client_of(beta)}
    for client in clients.values():
        assert password_step(client, email).status_code == 302
    right = next_code(device)
    wrong = "999999" if right != "999999" else "888888"
    for attempt in range(FAILURE_LIMIT - 1):
        portal = alpha if attempt % 2 else beta
        assert clients[portal].post(CODE, {"code": wrong}).status_code == 400

    last = clients[alpha].post(CODE, {"code": wrong})
    assert last.status_code == 429
    assert "Trop de codes erronés" in last.text and "réessayez à partir de" in last.text

    # The right code, at the other portal: still locked.
    locked = clients[beta].post(CODE, {"code": right})
    assert locked.status_code == 429
    assert not signed_in(clients[beta], beta)

    # 15 minutes later the step opens again.
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        later = client_of(beta)
        password_step(later, email)
        assert later.post(CODE, {"code": next_code(device)}).status_code == 302


def test_an_animator_without_a_device_enrols_before_any_session(alpha):
    user = person(alpha, "anim-nouveau@example.org", ANIMATORS)
    client = client_of(alpha)

    response = password_step(client, user.username)

    assert response["Location"] == ENROL
    assert not signed_in(client, alpha)
    # The admin is closed while the enrolment waits.
    assert client.get("/admin/").status_code == 302
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "<svg" in page.text and "Ou saisissez cette clé à la main" in page.text
    with schema_context(alpha.schema_name):
        key = client.session["second_factor_new_key"]
    assert client.post(ENROL, {"code": "123"}).status_code == 400
    assert not signed_in(client, alpha)

    done = client.post(ENROL, {"code": current_code(key)})

    assert done.status_code == 200
    assert "Vos codes de secours" in done.text
    assert done.text.count("<li><code>") == 10
    assert signed_in(client, alpha)
    account = NetworkAccount.objects.get(email=user.email)
    assert device_of(account).key == key
    assert RecoveryCode.objects.filter(account=account).count() == 10


def test_a_contributor_without_a_device_signs_in_with_the_password_alone(alpha):
    user = person(alpha, "contrib-simple@example.org", CONTRIBUTORS)
    client = client_of(alpha)

    response = password_step(client, user.username)

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client, alpha)


def test_a_contributor_who_turned_it_on_is_asked_for_the_code(alpha):
    user = person(alpha, "contrib-active@example.org", CONTRIBUTORS)
    client = client_of(alpha)
    password_step(client, user.username)
    page = client.get("/admin/double-authentification/")
    assert page.status_code == 200 and "<svg" in page.text
    with schema_context(alpha.schema_name):
        key = client.session["second_factor_new_key"]
    assert (
        client.post("/admin/double-authentification/", {"code": current_code(key)}).status_code
        == 200
    )

    later = client_of(alpha)
    response = password_step(later, user.username)

    assert response["Location"] == CODE
    assert not signed_in(later, alpha)


@pytest.mark.parametrize(
    "address",
    ["/admin/", "/admin/pages/", "/admin/users/", "/admin/api/main/pages/", "/admin/reseau/"],
)
def test_a_pending_sign_in_reaches_no_admin_address(alpha, address):
    user, _device = with_device(alpha, f"anim-pending-{len(address)}@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)

    response = client.get(address)

    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
    assert client.post("/admin/pages/add/", {}).status_code in (302, 403, 404)
    assert not signed_in(client, alpha)


def test_a_pending_sign_in_expires(alpha):
    user, device = with_device(alpha, "anim-expire@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)

    with time_machine.travel(time.time() + PENDING_SECONDS + 5, tick=False):
        response = client.post(CODE, {"code": current_code(device.key)})

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in(client, alpha)


def test_the_code_pages_without_a_password_go_back_to_the_login(alpha):
    client = client_of(alpha)
    for address in (CODE, ENROL):
        assert client.get(address)["Location"] == LOGIN
        assert client.post(address, {"code": "123456"})["Location"] == LOGIN


def test_next_is_kept_on_the_same_host_only(alpha):
    user, device = with_device(alpha, "anim-next@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username, next="/admin/pages/")
    assert client.post(CODE, {"code": next_code(device)})["Location"] == "/admin/pages/"

    other = client_of(alpha)
    password_step(other, user.username, next="https://ailleurs.example/admin/")
    assert other.post(CODE, {"code": next_code(device)})["Location"] == "/admin/"


def test_a_new_password_ends_the_pending_sign_in(alpha):
    user, device = with_device(alpha, "anim-mdp@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username)
    with schema_context(alpha.schema_name):
        user.set_password("un-tout-autre-mot-de-passe")
        user.save()

    response = client.post(CODE, {"code": next_code(device)})

    assert response["Location"] == LOGIN
    assert not signed_in(client, alpha)


def test_an_unknown_browser_is_mailed_once_and_a_known_one_not(alpha):
    user, device = with_device(alpha, "anim-navigateur@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, user.username, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0")
    client.post(
        CODE, {"code": next_code(device)}, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0"
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Nouvelle connexion" in message.subject and alpha.name in message.subject
    assert "Firefox (Linux)" in message.body
    assert "Si ce n'était pas vous" in message.body
    assert "/admin/password_reset/" in message.body
    assert current_code(device.key) not in message.body and device.key not in message.body

    # The same browser (its cookie) signs in again: no e-mail.
    client.post("/admin/logout/")
    password_step(client, user.username)
    client.post(CODE, {"code": next_code(device)})
    assert len(mail.outbox) == 1


def test_a_browser_known_longer_ago_than_its_cookie_lives_is_unknown_again(alpha):
    """The signed cookie carries its date: a copy kept past its life (``KNOWN_BROWSER_AGE``)
    names a browser nobody vouches for any more, and the sign-in is mailed. A browser that
    signs in gets its cookie renewed, so one in use is never forgotten."""
    user = person(alpha, "contrib-ancien@example.org", CONTRIBUTORS)
    account = NetworkAccount.objects.get(email=user.email)
    with time_machine.travel(timezone.now() - timedelta(seconds=KNOWN_BROWSER_AGE + 3600)):
        name, old_value = known_browser_cookie([account.pk])
    client = client_of(alpha)
    client.cookies[name] = old_value

    password_step(client, user.username)

    assert [m.to for m in mail.outbox] == [[user.email]]
    renewed = client.cookies[name].value
    assert renewed != old_value

    # Three hundred days later the same browser, its cookie renewed at each sign-in, is
    # still known.
    with time_machine.travel(timezone.now() + timedelta(days=300)):
        client.post("/admin/logout/")
        password_step(client, user.username)
        again = client.cookies[name].value
    with time_machine.travel(timezone.now() + timedelta(days=600)):
        client.post("/admin/logout/")
        password_step(client, user.username)
    assert again != renewed
    assert len(mail.outbox) == 1


def test_a_contributor_from_an_unknown_browser_is_mailed_too(alpha):
    user = person(alpha, "contrib-navigateur@example.org", CONTRIBUTORS)
    password_step(client_of(alpha), user.username)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_an_animator_of_one_portal_with_a_device_opens_nothing_at_another(alpha, beta):
    email = "anim-a-seulement@example.org"
    with_device(alpha, email, ANIMATORS)
    at_beta = client_of(beta)

    # No local account at B: the password step fails, no code is asked.
    response = password_step(at_beta, email)
    assert response.status_code == 200
    with schema_context(beta.schema_name):
        assert PENDING not in at_beta.session
    assert at_beta.get(CODE)["Location"] == LOGIN

    # Signed in at A (with the code), the session is A's host's only.
    at_alpha = client_of(alpha)
    password_step(at_alpha, email)
    pass_second_factor(at_alpha)
    assert at_alpha.get("/admin/").status_code == 200
    beta_with_alpha_cookie = client_of(beta)
    beta_with_alpha_cookie.cookies = at_alpha.cookies
    assert beta_with_alpha_cookie.get("/admin/users/").status_code == 302
    with schema_context(beta.schema_name):
        from django.contrib.auth import get_user_model

        assert not get_user_model().objects.filter(email=email).exists()


def test_nobody_removes_another_persons_second_factor_from_a_portals_user_admin(alpha):
    target, device = with_device(alpha, "contrib-protege@example.org", CONTRIBUTORS)
    animator, _own = with_device(alpha, "anim-admin@example.org", ANIMATORS)
    client = client_of(alpha)
    password_step(client, animator.username)
    pass_second_factor(client)

    # The opt-in page only ever acts on the signed-in person's own account.
    client.post("/admin/double-authentification/", {"code": "123456"})
    assert SecondFactorDevice.objects.filter(pk=device.pk, key=device.key).exists()
    # No screen of the user admin acts on another person's second factor...
    assert client.get(f"/admin/users/{target.pk}/double-authentification/").status_code == 404
    # ...and the animator editing the contributor's account leaves it as it was.
    client.post(
        f"/admin/users/{target.pk}/",
        {"username": target.username, "email": target.email, "is_active": ""},
    )
    assert SecondFactorDevice.objects.filter(pk=device.pk, key=device.key).exists()


def test_reset_second_factor_removes_the_device_and_writes_the_journal(alpha):
    user, device = with_device(alpha, "anim-perdu@example.org", ANIMATORS)

    call_command("reset_second_factor", user.email.upper())

    assert not SecondFactorDevice.objects.filter(pk=device.pk).exists()
    entry = NetworkAction.objects.filter(action="second_factor_reset").latest("at")
    assert entry.details["email"] == user.email
    # Their next sign-in goes to the enrolment.
    assert password_step(client_of(alpha), user.username)["Location"] == ENROL


def test_demo_code_prints_the_demo_keys_code_and_nobody_elses(alpha):
    from io import StringIO

    from django.core.management.base import CommandError

    from tenants.demo_network import DEMO_TOTP_KEY
    from tenants.second_factor import give_device

    demo, _own = with_device(alpha, "anim-demo@example.org", ANIMATORS)
    give_device(NetworkAccount.objects.get(email=demo.email), DEMO_TOTP_KEY)
    real, _device = with_device(alpha, "anim-reelle@example.org", ANIMATORS)
    out = StringIO()

    call_command("demo_code", demo.email, stdout=out)

    assert out.getvalue().strip() == current_code(DEMO_TOTP_KEY)
    with pytest.raises(CommandError, match="personnel"):
        call_command("demo_code", real.email)
