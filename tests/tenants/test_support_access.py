"""Support across portals (issue 20 §2): federation staff in a portal's admin, as
themselves, for a limited time, seen and ended by the portal's animators."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from tenants.default_portal import ANIMATORS, CONTRIBUTORS, FEDERATION_STAFF
from tenants.group_names import SUPPORT
from tenants.models import Neighbourhood, NetworkAction, SupportAccess
from tests.conftest import PASSWORD, give_second_factor, host, pass_second_factor

pytestmark = pytest.mark.django_db

STAFF_EMAIL = "equipe@federation.example"
USERS = "/admin/users/"


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def make_user(portal: Neighbourhood, username: str, *groups: str, **extra: object):
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
    """A browser at the portal's host, logged in through the admin's own login form, with
    the app of the person's second factor already set up if their role requires one (the
    state their first sign-in's enrolment would leave): a code typed instead of the
    enrolment page, its QR code and its POST at each of some sixty sign-ins."""
    with schema_context(portal.schema_name):
        give_second_factor(user)
    client = Client(HTTP_HOST=host(portal))
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    pass_second_factor(client)
    assert response.status_code == 302, "the login form refused the account"
    return client


def support_url(portal: Neighbourhood) -> str:
    return f"/admin/reseau/portails/{portal.schema_name}/support/"


def assert_refused(response) -> None:
    """Wagtail turns a refusal in its admin into a redirect to the dashboard, or a 403."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/?next=" + "/admin/")


def signed_in(client: Client) -> bool:
    """Whether the client's session opens the portal's admin (not its login page)."""
    response = client.get("/admin/")
    return response.status_code == 200


@pytest.fixture
def staff(federation) -> Client:
    """A member of the federation's "Fédération" group, at the federation's host."""
    return browser(federation, make_user(federation, STAFF_EMAIL, FEDERATION_STAFF))


