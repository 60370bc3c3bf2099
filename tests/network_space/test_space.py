"""The animators' space at the federation (issue 20, §4).

An animator of a neighbourhood opens it at the federation's host with their network
password (no local account is made there), reads the reserved pages and finds colleagues
in the directory; nobody else does, whatever they bring (another portal's session cookie,
a contributor's password, a suspended portal's role, a role just removed); and nothing of
the space shows anywhere else (search, sitemap, feeds, menus, the page cache, the
network's index, previews).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Site

from network_space.demo import seed_space
from network_space.directory.models import DirectoryEntry
from network_space.documents import space_collection
from network_space.models import AnimatorsSpacePage, InternalSheetPage
from tenants.accounts import NetworkAccount
from tenants.default_portal import ANIMATORS, CONTRIBUTORS
from tenants.demo_network import DEMO_PASSWORD, _give_demo_password
from tenants.factories import PortalAccountFactory, SecondFactorDeviceFactory
from tenants.models import Neighbourhood, SharedEntry
from tests.conftest import PASSWORD, host, pass_second_factor

pytestmark = pytest.mark.django_db

SIGN_IN = "/reseau/espace/connexion/"
SPACE = "/espace-animateurs/"
SHEET = SPACE + "animer-un-comite-de-redaction/"
# A word found only in the reserved sheet's title and body.
SECRET_WORD = "comité"
EMAIL = "nadia@example.org"


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("fedspace", kind="federation", name="Fédération Quartiers")


@pytest.fixture(scope="module")
def seeded_space(federation, django_db_blocker) -> None:
    """The demo's space, seeded once for the module (committed, as the portal is): its
    pages were published anew before each of the module's 26 tests. What a test changes
    in it is rolled back with the test's transaction."""
    with django_db_blocker.unblock(), schema_context(federation.schema_name):
        seed_space()


@pytest.fixture
def space(federation, seeded_space) -> AnimatorsSpacePage:
    with schema_context(federation.schema_name):
        return AnimatorsSpacePage.objects.get()


def person(portal: Neighbourhood, email: str = EMAIL, *roles: str):
    with schema_context(portal.schema_name):
        return PortalAccountFactory(
            username=email, first_name="Nadia", last_name="Cherif", roles=list(roles)
        )


def visitor(federation: Neighbourhood, **extra: object) -> Client:
    return Client(HTTP_HOST=host(federation), **extra)


def signed_in(federation: Neighbourhood, email: str = EMAIL, password: str = PASSWORD) -> Client:
    client = visitor(federation)
    client.post(SIGN_IN, {"email": email, "password": password})
    pass_second_factor(client)
    return client


def reads_the_sheet(client: Client) -> bool:
    response = client.get(SHEET)
    return response.status_code == 200 and "Avant le comité" in response.content.decode()


# --- Who gets in ---------------------------------------------------------------------------


def test_an_animator_of_a_neighbourhood_signs_in_with_their_network_password(
    federation, alpha, space
):
    person(alpha, EMAIL, ANIMATORS)
    client = visitor(federation)

    response = client.post(SIGN_IN, {"email": EMAIL.upper(), "password": PASSWORD})
    pass_second_factor(client)

    assert response.status_code == 302
    assert reads_the_sheet(client)
    with schema_context(federation.schema_name):
        assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert "_auth_user_id" not in client.session


def test_the_sign_in_brings_back_to_the_page_asked_for_and_never_elsewhere(
    federation, alpha, space
):
    person(alpha, EMAIL, ANIMATORS)
    asked = visitor(federation).get(SHEET)
    assert asked.status_code == 302
    assert asked["Location"].startswith(SIGN_IN)

    SecondFactorDeviceFactory(account=NetworkAccount.objects.get(email=EMAIL))
    # The address asked for is kept through the code step.
    back_client, away_client = visitor(federation), visitor(federation)
    back_client.post(asked["Location"], {"email": EMAIL, "password": PASSWORD, "suivant": SHEET})
    back = pass_second_factor(back_client)
    away_client.post(
        SIGN_IN, {"email": EMAIL, "password": PASSWORD, "suivant": "https://evil.example/"}
    )
    away = pass_second_factor(away_client)

    assert back["Location"] == SHEET
    assert away["Location"] == SPACE


