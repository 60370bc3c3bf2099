"""Every portal (the federation too) opens with "À propos" and the cooperative's page; the
animator writes them; the SCIC's page lists its colleges and its assemblies' documents,
except those of a private collection."""

from __future__ import annotations

import html

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.test.utils import WagtailPageTestCase

from carriers.demo import seed_carriers
from carriers.factories import FreePageFactory
from carriers.models import FreePage, Partner, ScicPage
from home.models import HomePage
from portal.models import ArticlePage
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

tree = WagtailPageTestCase()


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federationcar", kind="federation")


def test_a_new_portal_has_about_and_cooperative_pages_in_its_menu(alpha, client_for):
    text = text_of(client_for(alpha), "/")

    assert 'href="/a-propos/"' in text
    assert 'href="/cooperative/"' in text
    assert "La coopérative" in text_of(client_for(alpha), "/cooperative/")


def test_the_federation_has_them_too(federation, client_for):
    assert "À propos" in text_of(client_for(federation), "/a-propos/")
    assert "La coopérative" in text_of(client_for(federation), "/cooperative/")


def test_the_tree_keeps_free_pages_under_home_or_free_pages_and_one_cooperative(alpha):
    with schema_context(alpha.schema_name):
        tree.assertCanCreateAt(HomePage, FreePage)
        tree.assertCanCreateAt(FreePage, FreePage)
        tree.assertCanNotCreateAt(ArticlePage, FreePage)
        tree.assertAllowedSubpageTypes(ScicPage, {FreePage})
        assert not ScicPage.can_create_at(HomePage.objects.get())  # one already


def test_a_free_page_shows_its_text_and_lists_its_public_sub_pages(alpha, client_for):
    with schema_context(alpha.schema_name):
        about = FreePage.objects.get(slug="a-propos")
        about.body = [("paragraph", "<p>Un média fait avec les habitants du quartier.</p>")]
        about.save_revision().publish()
        FreePageFactory(title="Nous rejoindre", slug="nous-rejoindre", parent=about)

    text = text_of(client_for(alpha), "/a-propos/")

    assert "Un média fait avec les habitants du quartier." in text
    assert 'href="/a-propos/nous-rejoindre/"' in text


@pytest.fixture
def scic_with_documents(alpha):
    with schema_context(alpha.schema_name):
        members = Collection.get_first_root_node().add_child(name="Réservé sociétaires")
        CollectionViewRestriction.objects.create(
            collection=members, restriction_type=CollectionViewRestriction.LOGIN
        )
        Document = get_document_model()
        report = Document(title="Rapport moral 2025")
        report.file.save("rapport-moral.txt", ContentFile(b"Rapport\n"))
        minutes = Document(title="Votes nominatifs 2025", collection=members)
        minutes.file.save("votes-nominatifs.txt", ContentFile(b"Votes\n"))
        scic = ScicPage.objects.get()
        scic.colleges = [
            ("college", {"name": "Habitants", "description": "", "members": 40, "vote_share": 40}),
            ("college", {"name": "Salariés", "description": "", "members": 1, "vote_share": 20}),
        ]
        scic.assemblies = [
            (
                "assembly",
                {
                    "date": "2025-06-14",
                    "title": "Assemblée générale 2025",
                    "place": "Maison de quartier",
                    "summary": "<p>Comptes approuvés.</p>",
                    "documents": [
                        {"document": report, "label": ""},
                        {"document": minutes, "label": ""},
                    ],
                },
            )
        ]
        scic.membership = "<p>Une part sociale coûte 20 euros.</p>"
        scic.save_revision().publish()
        return {"report": report, "minutes": minutes}


def test_the_cooperative_page_counts_members_by_college_and_in_all(
    alpha, client_for, scic_with_documents
):
    text = text_of(client_for(alpha), "/cooperative/")

    assert "40 sociétaires" in text
    assert "1 sociétaire ·" in text
    assert "41 sociétaires au total" in text
    assert "Une part sociale coûte 20 euros." in text


def test_an_assembly_lists_its_public_documents_and_never_a_private_one(
    alpha, client_for, scic_with_documents
):
    text = text_of(client_for(alpha), "/cooperative/")

    assert "Rapport moral 2025" in text
    assert scic_with_documents["report"].url in text
    assert "Votes nominatifs" not in text
    assert "votes-nominatifs" not in text
    assert scic_with_documents["minutes"].url not in text


def test_the_demo_gives_partners_written_pages_and_a_cooperative_with_its_assemblies(
    beta, client_for
):
    with schema_context(beta.schema_name):
        seed_carriers(beta)
        seed_carriers(beta)  # twice: nothing added the second time

        assert Partner.objects.count() == 6
        assert FreePage.objects.filter(slug="nous-rejoindre").count() == 1
        assert Page.objects.filter(slug="mentions-legales").count() == 1
        assert ScicPage.objects.get().member_count > 0
    at_beta = client_for(beta)

    cooperative = html.unescape(text_of(at_beta, "/cooperative/"))
    assert "Rapport d'activité" in cooperative
    assert "Procès-verbal détaillé" not in cooperative  # in the members' private collection
    assert "sociétaires au total" in cooperative
    assert "Nous rejoindre" in text_of(at_beta, "/a-propos/")
    assert "Données personnelles" in text_of(at_beta, "/mentions-legales/")


def test_the_animator_edits_the_cooperative_and_free_pages_in_the_admin(
    alpha, client_for, animator_of
):
    with schema_context(alpha.schema_name):
        scic = ScicPage.objects.get()
        about = FreePage.objects.get(slug="a-propos")
        home = HomePage.objects.get()
    at_alpha = logged_in(client_for(alpha), animator_of(alpha))

    for page in (scic, about, home):
        response = at_alpha.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.title
    assert "Poids dans les votes" in at_alpha.get(f"/admin/pages/{scic.pk}/edit/").text
    assert "Partenaires et financeurs" in at_alpha.get(f"/admin/pages/{home.pk}/edit/").text
