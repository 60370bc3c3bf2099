"""One network account, roles per portal (issue 20, §1).

A person with roles in two portals signs in to both with one password; one reset changes
it everywhere; a role at A never opens B, whatever an attacker brings to B (A's session
cookie, an account of the same name, a reset asked at B, an invitation with a password
of their choosing); removing someone's last role closes their access everywhere; the
accounts portals had before migrate to it without a reset.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.account_links import link_network_accounts
from tenants.accounts import NetworkAccount, NetworkMembership
from tenants.default_portal import ANIMATORS, CONTRIBUTORS
from tenants.factories import PortalAccountFactory, SecondFactorDeviceFactory
from tenants.invitations import set_password_url
from tenants.models import Neighbourhood
from tests.conftest import PASSWORD, host, pass_second_factor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
NEW_PASSWORD = "Un-autre-mot-de-passe-2027"
EMAIL = "camille@example.org"


def person(portal: Neighbourhood, username: str = EMAIL, *roles: str, **extra: object):
    """``username``'s local account at ``portal`` (its e-mail too, unless given), in the
    groups ``roles`` (Animateurs by default)."""
    with schema_context(portal.schema_name):
        return PortalAccountFactory(username=username, roles=list(roles or [ANIMATORS]), **extra)


def sign_in(portal: Neighbourhood, username: str, password: str) -> Client:
    # The person's app (their network account's): a portal's former password asks for its
    # code like the network's password does (docs/accounts.md, "The second factor").
    account = NetworkAccount.objects.filter(email=username.lower()).first()
    if account is not None and not hasattr(account, "second_factor"):
        SecondFactorDeviceFactory(account=account)
    client = Client(HTTP_HOST=host(portal))
    client.post(LOGIN, {"username": username, "password": password})
    pass_second_factor(client)
    return client


def signs_in(portal: Neighbourhood, username: str, password: str) -> bool:
    """Whether the portal's login form lets ``username`` in and its admin opens."""
    client = sign_in(portal, username, password)
    return "_auth_user_id" in client.session and client.get("/admin/").status_code == 200


def reset_link(portal: Neighbourhood, email: str) -> str | None:
    """Ask the portal's "mot de passe oublié" for ``email``; the link it e-mailed, if any."""
    mail.outbox.clear()
    Client(HTTP_HOST=host(portal)).post("/admin/password_reset/", {"email": email})
    if not mail.outbox:
        return None
    return re.search(r"https?://\S+/confirm/\S+/", mail.outbox[0].body).group(0)


def choose_password(portal: Neighbourhood, link: str, password: str) -> int:
    client = Client(HTTP_HOST=host(portal))
    form = client.get(link, follow=True)
    # A valid link redirects to the form's own address; a dead one shows its refusal.
    at = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(at, {"new_password1": password, "new_password2": password})
    return done.status_code


def set_roles(portal: Neighbourhood, user, *roles: str) -> None:
    with schema_context(portal.schema_name):
        get_user_model().objects.get(pk=user.pk).groups.set(Group.objects.filter(name__in=roles))


# --- One password --------------------------------------------------------------------------


def test_a_person_with_roles_in_two_portals_signs_in_to_both_with_one_password(alpha, beta):
    person(alpha)
    person(beta, EMAIL, CONTRIBUTORS)

    assert signs_in(alpha, EMAIL, PASSWORD)
    assert signs_in(beta, EMAIL, PASSWORD)
    assert NetworkAccount.objects.filter(email=EMAIL).count() == 1
    assert NetworkMembership.objects.filter(account__email=EMAIL).count() == 2


