"""Nobody can give themselves, or anyone, more power than they have (issue 16, point 1).

Every path Wagtail's admin offers to hand out power is attacked with the POSTs an
attacker would craft, not only the rendered forms: editing one's own account, editing
another's, creating an account, the users' bulk actions, the group screens and the
invitation screen. Each is tried as the federation portal's animator (whose portal also
has the "Fédération" group that runs the network), a neighbourhood animator and a
contributor; each refusal is checked in the database, and what animators and federation
superusers may do is checked to still work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django_tenants.utils import schema_context

from home.models import HomePage
from portal.blogs.contributors import blog_group
from portal.blogs.models import BlogIndexPage
from portal.factories import BlogPageFactory
from tenants.default_portal import ANIMATORS, CONTRIBUTORS, FEDERATION_STAFF
from tenants.models import Neighbourhood
from tests.conftest import PASSWORD, give_second_factor, host, pass_second_factor

pytestmark = pytest.mark.django_db

USERS = "/admin/users/"
INVITE = "/admin/contributeurs/inviter/"


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


# --- People ------------------------------------------------------------------------------


def make_user(portal: Neighbourhood, username: str, *groups: str, **extra: object):
    """An account of ``portal`` with a known password, a name (Wagtail's form wants one)
    and the given groups."""
    with schema_context(portal.schema_name):
        user = get_user_model().objects.create_user(
            username=username,
            email=username,
            password=PASSWORD,
            first_name="Prénom",
            last_name="Nom",
            **extra,
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def browser(portal: Neighbourhood, user) -> Client:
    """A browser at the portal's host, logged in through the admin's own login form.

    Whoever's role requires a second factor has their app already (``give_second_factor``)
    and types its code: setting one up at each of some fifty sign-ins drew a page and a
    QR code more each time, for nothing these tests look at (the setting up is
    tests/security/test_second_factor.py's)."""
    with schema_context(portal.schema_name):
        give_second_factor(user)
    client = Client(HTTP_HOST=host(portal))
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    pass_second_factor(client)
    assert response.status_code == 302, "the login form refused the account"
    return client


def reloaded(portal: Neighbourhood, user):
    with schema_context(portal.schema_name):
        return get_user_model().objects.get(pk=user.pk)


def groups_of(portal: Neighbourhood, user) -> set[str]:
    with schema_context(portal.schema_name):
        return set(Group.objects.filter(user__pk=user.pk).values_list("name", flat=True))


def group_ids(portal: Neighbourhood, *names: str) -> list[int]:
    with schema_context(portal.schema_name):
        return list(Group.objects.filter(name__in=names).values_list("pk", flat=True))


def account_form(user, groups: Iterable[int] = (), **changes: object) -> dict:
    """What Wagtail's user form posts for ``user``, with ``changes`` on top."""
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "password1": "",
        "password2": "",
        "is_active": "on",
        "groups": list(groups),
    }
    data.update(changes)
    return data


def assert_answered(response) -> None:
    """The screen took the request (a form shown again or a redirect after saving): a
    refusal checked in the database after it is the code's, not a wrong address's."""
    assert response.status_code in (200, 302), response.status_code


def assert_refused(response) -> None:
    """Wagtail turns a refusal in its admin into a redirect to the dashboard, or a 403."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.fixture
def fed_animator(federation):
    """The federation portal's animator: its "Animateurs" are furnished like any portal's."""
    return make_user(federation, "animation@federation.example", ANIMATORS)


@pytest.fixture
def staff(federation):
    """A member of the federation's "Fédération" group: runs the network."""
    return make_user(federation, "equipe@federation.example", FEDERATION_STAFF)


@pytest.fixture
def fed_superuser(federation):
    return make_user(federation, "admin@federation.example", FEDERATION_STAFF, is_superuser=True)


@pytest.fixture
def animator(alpha):
    return make_user(alpha, "animation@alpha.example", ANIMATORS)


@pytest.fixture
def alpha_superuser(alpha):
    return make_user(alpha, "operateur@alpha.example", is_superuser=True)


@pytest.fixture
def contributor(alpha):
    return make_user(alpha, "mireille@alpha.example", CONTRIBUTORS)


@pytest.fixture
def fed_contributor(federation):
    return make_user(federation, "plume@federation.example", CONTRIBUTORS)


# --- Editing one's own account -----------------------------------------------------------


def test_federation_animator_cannot_tick_federation_on_their_own_account(federation, fed_animator):
    client = browser(federation, fed_animator)

    assert_answered(
        client.post(
            f"{USERS}edit/{fed_animator.pk}/",
            account_form(fed_animator, group_ids(federation, ANIMATORS, FEDERATION_STAFF)),
        )
    )

    assert groups_of(federation, fed_animator) == {ANIMATORS}
    assert client.get("/admin/reseau/").status_code != 200


def test_animator_cannot_make_themselves_superuser_with_a_crafted_post(alpha, animator):
    assert_answered(
        browser(alpha, animator).post(
            f"{USERS}edit/{animator.pk}/",
            account_form(animator, group_ids(alpha, ANIMATORS), is_superuser="on"),
        )
    )

    assert not reloaded(alpha, animator).is_superuser


def test_nobody_changes_their_own_groups_not_even_a_superuser(federation, fed_superuser):
    assert_answered(
        browser(federation, fed_superuser).post(
            f"{USERS}edit/{fed_superuser.pk}/", account_form(fed_superuser, groups=[])
        )
    )

    assert groups_of(federation, fed_superuser) == {FEDERATION_STAFF}


def test_animator_still_changes_their_own_name_and_email(alpha, animator):
    response = browser(alpha, animator).post(
        f"{USERS}edit/{animator.pk}/",
        account_form(animator, group_ids(alpha, ANIMATORS), email="nouvelle@alpha.example"),
    )

    assert response.status_code == 302
    assert reloaded(alpha, animator).email == "nouvelle@alpha.example"
    assert groups_of(alpha, animator) == {ANIMATORS}


# --- Editing another account -------------------------------------------------------------


def test_federation_animator_cannot_change_a_staff_members_email(federation, fed_animator, staff):
    """Changing the e-mail, then asking for a password reset, would take the account."""
    client = browser(federation, fed_animator)

    assert_refused(client.get(f"{USERS}edit/{staff.pk}/"))
    response = client.post(
        f"{USERS}edit/{staff.pk}/",
        account_form(staff, group_ids(federation, FEDERATION_STAFF), email="pirate@example.org"),
    )

    assert_refused(response)
    assert reloaded(federation, staff).email == staff.email


def test_federation_animator_cannot_set_a_staff_members_password(federation, fed_animator, staff):
    response = browser(federation, fed_animator).post(
        f"{USERS}edit/{staff.pk}/",
        account_form(
            staff,
            group_ids(federation, FEDERATION_STAFF),
            password1="Un-nouveau-mot-de-passe-42",
            password2="Un-nouveau-mot-de-passe-42",
        ),
    )

    assert_refused(response)
    assert reloaded(federation, staff).check_password(PASSWORD)


def test_animator_cannot_change_a_superusers_email_or_password(alpha, animator, alpha_superuser):
    response = browser(alpha, animator).post(
        f"{USERS}edit/{alpha_superuser.pk}/",
        account_form(
            alpha_superuser,
            email="pirate@example.org",
            password1="Un-nouveau-mot-de-passe-42",
            password2="Un-nouveau-mot-de-passe-42",
            is_superuser="on",
        ),
    )

    assert_refused(response)
    account = reloaded(alpha, alpha_superuser)
    assert account.email == alpha_superuser.email
    assert account.check_password(PASSWORD)


def test_federation_animator_cannot_give_a_contributor_the_federation_group(
    federation, fed_animator, fed_contributor
):
    response = browser(federation, fed_animator).post(
        f"{USERS}edit/{fed_contributor.pk}/",
        account_form(fed_contributor, group_ids(federation, CONTRIBUTORS, FEDERATION_STAFF)),
    )

    assert response.status_code == 200  # the form again, with the error on the groups
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert groups_of(federation, fed_contributor) == {CONTRIBUTORS}


def test_animator_cannot_make_a_contributor_superuser_with_a_crafted_post(
    alpha, animator, contributor
):
    assert_answered(
        browser(alpha, animator).post(
            f"{USERS}edit/{contributor.pk}/",
            account_form(contributor, group_ids(alpha, CONTRIBUTORS), is_superuser="on"),
        )
    )

    assert not reloaded(alpha, contributor).is_superuser


def test_animator_cannot_grant_a_group_holding_more_than_they_hold(alpha, animator, contributor):
    """A group a superuser made, with the right to edit groups: beyond any animator."""
    with schema_context(alpha.schema_name):
        managers = Group.objects.create(name="Gestion des groupes")
        managers.permissions.add(
            Permission.objects.get(content_type__app_label="auth", codename="change_group")
        )

    assert_answered(
        browser(alpha, animator).post(
            f"{USERS}edit/{contributor.pk}/",
            account_form(contributor, [*group_ids(alpha, CONTRIBUTORS), managers.pk]),
        )
    )

    assert groups_of(alpha, contributor) == {CONTRIBUTORS}


def test_animator_makes_a_contributor_an_animator_and_gives_them_a_blog(
    alpha, animator, contributor
):
    with schema_context(alpha.schema_name):
        blog = blog_group(BlogPageFactory(title="Carnet du marché", slug="carnet-du-marche"))

    response = browser(alpha, animator).post(
        f"{USERS}edit/{contributor.pk}/",
        account_form(contributor, [*group_ids(alpha, ANIMATORS), blog.pk]),
    )

    assert response.status_code == 302
    assert groups_of(alpha, contributor) == {ANIMATORS, blog.name}


def test_federation_superuser_grants_the_federation_group(federation, fed_superuser, fed_animator):
    response = browser(federation, fed_superuser).post(
        f"{USERS}edit/{fed_animator.pk}/",
        account_form(fed_animator, group_ids(federation, ANIMATORS, FEDERATION_STAFF)),
    )

    assert response.status_code == 302
    assert groups_of(federation, fed_animator) == {ANIMATORS, FEDERATION_STAFF}


def test_user_list_offers_no_edit_link_to_accounts_above_the_animator(
    federation, fed_animator, staff, fed_contributor
):
    page = browser(federation, fed_animator).get(USERS).content.decode()

    assert f'href="{USERS}edit/{fed_contributor.pk}/"' in page
    assert f'href="{USERS}edit/{staff.pk}/"' not in page


def offered(page: str, group_id: int) -> bool:
    return re.search(rf'name="groups" value="{group_id}"', page) is not None


def test_own_account_form_shows_ones_groups_but_cannot_change_them(federation, fed_animator):
    response = browser(federation, fed_animator).get(f"{USERS}edit/{fed_animator.pk}/")

    page = response.content.decode()
    (animators,) = group_ids(federation, ANIMATORS)
    assert response.status_code == 200
    (checkbox,) = re.findall(rf'<input[^>]*name="groups" value="{animators}"[^>]*>', page)
    assert "disabled" in checkbox
    assert "checked" in checkbox
    assert "Vos groupes ne peuvent être changés que par une autre personne habilitée." in page


# --- Creating an account -----------------------------------------------------------------


def new_account(username: str, groups: Iterable[int] = (), **extra: object) -> dict:
    return {
        "username": username,
        "email": username,
        "first_name": "Nouvelle",
        "last_name": "Personne",
        "password1": "Un-mot-de-passe-neuf-42",
        "password2": "Un-mot-de-passe-neuf-42",
        "groups": list(groups),
        **extra,
    }


def account_exists(portal: Neighbourhood, username: str) -> bool:
    with schema_context(portal.schema_name):
        return get_user_model().objects.filter(username=username).exists()


def test_add_user_form_offers_the_federation_animator_only_what_they_may_grant(
    federation, fed_animator
):
    response = browser(federation, fed_animator).get(f"{USERS}new/")

    page = response.content.decode()
    assert response.status_code == 200
    assert offered(page, *group_ids(federation, ANIMATORS))
    assert offered(page, *group_ids(federation, CONTRIBUTORS))
    assert not offered(page, *group_ids(federation, FEDERATION_STAFF))
    assert "Seuls les super-utilisateurs peuvent donner ce droit." in page


def test_federation_animator_cannot_create_a_federation_member(federation, fed_animator):
    response = browser(federation, fed_animator).post(
        f"{USERS}new/",
        new_account("complice@example.org", group_ids(federation, FEDERATION_STAFF)),
    )

    assert response.status_code == 200
    assert not account_exists(federation, "complice@example.org")


def test_animator_cannot_create_a_superuser_with_a_crafted_post(alpha, animator):
    assert_answered(
        browser(alpha, animator).post(
            f"{USERS}new/",
            new_account("complice@example.org", group_ids(alpha, CONTRIBUTORS), is_superuser="on"),
        )
    )

    with schema_context(alpha.schema_name):
        assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_federation_animator_cannot_take_over_a_staff_account_through_the_copy_screen(
    federation, fed_animator, staff
):
    """Wagtail's copy screen saved the "copy" over the copied account itself."""
    response = browser(federation, fed_animator).post(
        f"{USERS}copy/{staff.pk}/",
        new_account("pirate@example.org", group_ids(federation, CONTRIBUTORS)),
    )

    assert response.status_code == 404
    account = reloaded(federation, staff)
    assert (account.email, groups_of(federation, staff)) == (staff.email, {FEDERATION_STAFF})
    assert account.check_password(PASSWORD)


def test_animator_cannot_make_themselves_superuser_through_the_copy_screen(alpha, animator):
    response = browser(alpha, animator).post(
        f"{USERS}copy/{animator.pk}/",
        new_account(animator.username, group_ids(alpha, ANIMATORS), is_superuser="on"),
    )

    assert response.status_code == 404
    assert not reloaded(alpha, animator).is_superuser


def test_animator_creates_an_animator_of_their_own_portal(alpha, animator):
    response = browser(alpha, animator).post(
        f"{USERS}new/", new_account("renfort@alpha.example", group_ids(alpha, ANIMATORS))
    )

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        created = get_user_model().objects.get(username="renfort@alpha.example")
    assert groups_of(alpha, created) == {ANIMATORS}


# --- Bulk actions ------------------------------------------------------------------------


def bulk(action: str, *users) -> str:
    ids = "&".join(f"id={user.pk}" for user in users)
    return f"/admin/bulk/auth/user/{action}/?{ids}&next={USERS}"


def test_federation_animator_cannot_assign_the_federation_role_in_bulk(
    federation, fed_animator, fed_contributor
):
    (federation_group,) = group_ids(federation, FEDERATION_STAFF)

    assert_answered(
        browser(federation, fed_animator).post(
            bulk("assign_role", fed_animator, fed_contributor), {"role": federation_group}
        )
    )

    assert groups_of(federation, fed_animator) == {ANIMATORS}
    assert groups_of(federation, fed_contributor) == {CONTRIBUTORS}


def test_federation_animator_cannot_deactivate_a_staff_member_in_bulk(
    federation, fed_animator, staff
):
    assert_answered(
        browser(federation, fed_animator).post(
            bulk("set_active_state", staff), {"mark_as_active": "False"}
        )
    )

    assert reloaded(federation, staff).is_active


def test_animator_cannot_deactivate_a_superuser_in_bulk(alpha, animator, alpha_superuser):
    assert_answered(
        browser(alpha, animator).post(
            bulk("set_active_state", alpha_superuser), {"mark_as_active": "False"}
        )
    )

    assert reloaded(alpha, alpha_superuser).is_active


def test_animator_cannot_delete_accounts_in_bulk(alpha, animator, alpha_superuser, contributor):
    assert_answered(browser(alpha, animator).post(bulk("delete", alpha_superuser, contributor), {}))

    assert account_exists(alpha, alpha_superuser.username)
    assert account_exists(alpha, contributor.username)


def test_animator_deactivates_a_contributor_in_bulk(alpha, animator, contributor):
    response = browser(alpha, animator).post(
        bulk("set_active_state", contributor), {"mark_as_active": "False"}
    )

    assert response.status_code == 302
    assert not reloaded(alpha, contributor).is_active


def test_federation_superuser_assigns_the_federation_role_in_bulk(
    federation, fed_superuser, fed_animator
):
    (federation_group,) = group_ids(federation, FEDERATION_STAFF)

    assert_answered(
        browser(federation, fed_superuser).post(
            bulk("assign_role", fed_animator), {"role": federation_group}
        )
    )

    assert groups_of(federation, fed_animator) == {ANIMATORS, FEDERATION_STAFF}


# --- Group screens -----------------------------------------------------------------------


@pytest.mark.parametrize("portal_name", ["federation", "alpha"])
def test_animators_cannot_reach_the_group_screens(request, portal_name):
    portal = request.getfixturevalue(portal_name)
    client = browser(portal, make_user(portal, f"animation@{portal_name}.example", ANIMATORS))
    (animators,) = group_ids(portal, ANIMATORS)
    with schema_context(portal.schema_name):
        powers = list(
            Permission.objects.filter(codename__in=["change_group", "delete_user"]).values_list(
                "pk", flat=True
            )
        )

    assert_refused(client.get("/admin/groups/"))
    assert_refused(client.get(f"/admin/groups/edit/{animators}/"))
    response = client.post(
        f"/admin/groups/edit/{animators}/",
        {"name": ANIMATORS, "permissions": powers},
    )

    assert_refused(response)
    with schema_context(portal.schema_name):
        held = Group.objects.get(name=ANIMATORS).permissions.values_list("codename", flat=True)
        assert not {"change_group", "delete_user"} & set(held)


def group_form(portal: Neighbourhood, group: Group | None, permissions: list[int]) -> dict:
    """What Wagtail's group screen posts: its hidden fields (the permission panels'
    management forms), read as a superuser sees the screen, with ``permissions`` ticked."""
    page = browser(portal, make_user(portal, "lecture@example.org", is_superuser=True))
    address = f"/admin/groups/edit/{group.pk}/" if group else "/admin/groups/new/"
    html = page.get(address).content.decode()
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    name = group.name if group else "Nouveau groupe"
    return {**dict(hidden), "name": name, "permissions": permissions}


def permission_ids(portal: Neighbourhood, *codenames: str) -> list[int]:
    with schema_context(portal.schema_name):
        return list(Permission.objects.filter(codename__in=codenames).values_list("pk", flat=True))


def test_a_group_manager_cannot_add_permissions_to_their_own_group(alpha):
    """A group a superuser made to manage groups: its members still cannot raise it."""
    with schema_context(alpha.schema_name):
        managers = Group.objects.create(name="Gestion des groupes")
        managers.permissions.add(
            *Permission.objects.filter(codename__in=["access_admin", "change_group"])
        )
        held = list(managers.permissions.values_list("pk", flat=True))
        (delete_user,) = Permission.objects.filter(codename="delete_user").values_list(
            "pk", flat=True
        )
    form = group_form(alpha, managers, [*held, delete_user])
    client = browser(alpha, make_user(alpha, "gestion@alpha.example", "Gestion des groupes"))

    response = client.post(f"/admin/groups/edit/{managers.pk}/", form)

    assert_refused(response)
    with schema_context(alpha.schema_name):
        assert not managers.permissions.filter(codename="delete_user").exists()


@pytest.fixture
def group_managing_animator(alpha):
    """An animator a superuser also let manage groups (no furnished role can)."""
    with schema_context(alpha.schema_name):
        managers = Group.objects.create(name="Gestion des groupes")
        managers.permissions.add(
            *Permission.objects.filter(codename__in=["access_admin", "add_group", "change_group"])
        )
    return make_user(alpha, "gestion@alpha.example", ANIMATORS, "Gestion des groupes")


@pytest.fixture
def proofreaders(alpha) -> Group:
    """A group within the animator's reach: it only opens the admin."""
    with schema_context(alpha.schema_name):
        group = Group.objects.create(name="Relecteurs")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def test_group_managing_animator_cannot_give_a_group_powers_they_lack(
    alpha, group_managing_animator, proofreaders
):
    form = group_form(alpha, proofreaders, permission_ids(alpha, "access_admin", "delete_user"))

    response = browser(alpha, group_managing_animator).post(
        f"/admin/groups/edit/{proofreaders.pk}/", form
    )

    assert response.status_code == 200
    assert "il donnerait des droits que vous n&#x27;avez pas vous-même" in (
        response.content.decode()
    )
    with schema_context(alpha.schema_name):
        assert not proofreaders.permissions.filter(codename="delete_user").exists()


def test_group_managing_animator_cannot_create_a_group_with_powers_they_lack(
    alpha, group_managing_animator
):
    form = group_form(alpha, None, permission_ids(alpha, "access_admin", "delete_user"))

    response = browser(alpha, group_managing_animator).post("/admin/groups/new/", form)

    assert response.status_code == 200
    with schema_context(alpha.schema_name):
        assert not Group.objects.filter(name="Nouveau groupe").exists()


def test_group_managing_animator_gives_a_group_a_power_they_hold(
    alpha, group_managing_animator, proofreaders
):
    form = group_form(alpha, proofreaders, permission_ids(alpha, "access_admin", "add_actor"))

    response = browser(alpha, group_managing_animator).post(
        f"/admin/groups/edit/{proofreaders.pk}/", form
    )

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        assert proofreaders.permissions.filter(codename="add_actor").exists()


# --- Invitation screen -------------------------------------------------------------------


def test_federation_animator_cannot_invite_a_staff_member_as_contributor(
    federation, fed_animator, staff
):
    """Inviting an existing account changes its groups: not one above the animator's."""
    response = browser(federation, fed_animator).post(
        INVITE, {"email": staff.email, "new_blog_title": "Le carnet de l'équipe"}
    )

    assert response.status_code == 200
    assert "plus de droits que le vôtre" in response.content.decode()
    assert groups_of(federation, staff) == {FEDERATION_STAFF}


def test_animator_cannot_change_their_own_groups_by_inviting_themselves(alpha, animator):
    response = browser(alpha, animator).post(
        INVITE, {"email": animator.email.upper(), "new_blog_title": "Mon propre carnet"}
    )

    assert response.status_code == 200
    assert "Vous ne pouvez pas vous inviter vous-même." in response.content.decode()
    assert groups_of(alpha, animator) == {ANIMATORS}


def test_a_new_blog_needs_a_blogs_section_where_the_portal_has_none(federation, fed_animator):
    # The federation's portal has no residents' blogs (sections fitted to its kind).
    response = browser(federation, fed_animator).post(
        INVITE, {"email": "plume@example.org", "new_blog_title": "Le carnet de la plume"}
    )

    assert response.status_code == 200
    assert "pas de rubrique « Blogs des habitants »" in response.content.decode()
    with schema_context(federation.schema_name):
        assert not get_user_model().objects.filter(username="plume@example.org").exists()


def test_federation_animator_invites_a_contributor_of_their_own_portal(
    federation, fed_animator, mailoutbox, django_capture_on_commit_callbacks
):
    with schema_context(federation.schema_name):  # staff gave their portal a blogs section
        HomePage.objects.get().add_child(instance=BlogIndexPage(title="Blogs", slug="blogs"))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(federation, fed_animator).post(
            INVITE, {"email": "plume@example.org", "new_blog_title": "Le carnet de la plume"}
        )

    assert response.status_code == 302
    with schema_context(federation.schema_name):
        invited = get_user_model().objects.get(username="plume@example.org")
    assert CONTRIBUTORS in groups_of(federation, invited)
    assert FEDERATION_STAFF not in groups_of(federation, invited)
    assert [message.to for message in mailoutbox] == [["plume@example.org"]]


# --- Contributors ------------------------------------------------------------------------


def test_contributor_is_refused_the_user_admin(alpha, contributor):
    client = browser(alpha, contributor)

    assert_refused(client.get(USERS))
    assert_refused(client.get(f"{USERS}edit/{contributor.pk}/"))
    assert_refused(
        client.post(
            f"{USERS}edit/{contributor.pk}/",
            account_form(contributor, group_ids(alpha, CONTRIBUTORS, ANIMATORS)),
        )
    )
    assert_refused(
        client.post(f"{USERS}new/", new_account("ami@example.org", group_ids(alpha, ANIMATORS)))
    )
    client.post(bulk("assign_role", contributor), {"role": group_ids(alpha, ANIMATORS)[0]})

    assert groups_of(alpha, contributor) == {CONTRIBUTORS}
    assert not account_exists(alpha, "ami@example.org")


def test_contributor_cannot_reach_the_invitation_screen(alpha, contributor):
    client = browser(alpha, contributor)

    assert_refused(client.get(INVITE))
    assert_refused(client.post(INVITE, {"email": "ami@example.org", "new_blog_title": "Ami"}))
    assert not account_exists(alpha, "ami@example.org")


@pytest.mark.parametrize("new_name", [FEDERATION_STAFF, ANIMATORS])
def test_group_managing_animator_cannot_give_a_group_a_role_name(
    alpha, group_managing_animator, proofreaders, new_name
):
    form = group_form(alpha, proofreaders, permission_ids(alpha, "access_admin"))

    response = browser(alpha, group_managing_animator).post(
        f"/admin/groups/edit/{proofreaders.pk}/", {**form, "name": new_name}
    )

    assert response.status_code == 200
    assert "les rôles (Animateurs, Contributeurs, Fédération) gardent leur nom" in (
        response.content.decode().replace("&#x27;", "'")
    )
    with schema_context(alpha.schema_name):
        assert Group.objects.get(pk=proofreaders.pk).name == "Relecteurs"


def test_group_managing_animator_cannot_create_a_federation_group(alpha, group_managing_animator):
    form = group_form(alpha, None, permission_ids(alpha, "access_admin"))

    response = browser(alpha, group_managing_animator).post(
        "/admin/groups/new/", {**form, "name": FEDERATION_STAFF}
    )

    assert response.status_code == 200
    with schema_context(alpha.schema_name):
        assert not Group.objects.filter(name=FEDERATION_STAFF).exists()


def test_group_managing_animator_cannot_rename_the_contributors(alpha, group_managing_animator):
    with schema_context(alpha.schema_name):
        contributors = Group.objects.get(name=CONTRIBUTORS)
    form = group_form(alpha, contributors, [])
    form["permissions"] = permission_ids(alpha, "access_admin")

    response = browser(alpha, group_managing_animator).post(
        f"/admin/groups/edit/{contributors.pk}/", {**form, "name": "Lecteurs"}
    )

    assert response.status_code == 200
    with schema_context(alpha.schema_name):
        assert Group.objects.filter(name=CONTRIBUTORS).exists()


def test_group_managing_animator_renames_an_ordinary_group(
    alpha, group_managing_animator, proofreaders
):
    form = group_form(alpha, proofreaders, permission_ids(alpha, "access_admin"))

    response = browser(alpha, group_managing_animator).post(
        f"/admin/groups/edit/{proofreaders.pk}/", {**form, "name": "Relecture"}
    )

    assert response.status_code == 302
    with schema_context(alpha.schema_name):
        assert Group.objects.get(pk=proofreaders.pk).name == "Relecture"