def open_support(staff: Client, portal: Neighbourhood, hours: int = 2) -> tuple[str, str]:
    """Staff open a visit: the link's host and path."""
    response = staff.post(
        support_url(portal),
        {"action": "start", "hours": hours, "reason": "Mise en page de l'agenda"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return followed_link(staff, portal)


def followed_link(staff: Client, portal: Neighbourhood) -> tuple[str, str]:
    """The single-use link the federation's screen offers once: its host and path."""
    page = staff.get(support_url(portal)).text
    found = re.search(r'href="([^"]+)" data-support-entry', page)
    assert found, "no link offered"
    link = urlsplit(html.unescape(found.group(1)))
    return link.hostname, link.path


def enter(portal: Neighbourhood, path: str) -> Client:
    """The staff member's browser following the link at the portal's host."""
    visitor = Client(HTTP_HOST=host(portal))
    response = visitor.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    return visitor


def the_access(portal: Neighbourhood) -> SupportAccess:
    return SupportAccess.objects.get(portal=portal)


def support_members(portal: Neighbourhood) -> set[str]:
    with schema_context(portal.schema_name):
        return set(
            get_user_model().objects.filter(groups__name=SUPPORT).values_list("email", flat=True)
        )


# --- Opening and seeing a visit ------------------------------------------------------------


def test_staff_open_support_and_land_in_the_portals_admin_where_animators_see_the_banner(
    staff, alpha, animator_of
):
    link_host, path = open_support(staff, alpha)

    assert link_host == host(alpha)  # the portal's own host: its cookie stays there
    visitor = enter(alpha, path)
    dashboard = visitor.get("/admin/")
    assert dashboard.status_code == 200
    assert "data-support-banner" in dashboard.text
    assert support_members(alpha) == {STAFF_EMAIL}

    animators_view = browser(alpha, animator_of(alpha)).get("/admin/").text
    assert "data-support-banner" in animators_view
    assert STAFF_EMAIL in animators_view
    assert "Mettre fin" in animators_view
    history = browser(alpha, animator_of(alpha)).get("/admin/support/").text
    assert "Mise en page de l&#x27;agenda" in history


def test_the_visitor_edits_pages_like_an_animator_but_not_the_accounts(staff, alpha):
    visitor = enter(alpha, open_support(staff, alpha)[1])

    with schema_context(alpha.schema_name):
        root = Page.objects.get(depth=2)
    assert visitor.get(f"/admin/pages/{root.pk}/edit/").status_code == 200
    assert_refused(visitor.get(USERS))


def test_the_network_journal_records_the_start_and_the_end(staff, alpha):
    open_support(staff, alpha)
    access = the_access(alpha)

    staff.post(support_url(alpha), {"action": "end", "access": access.pk})

    logged = NetworkAction.objects.filter(portal=alpha.schema_name).order_by("at", "pk")
    assert [(a.action, a.who) for a in logged if a.action.startswith("support")] == [
        ("support_start", STAFF_EMAIL),
        ("support_end", STAFF_EMAIL),
    ]
    start = logged.get(action="support_start")
    assert start.details["reason"] == "Mise en page de l'agenda"


def test_staff_sign_in_at_the_portal_with_their_network_password_during_the_visit(staff, alpha):
    open_support(staff, alpha)
    at_alpha = Client(HTTP_HOST=host(alpha))

    response = at_alpha.post("/admin/login/", {"username": STAFF_EMAIL, "password": PASSWORD})
    pass_second_factor(at_alpha)

    assert response.status_code == 302
    assert signed_in(at_alpha)


# --- Ending a visit ------------------------------------------------------------------------


def test_an_animator_ends_the_visit_and_the_staff_member_is_out_on_their_next_request(
    staff, alpha, animator_of
):
    visitor = enter(alpha, open_support(staff, alpha)[1])
    access = the_access(alpha)

    response = browser(alpha, animator_of(alpha)).post("/admin/support/", {"access": access.pk})

    assert response.status_code == 302
    assert not signed_in(visitor)
    assert support_members(alpha) == set()
    access.refresh_from_db()
    assert access.ended_by == animator_of(alpha).email
    assert "data-support-banner" not in browser(alpha, animator_of(alpha)).get("/admin/").text


def test_staff_end_the_visit_from_the_network_admin(staff, alpha):
    visitor = enter(alpha, open_support(staff, alpha)[1])

    staff.post(support_url(alpha), {"action": "end", "access": the_access(alpha).pk})

    assert not signed_in(visitor)
    assert the_access(alpha).ended_by == STAFF_EMAIL


def test_a_visit_past_its_time_ends_on_the_next_request_without_any_cron(staff, alpha):
    visitor = enter(alpha, open_support(staff, alpha)[1])
    SupportAccess.objects.filter(portal=alpha).update(ends_at=timezone.now() - timedelta(seconds=1))

    assert not signed_in(visitor)
    access = the_access(alpha)
    assert access.ended_by == "expiration"
    assert support_members(alpha) == set()
    assert NetworkAction.objects.filter(
        portal=alpha.schema_name, action="support_end", details__expired=True
    ).exists()


def test_a_visit_past_its_time_refuses_the_network_password_at_the_portal(staff, alpha):
    open_support(staff, alpha)
    SupportAccess.objects.filter(portal=alpha).update(ends_at=timezone.now() - timedelta(hours=1))
    at_alpha = Client(HTTP_HOST=host(alpha))

    at_alpha.post("/admin/login/", {"username": STAFF_EMAIL, "password": PASSWORD})
    pass_second_factor(at_alpha)

    assert not signed_in(at_alpha)


def test_the_choice_of_duration_stops_at_eight_hours(staff, alpha):
    response = staff.post(
        support_url(alpha), {"action": "start", "hours": 9, "reason": "Toute la semaine"}
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not SupportAccess.objects.filter(portal=alpha).exists()


def test_an_open_visit_lasts_the_hours_chosen(staff, alpha):
    open_support(staff, alpha, hours=8)

    access = the_access(alpha)
    assert timedelta(hours=7, minutes=59) < access.ends_at - access.started_at <= timedelta(hours=8)


# --- Who may open a visit ------------------------------------------------------------------


def test_an_animator_of_a_neighbourhood_cannot_open_support(alpha, beta, animator_of):
    at_alpha = browser(alpha, animator_of(alpha))

    assert_refused(at_alpha.get(support_url(beta)))
    assert_refused(at_alpha.post(support_url(beta), {"action": "start", "hours": 2, "reason": "x"}))
    assert not SupportAccess.objects.exists()


@pytest.mark.parametrize("group", [ANIMATORS, CONTRIBUTORS])
def test_a_federation_account_outside_the_federation_group_cannot_open_support(
    federation, alpha, group
):
    client = browser(
        federation, make_user(federation, f"{group.lower()}@federation.example", group)
    )

    assert_refused(client.get(support_url(alpha)))
    assert_refused(client.post(support_url(alpha), {"action": "start", "hours": 2, "reason": "x"}))
    assert not SupportAccess.objects.exists()


def test_a_forged_post_without_csrf_opens_nothing(staff, federation, alpha):
    # The staff member's own session, in a browser page of another site that posts to it.
    forged = Client(HTTP_HOST=host(federation), enforce_csrf_checks=True)
    forged.cookies[settings.SESSION_COOKIE_NAME] = staff.cookies[settings.SESSION_COOKIE_NAME].value

    response = forged.post(support_url(alpha), {"action": "start", "hours": 2, "reason": "x"})

    assert response.status_code == 403
    assert not SupportAccess.objects.exists()


def test_support_cannot_be_opened_at_the_federation_itself(staff, federation):
    assert staff.get(support_url(federation)).status_code == 404


# --- The link ------------------------------------------------------------------------------


def test_a_link_used_twice_signs_in_once(staff, alpha):
    path = open_support(staff, alpha)[1]
    enter(alpha, path)

    second = Client(HTTP_HOST=host(alpha))
    assert second.get(path).status_code == 404
    assert not signed_in(second)


def test_a_link_used_at_another_portals_host_does_nothing_and_stays_unused(staff, alpha, beta):
    path = open_support(staff, alpha)[1]
    elsewhere = Client(HTTP_HOST=host(beta))

    assert elsewhere.get(path).status_code == 404
    assert not signed_in(elsewhere)
    enter(alpha, path)  # still good where it was meant for


def test_a_link_past_its_two_minutes_does_nothing(staff, alpha):
    path = open_support(staff, alpha)[1]
    SupportAccess.objects.filter(portal=alpha).update(
        link_expires_at=timezone.now() - timedelta(seconds=1)
    )

    late = Client(HTTP_HOST=host(alpha))
    assert late.get(path).status_code == 404
    assert not signed_in(late)


def test_a_link_of_an_ended_visit_does_nothing(staff, alpha):
    path = open_support(staff, alpha)[1]
    staff.post(support_url(alpha), {"action": "end", "access": the_access(alpha).pk})

    assert Client(HTTP_HOST=host(alpha)).get(path).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 43, "%00", "é" * 200])
def test_a_forged_link_is_a_plain_404(alpha, token):
    response = Client(HTTP_HOST=host(alpha)).get(f"/admin/support/entrer/{token}/")

    assert response.status_code == 404


def test_staff_go_back_in_with_a_new_link_during_their_visit(staff, alpha):
    open_support(staff, alpha)

    response = staff.post(support_url(alpha), {"action": "enter", "access": the_access(alpha).pk})

    assert response.status_code == 302
    enter(alpha, followed_link(staff, alpha)[1])


# --- Isolation and reach -------------------------------------------------------------------


def test_support_at_alpha_gives_nothing_at_beta(staff, alpha, beta):
    visitor = enter(alpha, open_support(staff, alpha)[1])
    cookie = visitor.cookies[settings.SESSION_COOKIE_NAME].value

    at_beta = Client(HTTP_HOST=host(beta))
    at_beta.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not signed_in(at_beta)
    at_beta.post("/admin/login/", {"username": STAFF_EMAIL, "password": PASSWORD})
    pass_second_factor(at_beta)
    assert not signed_in(at_beta)
    assert support_members(beta) == set()


def test_an_animator_cannot_grant_the_support_role_not_even_with_a_forged_post(
    staff, alpha, animator_of
):
    open_support(staff, alpha)
    animator = animator_of(alpha)
    contributor = make_user(alpha, "plume@alpha.example", CONTRIBUTORS)
    with schema_context(alpha.schema_name):
        support_id = Group.objects.get(name=SUPPORT).pk
    at_alpha = browser(alpha, animator)

    form = at_alpha.get(f"{USERS}edit/{contributor.pk}/").text
    at_alpha.post(
        f"{USERS}edit/{contributor.pk}/",
        {
            "username": contributor.username,
            "email": contributor.email,
            "first_name": "Prénom",
            "last_name": "Nom",
            "is_active": "on",
            "groups": [support_id],
        },
    )

    assert f'value="{support_id}"' not in form
    assert support_members(alpha) == {STAFF_EMAIL}


def test_a_portal_superuser_cannot_grant_the_support_role_either(alpha):
    root = make_user(alpha, "root@alpha.example", is_superuser=True)
    contributor = make_user(alpha, "plume@alpha.example", CONTRIBUTORS)
    with schema_context(alpha.schema_name):
        support_id = Group.objects.get_or_create(name=SUPPORT)[0].pk

    browser(alpha, root).post(
        f"{USERS}edit/{contributor.pk}/",
        {
            "username": contributor.username,
            "email": contributor.email,
            "first_name": "Prénom",
            "last_name": "Nom",
            "is_active": "on",
            "groups": [support_id],
        },
    )

    assert support_members(alpha) == set()


def test_an_animator_cannot_extend_a_visit_nor_edit_the_visitors_account(staff, alpha, animator_of):
    open_support(staff, alpha)
    access = the_access(alpha)
    at_alpha = browser(alpha, animator_of(alpha))

    # The network's screens answer at the federation's host only, to its staff.
    assert_refused(
        at_alpha.post(support_url(alpha), {"action": "start", "hours": 8, "reason": "x"})
    )
    assert_refused(at_alpha.get(f"{USERS}edit/{access.user_id}/"))
    assert the_access(alpha).ends_at == access.ends_at


def test_a_visitor_cannot_hand_out_roles(staff, alpha):
    visitor = enter(alpha, open_support(staff, alpha)[1])
    contributor = make_user(alpha, "plume@alpha.example", CONTRIBUTORS)

    assert_refused(visitor.get(f"{USERS}edit/{contributor.pk}/"))
    assert_refused(visitor.get("/admin/groups/"))


def test_an_animator_of_another_portal_cannot_end_a_visit_by_its_id(
    staff, alpha, beta, animator_of
):
    open_support(staff, alpha)
    access = the_access(alpha)

    response = browser(beta, animator_of(beta)).post("/admin/support/", {"access": access.pk})

    assert response.status_code == 404
    assert the_access(alpha).ended_at is None


def test_a_contributor_sees_the_banner_but_cannot_end_the_visit(staff, alpha):
    open_support(staff, alpha)
    contributor = make_user(alpha, "plume@alpha.example", CONTRIBUTORS)
    at_alpha = browser(alpha, contributor)

    assert "data-support-banner" in at_alpha.get("/admin/").text
    assert_refused(at_alpha.post("/admin/support/", {"access": the_access(alpha).pk}))
    assert the_access(alpha).ended_at is None


@pytest.mark.parametrize("posted", ["", "abc", "999999", "-1"])
def test_a_forged_visit_id_is_a_404(staff, alpha, animator_of, posted):
    open_support(staff, alpha)

    response = browser(alpha, animator_of(alpha)).post("/admin/support/", {"access": posted})

    assert response.status_code == 404


# --- Review (attacker's view) ----------------------------------------------------------------


@pytest.mark.parametrize("posted", ["²", "١٢", "9" * 40])
def test_a_visit_id_of_other_digits_is_a_404_at_either_side(staff, alpha, animator_of, posted):
    """``str.isdigit`` takes "²", which ``int`` refuses: a 500 before the review."""
    open_support(staff, alpha)

    at_alpha = browser(alpha, animator_of(alpha)).post("/admin/support/", {"access": posted})
    at_federation = staff.post(support_url(alpha), {"action": "end", "access": posted})

    assert at_alpha.status_code == 404
    assert at_federation.status_code == 404
    assert the_access(alpha).ended_at is None


def test_staff_who_typed_someone_elses_address_do_not_enter_as_that_person(
    staff, federation, alpha
):
    """An address typed on one's account page is unproven: the visit must not open the
    portal's account of that address (here a superuser's) to the staff member."""
    chief = make_user(alpha, "chef@alpha.example", is_superuser=True)
    with schema_context(federation.schema_name):
        own = get_user_model().objects.get(username=STAFF_EMAIL)
        own.email = chief.email  # what the account page's "name and e-mail" form saves
        own.save()

    response = staff.post(
        support_url(alpha), {"action": "start", "hours": 2, "reason": "Mise en page"}
    )

    assert response.status_code == 200
    assert not SupportAccess.objects.filter(portal=alpha).exists()
    assert support_members(alpha) == set()


def test_staff_go_back_in_only_through_their_own_visit(staff, federation, alpha):
    open_support(staff, alpha)
    access = the_access(alpha)
    other = browser(federation, make_user(federation, "autre@federation.example", FEDERATION_STAFF))
    with schema_context(federation.schema_name):
        own = get_user_model().objects.get(username="autre@federation.example")
        own.email = STAFF_EMAIL
        own.save()

    other.post(support_url(alpha), {"action": "enter", "access": access.pk})

    assert "data-support-entry" not in other.get(support_url(alpha)).text


def test_a_session_signed_in_before_the_visit_loses_its_powers_when_the_clock_ends_it(staff, alpha):
    """The portal already had the staff member's account, signed in before the visit:
    once the visit is past its time, the very next request has none of its powers (the
    banner ends it too, but only once the view has answered)."""
    before = browser(alpha, make_user(alpha, STAFF_EMAIL))
    open_support(staff, alpha)
    with schema_context(alpha.schema_name):
        root = Page.objects.get(depth=2)
    assert before.get(f"/admin/pages/{root.pk}/edit/").status_code == 200
    SupportAccess.objects.filter(portal=alpha).update(ends_at=timezone.now() - timedelta(seconds=1))

    assert before.get(f"/admin/pages/{root.pk}/edit/").status_code != 200
    assert the_access(alpha).ended_by == "expiration"
    assert support_members(alpha) == set()


def test_a_staff_member_taken_out_of_the_federations_group_loses_their_visits_at_once(
    staff, federation, alpha
):
    visitor = enter(alpha, open_support(staff, alpha)[1])
    with schema_context(federation.schema_name):
        own = get_user_model().objects.get(username=STAFF_EMAIL)
        own.groups.remove(Group.objects.get(name=FEDERATION_STAFF))

    assert the_access(alpha).ended_at is not None
    assert support_members(alpha) == set()
    assert not signed_in(visitor)


def test_a_staff_member_deactivated_at_the_federation_loses_their_visits_at_once(
    staff, federation, alpha
):
    open_support(staff, alpha)
    with schema_context(federation.schema_name):
        own = get_user_model().objects.get(username=STAFF_EMAIL)
        own.is_active = False
        own.save()

    assert the_access(alpha).ended_at is not None
    assert support_members(alpha) == set()


def test_after_the_visit_the_network_password_signs_in_nowhere_at_the_portal(staff, alpha):
    """Not even outside the admin: pages reserved to signed-in people stay closed."""
    open_support(staff, alpha)
    staff.post(support_url(alpha), {"action": "end", "access": the_access(alpha).pk})
    at_alpha = Client(HTTP_HOST=host(alpha))

    at_alpha.post("/admin/login/", {"username": STAFF_EMAIL, "password": PASSWORD})
    pass_second_factor(at_alpha)

    assert "_auth_user_id" not in at_alpha.session


def test_a_second_visit_opens_the_account_the_first_one_closed(staff, alpha):
    open_support(staff, alpha)
    staff.post(support_url(alpha), {"action": "end", "access": the_access(alpha).pk})

    visitor = enter(alpha, open_support(staff, alpha)[1])

    assert signed_in(visitor)
    assert support_members(alpha) == {STAFF_EMAIL}
