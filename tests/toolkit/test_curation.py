"""Federation staff mark shared sheets and group them in collections; nobody else can."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.methodology.toolkit import set_collection_sheets
from tenants.default_portal import ANIMATORS
from tenants.factories import ToolkitCollectionFactory
from tenants.lifecycle import suspend
from tenants.models import Neighbourhood
from tenants.toolkit import ToolkitCollection, ToolkitSheet
from tests.conftest import host
from tests.toolkit.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

CURATION = "/admin/reseau/boite-a-outils/"
NEW_COLLECTION = f"{CURATION}collections/nouvelle/"


def test_staff_mark_a_sheet_and_the_hub_shows_its_marks(staff, sheets, federation):
    entry = sheets["cartes"]

    response = staff.post(CURATION, {"entry": entry.pk, "validated": "on", "featured": "on"})
    hub = Client(HTTP_HOST=host(federation)).get("/ressources/").text

    assert response.status_code == 302
    sheet = ToolkitSheet.objects.get(tenant=entry.tenant, page_id=entry.page_id)
    assert (sheet.validated, sheet.featured, sheet.marked_by) == (
        True,
        True,
        "equipe@federation.example",
    )
    assert "Validée par la fédération" in hub
    assert "À la une" in hub


def test_staff_make_a_collection_which_gets_its_public_page(staff, sheets, federation):
    form = staff.get(NEW_COLLECTION)
    response = staff.post(
        NEW_COLLECTION,
        {
            "title": "Éducation aux médias",
            "slug": "education-aux-medias",
            "description": "Pour décrypter l'information avec les habitants.",
            "position": 1,
            "sheets": [sheets["fake"].pk, sheets["petit-dej"].pk],
        },
    )
    page = Client(HTTP_HOST=host(federation)).get("/ressources/collections/education-aux-medias/")

    assert "Petit-déjeuner des associations (Portail Beta)" in form.text
    assert response.status_code == 302
    assert "Éducation aux médias" in staff.get(CURATION).text
    edit = staff.get(f"{CURATION}collections/education-aux-medias/").text
    assert 'value="education-aux-medias"' in edit
    assert page.status_code == 200
    assert "Démonter une fausse information" in page.text
    assert "Petit-déjeuner des associations" in page.text
    assert "Cartographier ses voisins" not in page.text


def test_a_collection_address_already_taken_is_refused_in_french(staff, kit):
    response = staff.post(
        NEW_COLLECTION, {"title": "Autre kit", "slug": kit.slug, "position": 0, "sheets": []}
    )

    assert response.status_code == 200
    assert "Une autre collection a déjà cette adresse." in response.text
    assert ToolkitCollection.objects.filter(slug=kit.slug).count() == 1


def test_a_suspended_portal_sheets_leave_the_collection_page(kit, alpha, federation):
    suspend(Neighbourhood.objects.get(pk=alpha.pk))

    text = Client(HTTP_HOST=host(federation)).get("/ressources/collections/kit-de-demarrage/").text

    assert "Petit-déjeuner des associations" in text
    assert "Cartographier ses voisins" not in text


def test_a_collection_with_nothing_shared_and_an_unknown_one_are_404(federation, sheets):
    empty = ToolkitCollectionFactory(slug="vide")
    set_collection_sheets(empty, [])
    visitor = Client(HTTP_HOST=host(federation))

    assert visitor.get("/ressources/collections/vide/").status_code == 404
    assert visitor.get("/ressources/collections/n-existe-pas/").status_code == 404
    assert visitor.get("/ressources/fiches/alpha/999999/").status_code == 404


def _refused(response) -> bool:
    # Wagtail turns a refusal in its admin into a redirect to the dashboard (or login).
    return response.status_code == 403 or (
        response.status_code == 302 and not response["Location"].startswith(CURATION)
    )


def test_a_federation_user_outside_the_staff_group_can_neither_mark_nor_curate(
    federation, sheets, kit
):
    client = logged_in(federation, make_user(federation, "anim@federation.example", ANIMATORS))
    entry = sheets["fake"]

    assert _refused(client.get(CURATION))
    assert _refused(client.post(CURATION, {"entry": entry.pk, "validated": "on"}))
    assert _refused(
        client.post(f"{CURATION}collections/{kit.slug}/", {"title": "Piraté", "slug": kit.slug})
    )
    assert _refused(client.post(f"{CURATION}collections/{kit.slug}/", {"action": "delete"}))

    assert not ToolkitSheet.objects.filter(
        tenant=entry.tenant, page_id=entry.page_id, validated=True
    ).exists()
    assert ToolkitCollection.objects.get(pk=kit.pk).title == "Kit de démarrage"


def test_a_neighbourhood_animator_or_superuser_is_refused_at_their_own_host(
    alpha, sheets, kit, animator_of
):
    for user in (
        animator_of(alpha),
        make_user(alpha, "root@alpha.example", is_superuser=True, is_staff=True),
    ):
        client = logged_in(alpha, user)
        assert _refused(client.get(CURATION))
        assert _refused(client.post(CURATION, {"entry": sheets["cartes"].pk, "featured": "on"}))
        assert _refused(client.post(NEW_COLLECTION, {"title": "X", "slug": "x", "position": 0}))

    assert not ToolkitSheet.objects.filter(featured=True).exists()
    assert not ToolkitCollection.objects.filter(slug="x").exists()


@pytest.mark.parametrize("forged", ["1 OR 1=1", "²", "9" * 25])
def test_a_forged_entry_gets_a_french_message_not_a_500(staff, forged):
    response = staff.post(CURATION, {"entry": forged}, follow=True)

    assert response.status_code == 200
    assert "plus partagée" in response.text
