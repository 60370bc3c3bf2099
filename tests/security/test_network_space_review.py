"""The animators' space under attack (review of the ``space`` branch).

- A sheet translated with "Traduire" lands under an alias of the space made for its
  language: Wagtail copies the root's restriction to that alias (checked here, since the
  space's pages answer Wagtail's restriction check themselves).
- Federation staff signed in to the admin get a card in the directory only for the network
  account they proved theirs (its password): an e-mail typed into their own local account
  (unproven until a reset link) must not hand them someone else's card.
- The card's form refuses a POST without the CSRF token.
- The space's collection keeps its restriction, as its pages do.
- The sign-in spends the same work on a closed account as on any other (no timing tells
  which addresses had one).
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import CollectionViewRestriction, Locale

from core.translation import add_missing_parents
from network_space import access
from network_space.demo import seed_space
from network_space.directory.models import DirectoryEntry
from network_space.documents import space_collection
from network_space.models import AnimatorsSpacePage, InternalSheetPage
from tenants.accounts import NetworkAccount
from tenants.default_portal import ANIMATORS
from tenants.factories import PortalAccountFactory
from tenants.models import Neighbourhood
from tests.conftest import PASSWORD, host, pass_second_factor

pytestmark = pytest.mark.django_db

SIGN_IN = "/reseau/espace/connexion/"
SPACE = "/espace-animateurs/"
EMAIL = "nadia@example.org"


@pytest.fixture(scope="module")
def federation(make_portal) -> Neighbourhood:
    return make_portal("fedreview", kind="federation", name="Fédération Quartiers")


@pytest.fixture
def space(federation) -> AnimatorsSpacePage:
    with schema_context(federation.schema_name):
        seed_space()
        return AnimatorsSpacePage.objects.get()


def person(portal: Neighbourhood, email: str = EMAIL, *roles: str):
    with schema_context(portal.schema_name):
        return PortalAccountFactory(
            username=email, first_name="Nadia", last_name="Cherif", roles=list(roles)
        )


def test_a_sheet_translated_into_another_language_stays_private(federation, space):
    with schema_context(federation.schema_name):
        english, _created = Locale.objects.get_or_create(language_code="en")
        sheet = InternalSheetPage.objects.get(slug="animer-un-comite-de-redaction")
        # What "Traduire" does (core.translation): aliases of the missing parents, the
        # space's included, then a copy of the sheet in English, published.
        add_missing_parents(sheet, english)
        translated = sheet.copy_for_translation(english)
        translated.save_revision().publish()

        assert AnimatorsSpacePage.objects.filter(locale=english).exists()
        assert not InternalSheetPage.objects.live().public().exists()

    found = Client(HTTP_HOST=host(federation)).get("/recherche/", {"q": "animer comité rédaction"})
    assert found.status_code == 200
    assert "espace-animateurs" not in found.content.decode()


def test_staff_typing_someone_elses_address_do_not_get_their_card(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    with schema_context(federation.schema_name):
        staff = PortalAccountFactory(username="staff@example.org", roles=["Fédération"])
    client = Client(HTTP_HOST=host(federation))
    client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    pass_second_factor(client)
    with schema_context(federation.schema_name):
        staff.email = EMAIL  # on their own account page: nothing proves it is theirs
        staff.save()

    client.post(SPACE + "ma-fiche/", {"name": "Nadia", "email": "", "phone": "06 66 66 66 66"})

    assert not DirectoryEntry.objects.filter(account__email=EMAIL).exists()


def test_staff_get_their_own_card_from_the_admin(federation, space):
    with schema_context(federation.schema_name):
        staff = PortalAccountFactory(username="chef@example.org", roles=["Fédération"])
    client = Client(HTTP_HOST=host(federation))
    client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    pass_second_factor(client)

    saved = client.post(SPACE + "ma-fiche/", {"name": "Chef", "email": "", "phone": ""})

    assert saved.status_code == 302
    assert DirectoryEntry.objects.filter(account__email="chef@example.org", name="Chef").exists()


def test_the_card_form_refuses_a_post_without_csrf_token(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = Client(HTTP_HOST=host(federation), enforce_csrf_checks=True)
    client.get(SIGN_IN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    signed = client.post(
        SIGN_IN, {"email": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert signed.status_code == 302

    forged = client.post(SPACE + "ma-fiche/", {"name": "Forgé"})

    assert forged.status_code == 403
    assert not DirectoryEntry.objects.filter(name="Forgé").exists()


def test_the_sign_in_hashes_for_a_closed_account_too(federation, alpha, space):
    # (An account without a password is Django's check_password's: it hashes anyway.)
    person(alpha, EMAIL, ANIMATORS)
    NetworkAccount.objects.filter(email=EMAIL).update(is_active=False)

    with mock.patch.object(access, "make_password", wraps=make_password) as hashed:
        response = Client(HTTP_HOST=host(federation)).post(
            SIGN_IN, {"email": EMAIL, "password": "une-supposition"}
        )

    assert response.status_code == 400
    assert hashed.called


def signed_in(federation: Neighbourhood) -> Client:
    client = Client(HTTP_HOST=host(federation))
    client.post(SIGN_IN, {"email": EMAIL, "password": PASSWORD})
    pass_second_factor(client)
    return client


def test_hostile_input_to_the_space_routes_is_no_500(federation, alpha, space):
    person(alpha, EMAIL, ANIMATORS)
    client = signed_in(federation)

    huge_id = client.get(SPACE + "documents/" + "9" * 40 + "/")
    huge_card = client.post(
        SPACE + "ma-fiche/",
        {"name": "x" * 100_000, "email": "a" * 300 + "@example.org", "phone": "\x00" * 50},
    )
    listed = client.post(SPACE + "ma-fiche/", {"name": ["a", "b"], "skills": "a\x00b"})

    assert huge_id.status_code == 404
    assert huge_card.status_code == 400
    assert listed.status_code in (302, 400)


def test_the_space_documents_stay_private_when_an_editor_removes_their_restriction(
    federation, space, django_capture_on_commit_callbacks
):
    with schema_context(federation.schema_name):
        collection = space_collection()
        with django_capture_on_commit_callbacks(execute=True):
            CollectionViewRestriction.objects.filter(collection=collection).delete()

        assert CollectionViewRestriction.objects.filter(collection=collection).exists()
