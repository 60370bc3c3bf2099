"""Attacks on the network's accounts through Wagtail's own screens and bulk actions: a
role at one portal never reaches someone else's account, and access closes with the last
role whatever path removed it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context

from core.user_admin import SetActiveStateBulkAction
from tenants.accounts import NetworkAccount, NetworkMembership
from tenants.default_portal import ANIMATORS, CONTRIBUTORS
from tenants.factories import PortalAccountFactory
from tests.conftest import PASSWORD, host
from tests.tenants.test_network_accounts import (
    choose_password,
    person,
    reset_link,
    sign_in,
    signs_in,
)

pytestmark = pytest.mark.django_db

VICTIM = "equipe-federation@example.org"
ATTACKER_PASSWORD = "Mot-de-passe-de-l-intrus-9"


def account_page_post(client: Client, email: str, new_password: str | None = None):
    """Wagtail's "Mon compte" sent with another e-mail (and a new password if given), the
    rest of its panels as they are."""
    page = client.get("/admin/account/")
    data: dict[str, object] = {}
    for panels in page.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if panel.name in ("password", "avatar") or value in (None, False):
                    continue
                data[form.add_prefix(name)] = "on" if value is True else value
    data["name_email-email"] = email
    data["name_email-first_name"] = data.get("name_email-first_name") or "Dominique"
    data["name_email-last_name"] = data.get("name_email-last_name") or "Leroy"
    if new_password:
        data |= {
            "password-old_password": PASSWORD,
            "password-new_password1": new_password,
            "password-new_password2": new_password,
        }
    return client.post("/admin/account/", data)


def test_a_contributor_who_types_someones_email_and_a_new_password_takes_nothing(alpha, beta):
    person(alpha, VICTIM, ANIMATORS)
    person(beta, "intrus", CONTRIBUTORS, email="intrus@example.org")
    at_beta = sign_in(beta, "intrus", PASSWORD)

    account_page_post(at_beta, VICTIM, ATTACKER_PASSWORD)

    assert not NetworkAccount.objects.get(email=VICTIM).check_password(ATTACKER_PASSWORD)
    assert not signs_in(alpha, VICTIM, ATTACKER_PASSWORD)
    assert signs_in(alpha, VICTIM, PASSWORD)  # the person's own password still opens alpha


def test_an_email_typed_before_its_owner_is_invited_claims_nothing(alpha, beta):
    person(beta, "prevoyant", CONTRIBUTORS, email="prevoyant@example.org")
    at_beta = sign_in(beta, "prevoyant", PASSWORD)

    account_page_post(at_beta, "futur-animateur@example.org")
    person(alpha, "futur-animateur@example.org", ANIMATORS, password=None)

    assert not signs_in(alpha, "futur-animateur@example.org", PASSWORD)
    # The person invited chooses their own through the link sent to their address.
    link = reset_link(alpha, "futur-animateur@example.org")
    assert link is None or choose_password(alpha, link, "Le-mien-vraiment-2027") == 302


def test_a_changed_email_is_the_networks_once_a_link_sent_to_it_is_used(alpha):
    mine = person(alpha, "ancienne@example.org", ANIMATORS)
    at_alpha = sign_in(alpha, "ancienne@example.org", PASSWORD)

    account_page_post(at_alpha, "nouvelle@example.org")

    # An animator's second factor belongs to a proven address: until the link sent to the
    # new one is used, this portal's own password opens nothing and says what to do.
    browser = Client(HTTP_HOST=host(alpha))
    refused = browser.post("/admin/login/", {"username": mine.username, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session
    assert "Mot de passe oublié" in refused.content.decode()
    assert not is_password_usable(NetworkAccount.objects.get(email="nouvelle@example.org").password)
    link = reset_link(alpha, "nouvelle@example.org")
    assert link is not None
    assert choose_password(alpha, link, "Nouvelle-adresse-2027") == 302
    assert signs_in(alpha, mine.username, "Nouvelle-adresse-2027")


def test_deactivating_someones_last_role_in_bulk_closes_their_access_everywhere(alpha, beta):
    who = person(alpha, "seul-role@example.org", ANIMATORS)
    with schema_context(beta.schema_name):
        PortalAccountFactory(username="seul-role@example.org", roles=[])

    with schema_context(alpha.schema_name):
        SetActiveStateBulkAction.execute_action([who], mark_as_active=False, model=get_user_model())

    assert not NetworkAccount.objects.get(email="seul-role@example.org").is_active
    assert "_auth_user_id" not in sign_in(beta, "seul-role@example.org", PASSWORD).session


def test_deleting_someones_only_group_closes_their_access(alpha):
    with schema_context(alpha.schema_name):
        group = Group.objects.create(name="Rédaction du blog des Lilas")
    person(alpha, "blog@example.org", "Rédaction du blog des Lilas")

    with schema_context(alpha.schema_name):
        Group.objects.get(pk=group.pk).delete()

    assert not NetworkMembership.objects.filter(account__email="blog@example.org").exists()
    assert not NetworkAccount.objects.get(email="blog@example.org").is_active