def test_invited_to_a_second_portal_they_use_the_password_they_already_have(
    alpha, beta, animator_of, django_capture_on_commit_callbacks
):
    person(alpha)
    inviter = animator_of(beta)
    admin = sign_in(beta, inviter.username, PASSWORD)
    mail.outbox.clear()

    # Beta's animator adds them in the user admin, trying to give them a password too.
    with django_capture_on_commit_callbacks(execute=True):
        added = admin.post(
            "/admin/users/new/",
            {
                "username": EMAIL,
                "email": EMAIL,
                "first_name": "Camille",
                "last_name": "Martin",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "groups": [group_id(beta, CONTRIBUTORS)],
            },
        )

    assert added.status_code == 302
    assert signs_in(beta, EMAIL, PASSWORD)
    assert not signs_in(beta, EMAIL, NEW_PASSWORD)
    assert not signs_in(alpha, EMAIL, NEW_PASSWORD)
    (invitation,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "Vous avez déjà un compte Quartiers" in invitation.body
    assert host(beta) in invitation.body


def test_a_new_person_added_in_the_user_admin_chooses_their_own_password(
    alpha, animator_of, django_capture_on_commit_callbacks
):
    admin = sign_in(alpha, animator_of(alpha).username, PASSWORD)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        added = admin.post(
            "/admin/users/new/",
            {
                "username": "nouvelle@example.org",
                "email": "nouvelle@example.org",
                "first_name": "Nouvelle",
                "last_name": "Personne",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "groups": [group_id(alpha, CONTRIBUTORS)],
            },
        )
    (invitation,) = [m for m in mail.outbox if m.to == ["nouvelle@example.org"]]
    link = re.search(r"https?://\S+/confirm/\S+/", invitation.body).group(0)

    assert added.status_code == 302
    assert not signs_in(alpha, "nouvelle@example.org", NEW_PASSWORD)
    assert choose_password(alpha, link, "Mon-choix-a-moi-2027") == 302
    assert signs_in(alpha, "nouvelle@example.org", "Mon-choix-a-moi-2027")


def test_one_reset_changes_the_password_at_every_portal(alpha, beta):
    person(alpha)
    person(beta)

    link = reset_link(beta, EMAIL)

    assert link is not None and host(beta) in link
    assert choose_password(beta, link, NEW_PASSWORD) == 302
    assert signs_in(alpha, EMAIL, NEW_PASSWORD)
    assert signs_in(beta, EMAIL, NEW_PASSWORD)
    assert not signs_in(alpha, EMAIL, PASSWORD)


def test_a_new_password_ends_the_persons_sessions_and_links_at_the_other_portals(alpha, beta):
    person(alpha)
    at_beta = person(beta)
    at_alpha_session = sign_in(alpha, EMAIL, PASSWORD)
    alpha_link = reset_link(alpha, EMAIL)

    with schema_context(beta.schema_name):
        at_beta.set_password(NEW_PASSWORD)
        at_beta.save()

    assert at_alpha_session.get("/admin/").status_code == 302
    assert choose_password(alpha, alpha_link, "Le-lien-est-perime-2027") == 200
    assert not signs_in(alpha, EMAIL, "Le-lien-est-perime-2027")


# --- A role at A never opens B ---------------------------------------------------------------


def test_a_session_cookie_of_one_portal_opens_nothing_on_another_host(alpha, beta):
    person(alpha)
    person(beta)
    at_alpha = sign_in(alpha, EMAIL, PASSWORD)

    stolen = Client(HTTP_HOST=host(beta))
    stolen.cookies = at_alpha.cookies

    assert stolen.get("/admin/").status_code == 302
    assert "_auth_user_id" not in stolen.session


def test_the_network_password_opens_no_portal_where_the_person_has_no_account(alpha, beta):
    person(alpha)

    assert not signs_in(beta, EMAIL, PASSWORD)


def test_an_account_of_the_same_name_at_another_portal_is_not_opened_by_the_persons_password(
    alpha, beta
):
    person(alpha)
    # At beta, someone made an account named like the person, with another e-mail.
    person(beta, EMAIL, ANIMATORS, email="pirate@example.org", password="mot-de-passe-pirate-1")

    assert not signs_in(beta, EMAIL, PASSWORD)
    assert signs_in(alpha, EMAIL, PASSWORD)
    assert not signs_in(alpha, EMAIL, "mot-de-passe-pirate-1")


def test_a_reset_asked_at_a_portal_where_the_person_has_no_account_sends_nothing(alpha, beta):
    person(alpha)

    assert reset_link(beta, EMAIL) is None


def test_an_account_given_someones_email_at_another_portal_does_not_take_their_password(
    alpha, beta
):
    person(alpha)
    # Beta's code (or an animator through an e-mail change) gives a local account the
    # person's e-mail and a password of its own choosing.
    person(beta, "autre-nom", CONTRIBUTORS, email=EMAIL, password="choisi-par-un-autre-1")

    assert signs_in(alpha, EMAIL, PASSWORD)
    assert not signs_in(alpha, EMAIL, "choisi-par-un-autre-1")
    assert not signs_in(beta, "autre-nom", "choisi-par-un-autre-1")


# --- Removing roles ----------------------------------------------------------------------


def test_removing_the_last_role_closes_access_everywhere(alpha, beta):
    at_alpha = person(alpha)
    at_beta = person(beta)

    set_roles(alpha, at_alpha)
    assert not signs_in(alpha, EMAIL, PASSWORD)
    assert signs_in(beta, EMAIL, PASSWORD)

    set_roles(beta, at_beta)
    assert not signs_in(beta, EMAIL, PASSWORD)
    assert not NetworkAccount.objects.get(email=EMAIL).is_active
    assert reset_link(alpha, EMAIL) is None or not signs_in(alpha, EMAIL, PASSWORD)

    # Given a role again, the person comes back with the same password.
    set_roles(beta, at_beta, CONTRIBUTORS)
    assert signs_in(beta, EMAIL, PASSWORD)


def test_a_deleted_account_closes_the_network_account_when_it_was_the_last(alpha):
    at_alpha = person(alpha)
    with schema_context(alpha.schema_name):
        get_user_model().objects.filter(pk=at_alpha.pk).first().delete()

    assert not NetworkAccount.objects.get(email=EMAIL).is_active


def test_an_account_without_role_gets_no_network_account(alpha):
    with schema_context(alpha.schema_name):
        PortalAccountFactory(username="sans-role@example.org")

    assert not NetworkAccount.objects.filter(email="sans-role@example.org").exists()


# --- Accounts made before the network's ----------------------------------------------------


def old_account(portal: Neighbourhood, email: str, password: str, last_login=None):
    """An account as a portal held it before the network's accounts: written without the
    signals that now link every account (as the rows already in the database were)."""
    users = get_user_model()
    with schema_context(portal.schema_name):
        (user,) = users.objects.bulk_create(
            [
                users(
                    username=email,
                    email=email,
                    first_name="Camille",
                    last_name="Martin",
                    password=make_password(password),
                    last_login=last_login,
                    date_joined=timezone.now(),
                )
            ]
        )
        users.groups.through.objects.bulk_create(
            [users.groups.through(user_id=user.pk, group=Group.objects.get(name=ANIMATORS))]
        )
    return user


def test_existing_accounts_move_to_the_network_without_a_password_reset(alpha, beta):
    old_account(alpha, "seule@example.org", "mot-de-passe-alpha-1")
    old_account(alpha, "deux@example.org", "le-meme-partout-1")
    old_account(beta, "deux@example.org", "le-meme-partout-1")

    report = link_network_accounts()

    assert report.accounts_created == 2
    assert signs_in(alpha, "seule@example.org", "mot-de-passe-alpha-1")
    assert signs_in(alpha, "deux@example.org", "le-meme-partout-1")
    assert signs_in(beta, "deux@example.org", "le-meme-partout-1")
    again = link_network_accounts()
    assert (again.accounts_created, again.memberships_created) == (0, 0)


def test_two_passwords_on_two_portals_each_open_their_own_only_until_a_new_one_is_chosen(
    alpha, beta
):
    old_account(alpha, EMAIL, "celui-d-alpha-2025", last_login=timezone.now())
    old_account(beta, EMAIL, "celui-de-beta-2024", last_login=None)

    report = link_network_accounts()

    assert report.emails_with_several_passwords == [EMAIL]
    # Either may have been set by that portal's animator: neither opens the other portal.
    assert signs_in(alpha, EMAIL, "celui-d-alpha-2025")
    assert not signs_in(beta, EMAIL, "celui-d-alpha-2025")
    assert signs_in(beta, EMAIL, "celui-de-beta-2024")
    assert not signs_in(alpha, EMAIL, "celui-de-beta-2024")
    # The password the person chooses through "mot de passe oublié" is the network's.
    assert choose_password(beta, reset_link(beta, EMAIL), NEW_PASSWORD) == 302
    assert signs_in(alpha, EMAIL, NEW_PASSWORD)
    assert signs_in(beta, EMAIL, NEW_PASSWORD)
    assert not signs_in(alpha, EMAIL, "celui-d-alpha-2025")
    assert not signs_in(beta, EMAIL, "celui-de-beta-2024")


def test_the_command_reports_in_french(alpha, capsys):
    old_account(alpha, "rapport@example.org", "mot-de-passe-alpha-1")

    call_command("link_network_accounts")

    assert "Comptes du réseau : 1 créé(s)" in capsys.readouterr().out


def test_the_invitation_link_of_a_new_portal_animator_sets_the_network_password(alpha):
    with schema_context(alpha.schema_name):
        invited = PortalAccountFactory(
            username="invitee@example.org", password=None, roles=[ANIMATORS]
        )
    link = set_password_url(alpha, invited)

    assert choose_password(alpha, link, NEW_PASSWORD) == 302
    assert NetworkAccount.objects.get(email="invitee@example.org").check_password(NEW_PASSWORD)


def group_id(portal: Neighbourhood, name: str) -> int:
    with schema_context(portal.schema_name):
        return Group.objects.get(name=name).pk


def change_on_account_page(client: Client, old: str, new: str) -> int:
    """Change one's password on Wagtail's account page (which asks for the old one), the
    page's other settings posted as they are."""
    page = client.get("/admin/account/")
    settings = {}
    for panels in page.context["panels_by_tab"].values():
        for panel in panels:
            form = panel.get_form()
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if panel.name in ("password", "avatar") or value in (None, False):
                    continue
                settings[form.add_prefix(name)] = "on" if value is True else value
    passwords = {
        "password-old_password": old,
        "password-new_password1": new,
        "password-new_password2": new,
    }
    return client.post("/admin/account/", settings | passwords).status_code


def test_changing_ones_password_on_the_account_page_changes_it_at_every_portal(alpha, beta):
    person(alpha)
    person(beta)
    at_beta = sign_in(beta, EMAIL, PASSWORD)

    assert change_on_account_page(at_beta, PASSWORD, NEW_PASSWORD) == 302
    assert signs_in(alpha, EMAIL, NEW_PASSWORD)
    assert not signs_in(alpha, EMAIL, PASSWORD)


def test_a_portals_former_password_changed_on_its_account_page_stays_that_portals(alpha, beta):
    # Before the network's accounts, beta held an account with the person's e-mail whose
    # password someone else knew (an animator could set passwords then).
    old_account(alpha, EMAIL, "celui-de-la-personne-1", last_login=timezone.now())
    old_account(beta, EMAIL, "connu-d-un-autre-1", last_login=None)
    link_network_accounts()
    at_beta = sign_in(beta, EMAIL, "connu-d-un-autre-1")

    assert change_on_account_page(at_beta, "connu-d-un-autre-1", "choisi-a-beta-2027") == 302
    assert signs_in(beta, EMAIL, "choisi-a-beta-2027")
    assert not signs_in(alpha, EMAIL, "choisi-a-beta-2027")
    assert signs_in(alpha, EMAIL, "celui-de-la-personne-1")