def test_a_wrong_password_is_refused_in_french(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = visitor(federation)

    response = client.post(SIGN_IN, {"email": EMAIL, "password": "pas-le-bon"})
    pass_second_factor(client)
    nobody = client.post(SIGN_IN, {"email": "personne@nulle-part.org", "password": PASSWORD})
    pass_second_factor(client)

    assert response.status_code == 400
    assert "Adresse ou mot de passe incorrect" in response.content.decode()
    assert nobody.status_code == 400
    assert not reads_the_sheet(client)


def test_a_contributor_is_not_let_in(federation, alpha, space):
    person(alpha, EMAIL, CONTRIBUTORS)
    client = visitor(federation)

    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    pass_second_factor(client)

    assert response.status_code == 403
    assert "réservé aux animateurs" in response.content.decode()
    assert not reads_the_sheet(client)


def test_an_animator_of_a_suspended_portal_is_not_let_in(federation, make_portal, space):
    closed = make_portal("closedspace")
    person(closed, EMAIL, ANIMATORS)
    Neighbourhood.objects.filter(pk=closed.pk).update(status=Neighbourhood.Status.SUSPENDED)
    try:
        assert not reads_the_sheet(signed_in(federation))
    finally:
        Neighbourhood.objects.filter(pk=closed.pk).update(status=Neighbourhood.Status.ACTIVE)


def test_an_animator_whose_role_is_removed_loses_the_space_at_once(federation, alpha, space):
    user = person(alpha, EMAIL, ANIMATORS)
    client = signed_in(federation)
    assert reads_the_sheet(client)

    with schema_context(alpha.schema_name):
        get_user_model().objects.get(pk=user.pk).groups.set(Group.objects.filter(name=CONTRIBUTORS))

    assert not reads_the_sheet(client)
    assert client.get(SPACE + "annuaire/").status_code == 302


def test_a_new_password_ends_the_space_sessions(federation, alpha, space):
    user = person(alpha, EMAIL, ANIMATORS)
    client = signed_in(federation)
    assert reads_the_sheet(client)

    with schema_context(alpha.schema_name):
        user = get_user_model().objects.get(pk=user.pk)
        user.set_password("Un-autre-mot-de-passe-2027")
        user.save()

    assert not reads_the_sheet(client)


def test_a_session_cookie_of_another_portal_opens_nothing_at_the_federation(
    federation, alpha, animator_of, space
):
    animator = animator_of(alpha)
    at_alpha = Client(HTTP_HOST=host(alpha))
    at_alpha.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(at_alpha)
    stolen = at_alpha.cookies

    client = visitor(federation)
    client.cookies = stolen

    assert not reads_the_sheet(client)


def test_the_sign_in_answers_on_the_federation_only(alpha):
    assert Client(HTTP_HOST=host(alpha)).get(SIGN_IN).status_code == 404


def test_the_sign_in_refuses_a_post_without_csrf_token(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = visitor(federation, enforce_csrf_checks=True)

    response = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    pass_second_factor(client)

    assert response.status_code == 403
    assert not reads_the_sheet(client)


def test_guessing_a_password_is_locked_out_like_the_admin_login(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = visitor(federation)
    for _attempt in range(5):
        client.post(SIGN_IN, {"email": EMAIL, "password": "devine"})
        pass_second_factor(client)

    locked = client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    pass_second_factor(client)

    assert locked.status_code == 429
    assert not reads_the_sheet(client)


def test_federation_staff_signed_in_to_the_admin_read_the_space(federation, space):
    with schema_context(federation.schema_name):
        staff = PortalAccountFactory(username="staff@example.org", roles=["Fédération"])
    client = visitor(federation)
    client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    pass_second_factor(client)

    assert reads_the_sheet(client)


# --- What the space answers ----------------------------------------------------------------


def test_reserved_pages_are_private_and_never_kept(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = signed_in(federation)

    response = client.get(SHEET)
    anonymous = visitor(federation).get(SHEET)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "og:title" not in response.content.decode()
    assert 'name="robots" content="noindex' in response.content.decode()
    assert anonymous.status_code == 302
    assert "private" in anonymous["Cache-Control"]


def test_a_cached_copy_is_never_served_to_an_anonymous_visitor(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    assert reads_the_sheet(signed_in(federation))

    for _visit in range(2):
        anonymous = visitor(federation).get(SHEET)
        assert anonymous.status_code == 302
        assert SECRET_WORD not in anonymous.content.decode()


# --- Nothing of the space shows elsewhere --------------------------------------------------


def test_search_sitemap_feeds_and_menus_leave_the_space_out(federation, space):
    client = visitor(federation)
    answers = {
        "search": client.get("/recherche/", {"q": "animer comité rédaction"}),
        "sitemap": client.get("/sitemap.xml"),
        "home": client.get("/"),
        "agenda": client.get("/reseau/agenda/"),
        "agenda feed": client.get("/reseau/agenda/rss/"),
        "calendar": client.get("/reseau/agenda.ics"),
        "podcast": client.get("/reseau/podcast.rss"),
    }

    for name, response in answers.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        assert "espace-animateurs" not in text, name
        assert "comité de rédaction" not in text.lower(), name
    assert not SharedEntry.objects.filter(url__contains="espace-animateurs").exists()


def test_the_space_stays_private_when_an_editor_removes_its_restriction(
    federation, space, django_capture_on_commit_callbacks
):
    with schema_context(federation.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            PageViewRestriction.objects.filter(page=space).delete()
        assert PageViewRestriction.objects.filter(page=space).exists()
        assert not InternalSheetPage.objects.live().public().exists()


# --- The directory -------------------------------------------------------------------------


def test_the_directory_lists_animators_with_what_they_chose_to_show(federation, alpha, beta, space):
    nadia = person(alpha, EMAIL, ANIMATORS)
    person(beta, "sam@example.org", ANIMATORS)
    person(beta, "contributrice@example.org", CONTRIBUTORS)
    account = NetworkAccount.objects.get(email="sam@example.org")
    DirectoryEntry.objects.create(
        account=account, name="Sam Benali", phone="06 11 22 33 44", skills="Montage son"
    )

    page = signed_in(federation).get(SPACE + "annuaire/").content.decode()

    assert "Sam Benali" in page
    assert "06 11 22 33 44" in page
    assert "Montage son" in page
    assert f"{nadia.first_name} {nadia.last_name}" in page
    assert EMAIL not in page  # not shown until she chooses to
    assert "contributrice@example.org" not in page
    assert alpha.name in page and beta.name in page


def test_a_person_edits_their_own_card_only(federation, alpha, beta, space):
    person(alpha, EMAIL, ANIMATORS)
    person(beta, "sam@example.org", ANIMATORS)
    other = NetworkAccount.objects.get(email="sam@example.org")
    client = signed_in(federation)

    saved = client.post(
        SPACE + "ma-fiche/",
        {
            "name": "Nadia C.",
            "email": "nadia.pro@example.org",
            "phone": "",
            "skills": "Ateliers d'écriture",
            "account": other.pk,
        },
    )

    assert saved.status_code == 302
    mine = DirectoryEntry.objects.get(account__email=EMAIL)
    assert mine.email == "nadia.pro@example.org"
    assert not DirectoryEntry.objects.filter(account=other).exists()
    page = client.get(SPACE + "annuaire/").content.decode()
    assert "nadia.pro@example.org" in page and "Ateliers d&#x27;écriture" in page


def test_a_card_with_a_bad_address_is_refused_in_french(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)

    response = signed_in(federation).post(SPACE + "ma-fiche/", {"email": "pas-une-adresse"})

    assert response.status_code == 400
    assert "Saisissez une adresse" in response.content.decode()


def test_nobody_edits_a_card_without_the_space(federation, alpha, space):
    response = visitor(federation).post(SPACE + "ma-fiche/", {"name": "Intrus"})

    assert response.status_code == 302
    assert not DirectoryEntry.objects.filter(name="Intrus").exists()


# --- Documents -----------------------------------------------------------------------------


def test_the_space_documents_open_to_its_readers_only(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    with schema_context(federation.schema_name):
        document = get_document_model().objects.create(
            title="Trame du comité", collection=space_collection()
        )
        document.file.save("trame.txt", ContentFile(b"ordre du jour"))
    address = f"{SPACE}documents/{document.pk}/"

    served = signed_in(federation).get(address)
    refused = visitor(federation).get(address)
    by_wagtail = visitor(federation).get(document.url)

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"ordre du jour"
    assert refused.status_code == 302
    assert by_wagtail.status_code != 200


def test_an_outsider_reaches_no_route_of_the_space(federation, space):
    client = visitor(federation)

    for route in ("", "annuaire/", "ma-fiche/", "documents/1/"):
        response = client.get(SPACE + route)
        assert response.status_code == 302, route
        assert response["Location"].startswith(SIGN_IN), route


# --- The demo ------------------------------------------------------------------------------


def test_the_demo_space_is_seeded_once(federation, space):
    with schema_context(federation.schema_name):
        seed_space()
        titles = set(space.get_children().values_list("title", flat=True))

    assert titles == {
        "Fiche interne : animer un comité de rédaction",
        "Calendrier des formations",
        "Enregistrement : tourner un plateau de quartier",
    }


def test_the_space_closes_after_the_idle_delay(federation, alpha, space, settings):
    person(alpha, EMAIL, ANIMATORS)
    client = signed_in(federation)
    with schema_context(federation.schema_name):  # sessions are each portal's own
        session = client.session
        session["network_space_seen"] -= settings.ADMIN_IDLE_TIMEOUT_MINUTES * 60 + 1
        session.save()

    assert not reads_the_sheet(client)


def test_a_neighbourhood_cannot_make_a_space_of_its_own(federation, alpha, space):
    with schema_context(alpha.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        assert not AnimatorsSpacePage.can_create_at(home)
    with schema_context(federation.schema_name):
        assert not AnimatorsSpacePage.can_create_at(space.get_parent())  # one is enough


def test_a_demo_animator_made_without_a_password_signs_in_with_the_demo_one(
    federation, alpha, space
):
    # As the demo makes its people: an account with no password, a role, then a password.
    with schema_context(alpha.schema_name):
        user = get_user_model().objects.create_user(
            username="demo@example.org", email="demo@example.org"
        )
        user.groups.add(Group.objects.get(name=ANIMATORS))
        _give_demo_password(user)

    assert reads_the_sheet(signed_in(federation, "demo@example.org", DEMO_PASSWORD))
