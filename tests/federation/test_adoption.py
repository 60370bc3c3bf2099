"""Adopting a sheet: a draft copy in the adopting portal, nothing changed at its source."""

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model

from portal.factories import MethodologyPageFactory
from portal.methodology.adoption import AdoptionError, adopt_sheet
from portal.models import MethodologyPage
from tenants.models import SharedEntry
from tests.conftest import PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_sheet(alpha):
    with schema_context(alpha.schema_name):
        document = get_document_model()(title="Grille d'animation")
        document.file.save("grille.txt", ContentFile(b"1. Accueil\n2. Tour de table\n"))
        sheet = MethodologyPageFactory(
            title="Tour de table photolangage",
            module="workshop",
            attachments=[("document", {"document": document, "label": "La grille"})],
        )
        sheet.tags.add("photolangage")
        sheet.save_revision().publish()
    return SharedEntry.objects.get(tenant=alpha, page_id=sheet.pk)


def test_adopted_sheet_is_a_draft_in_the_adopting_portal_with_its_document(
    shared_sheet, alpha, beta
):
    with schema_context(beta.schema_name):
        adopted = adopt_sheet(shared_sheet)
        copy = MethodologyPage.objects.get(pk=adopted.pk)
        (block,) = copy.attachments
        document = block.value["document"]
        with document.file.open("rb") as handle:
            content = handle.read()
        tags = [tag.name for tag in copy.tags.all()]

    assert not copy.live
    assert copy.title == "Tour de table photolangage"
    assert "Portail Alpha" in copy.credit
    assert content == b"1. Accueil\n2. Tour de table\n"
    assert tags == ["photolangage"]
    # A draft is not shared: beta adds nothing to the index.
    assert not SharedEntry.objects.filter(tenant=beta).exists()


def test_adoption_changes_nothing_at_the_source(shared_sheet, alpha, beta):
    with schema_context(alpha.schema_name):
        before = list(MethodologyPage.objects.values_list("pk", "title", "live"))
        documents_before = get_document_model().objects.count()

    with schema_context(beta.schema_name):
        adopt_sheet(shared_sheet)

    with schema_context(alpha.schema_name):
        assert list(MethodologyPage.objects.values_list("pk", "title", "live")) == before
        assert get_document_model().objects.count() == documents_before


def test_a_portal_cannot_adopt_its_own_sheet(shared_sheet, alpha):
    with schema_context(alpha.schema_name), pytest.raises(AdoptionError):
        adopt_sheet(shared_sheet)


def test_animator_adopts_from_the_admin_and_lands_on_the_draft(
    shared_sheet, beta, animator_of, client_for
):
    animator = animator_of(beta)
    browser = client_for(beta)
    browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(browser)

    listing = browser.get("/admin/reseau/fiches/")
    response = browser.post("/admin/reseau/fiches/", {"entry": shared_sheet.pk})

    assert "Tour de table photolangage" in listing.text
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/pages/")
    with schema_context(beta.schema_name):
        assert MethodologyPage.objects.filter(title="Tour de table photolangage").exists()


@pytest.mark.parametrize("forged", ["abc", "²", "٣", "9" * 25])
def test_a_bogus_entry_gets_a_message_not_a_500(beta, animator_of, client_for, forged):
    animator = animator_of(beta)
    browser = client_for(beta)
    browser.post("/admin/login/", {"username": animator.username, "password": PASSWORD})
    pass_second_factor(browser)

    response = browser.post("/admin/reseau/fiches/", {"entry": forged}, follow=True)

    assert response.status_code == 200
    assert "plus partagée" in response.text
