"""The animators' space asks for the same second factor as the portals' admin, at the
password step: nothing of the space opens before the code."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from network_space.access import SESSION_ACCOUNT
from tenants.accounts import NetworkAccount
from tenants.factories import SecondFactorDeviceFactory
from tenants.group_names import ANIMATORS
from tenants.second_factor import FAILURE_LIMIT, SecondFactorDevice, current_code
from tests.conftest import PASSWORD, host, next_code
from tests.network_space import test_space
from tests.network_space.test_space import SIGN_IN, SPACE, person, reads_the_sheet

pytestmark = pytest.mark.django_db

# The space's fixtures (the federation's portal, the seeded space).
federation = test_space.federation
seeded_space = test_space.seeded_space
space = test_space.space

CODE = "/reseau/espace/connexion/code/"
EMAIL = "code-espace@example.org"


def password_step(federation) -> Client:
    client = Client(HTTP_HOST=host(federation))
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    return client


def in_the_space(client: Client, federation) -> bool:
    with schema_context(federation.schema_name):
        return SESSION_ACCOUNT in client.session


def test_the_right_code_opens_the_space_and_nothing_opens_before(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    device = SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=EMAIL))
    client = password_step(federation)

    assert not in_the_space(client, federation)
    assert not reads_the_sheet(client)
    assert client.get(SPACE + "annuaire/").status_code == 302

    response = client.post(CODE, {"code": next_code(device)})

    assert response.status_code == 302 and response["Location"] == SPACE
    assert reads_the_sheet(client)


def test_a_wrong_code_is_refused_in_french_and_counts_with_the_portals(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    device = SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=EMAIL))
    client = password_step(federation)
    wrong = "000000" if current_code(device.key) != "000000" else "111111"

    refused = client.post(CODE, {"code": wrong})
    assert refused.status_code == 400
    assert "Ce code n&#x27;est pas le bon" in refused.text
    assert not in_the_space(client, federation)

    # The rest of the limit used up at the person's own portal's admin.
    at_alpha = Client(HTTP_HOST=host(alpha))
    at_alpha.post("/admin/login/", {"username": EMAIL, "password": PASSWORD})
    for _ in range(FAILURE_LIMIT - 1):
        at_alpha.post("/admin/login/code/", {"code": wrong})

    locked = client.post(CODE, {"code": next_code(device)})
    assert locked.status_code == 429
    assert "Trop de codes erronés" in locked.text
    assert not in_the_space(client, federation)


def test_an_animator_without_an_app_sets_it_up_at_the_space(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = password_step(federation)

    page = client.get(CODE)
    assert page.status_code == 200 and "<svg" in page.text
    with schema_context(federation.schema_name):
        key = client.session["second_factor_new_key"]

    done = client.post(CODE, {"code": current_code(key)})

    assert done.status_code == 200 and "Vos codes de secours" in done.text
    assert SecondFactorDevice.objects.get(account__email=EMAIL).key == key
    assert reads_the_sheet(client)


def test_the_code_page_without_a_password_goes_back_to_the_sign_in(federation, space):
    client = Client(HTTP_HOST=host(federation))
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_a_browser_new_to_the_person_is_mailed_once_and_a_known_one_not(
    federation, alpha, space, django_capture_on_commit_callbacks
):
    person(alpha, EMAIL, ANIMATORS)
    device = SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=EMAIL))
    client = password_step(federation)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODE, {"code": next_code(device)})

    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert "connexion" in mail.outbox[0].subject.lower()
    # The same browser (its cookie kept by the client) signs in again: no e-mail.
    client.post("/reseau/espace/deconnexion/")
    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    assert response["Location"] == CODE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODE, {"code": next_code(device)})
    assert len(mail.outbox) == 1
