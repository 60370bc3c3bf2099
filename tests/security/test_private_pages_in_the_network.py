"""What is private stays on its portal (issue 16, point 2): a page under a view restriction
is never in the federation's index, so neither in its hub, its RSS, the neighbourhoods'
"Fiches du réseau" nor their home's toolkit; adoption copies no private page and no
document of a private collection.

Each test keeps a public sheet beside the private one and checks it IS there.
"""

from __future__ import annotations

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from portal.factories import ArticlePageFactory, MethodologyPageFactory
from portal.methodology.adoption import AdoptionError, adopt_sheet
from portal.models import MethodologyIndexPage, MethodologyPage
from tenants.federation import sync_federation_index
from tenants.models import SharedEntry
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def federation(make_portal):
    return make_portal("federation", kind="federation", name="Fédération Quartiers")


def shared_titles(portal=None) -> set[str]:
    entries = SharedEntry.objects.all()
    if portal is not None:
        entries = entries.filter(tenant=portal)
    return set(entries.values_list("title", flat=True))


def make_private(page: Page, kind: str = PageViewRestriction.LOGIN) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=kind,
        password="mot-de-passe" if kind == PageViewRestriction.PASSWORD else "",
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.set([Group.objects.get(name="Animateurs")])
    return restriction


@pytest.fixture
def sheets(alpha):
    """Two shared sheets of alpha: one stays public, the other is the one made private."""
    with schema_context(alpha.schema_name):
        MethodologyPageFactory(title="Cartographier ses voisins", slug="cartographier")
        secret = MethodologyPageFactory(title="Médiation entre voisins en conflit", slug="conflit")
    return secret


def test_restricting_a_shared_sheet_in_the_admin_removes_it_from_the_index_and_the_hub_at_once(
    sheets, alpha, federation, animator_of, client_for
):
    browser = logged_in(client_for(alpha), animator_of(alpha))

    response = browser.post(
        f"/admin/pages/{sheets.pk}/privacy/", {"restriction_type": PageViewRestriction.LOGIN}
    )
    hub = client_for(federation).get("/ressources/").text

    assert response.status_code == 200
    assert shared_titles(alpha) == {"Cartographier ses voisins"}
    assert "Cartographier ses voisins" in hub
    assert "Médiation entre voisins en conflit" not in hub


def test_lifting_the_restriction_brings_the_sheet_back_to_the_index_and_the_hub(
    sheets, alpha, federation, client_for
):
    with schema_context(alpha.schema_name):
        restriction = make_private(sheets, PageViewRestriction.PASSWORD)
        while_private = shared_titles(alpha)
        restriction.delete()

    hub = client_for(federation).get("/ressources/").text

    assert while_private == {"Cartographier ses voisins"}
    assert shared_titles(alpha) == {
        "Cartographier ses voisins",
        "Médiation entre voisins en conflit",
    }
    assert "Médiation entre voisins en conflit" in hub


def test_restricting_a_section_removes_every_shared_page_below_it(sheets, alpha):
    with schema_context(alpha.schema_name):
        ArticlePageFactory(title="Notre fresque partagée", shared_with_network=True)
        make_private(MethodologyIndexPage.objects.get(), PageViewRestriction.GROUPS)

    assert shared_titles(alpha) == {"Notre fresque partagée"}


def test_publishing_a_page_of_a_private_section_does_not_share_it(alpha):
    with schema_context(alpha.schema_name):
        make_private(MethodologyIndexPage.objects.get())
        sheet = MethodologyPageFactory(title="Fiche de la section privée")
        sheet.title = "Fiche de la section privée, revue"
        sheet.save_revision().publish()
        ArticlePageFactory(title="Notre fresque partagée", shared_with_network=True)

    assert shared_titles(alpha) == {"Notre fresque partagée"}


def test_deleting_a_private_shared_sheet_leaves_no_entry(sheets, alpha):
    with schema_context(alpha.schema_name):
        make_private(sheets)
        Page.objects.get(pk=sheets.pk).delete()

    assert shared_titles(alpha) == {"Cartographier ses voisins"}


def test_sync_command_removes_a_private_sheet_whose_signals_were_missed(sheets, alpha):
    with schema_context(alpha.schema_name):
        # Written without signals, as a restriction set before this rule existed.
        PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=sheets, restriction_type=PageViewRestriction.LOGIN)]
        )
    stale = shared_titles(alpha)

    sync_federation_index()

    assert "Médiation entre voisins en conflit" in stale
    assert shared_titles(alpha) == {"Cartographier ses voisins"}


def test_hub_feed_leaves_out_a_private_sheet(sheets, alpha, federation, client_for):
    with schema_context(alpha.schema_name):
        make_private(sheets)

    feed = feedparser.parse(client_for(federation).get("/ressources/rss/").content)

    titles = {entry.title for entry in feed.entries}
    assert "Cartographier ses voisins (Portail Alpha)" in titles
    assert "Médiation entre voisins en conflit (Portail Alpha)" not in titles


def test_network_sheets_screen_leaves_out_a_private_sheet(
    sheets, alpha, beta, animator_of, client_for
):
    with schema_context(alpha.schema_name):
        make_private(sheets, PageViewRestriction.GROUPS)
    browser = logged_in(client_for(beta), animator_of(beta))

    text = browser.get("/admin/reseau/fiches/").text

    assert "Cartographier ses voisins" in text
    assert "Médiation entre voisins en conflit" not in text


def test_neighbourhood_home_toolkit_leaves_out_a_private_federation_sheet(
    alpha, federation, client_for
):
    with schema_context(federation.schema_name):
        MethodologyPageFactory(title="Boîte à outils : lancer un média")
        make_private(MethodologyPageFactory(title="Compte rendu du conseil fédéral"))

    text = client_for(alpha).get("/").text

    assert "Boîte à outils : lancer un média" in text
    assert "Compte rendu du conseil fédéral" not in text


def test_a_sheet_made_private_cannot_be_adopted_even_from_a_stale_entry(sheets, alpha, beta):
    public_entry = SharedEntry.objects.get(tenant=alpha, title="Cartographier ses voisins")
    stale_entry = SharedEntry.objects.get(tenant=alpha, page_id=sheets.pk)
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=sheets, restriction_type=PageViewRestriction.LOGIN)]
        )

    with schema_context(beta.schema_name):
        adopted = adopt_sheet(public_entry)
        with pytest.raises(AdoptionError):
            adopt_sheet(stale_entry)
        titles = set(MethodologyPage.objects.values_list("title", flat=True))

    assert adopted.title == "Cartographier ses voisins"
    assert "Médiation entre voisins en conflit" not in titles


def test_adoption_copies_no_document_of_a_private_collection(alpha, beta):
    with schema_context(alpha.schema_name):
        internal = Collection.get_first_root_node().add_child(name="Interne")
        CollectionViewRestriction.objects.create(
            collection=internal, restriction_type=CollectionViewRestriction.LOGIN
        )
        below = internal.add_child(name="Comptes rendus")
        public_document = get_document_model()(title="Grille d'animation")
        public_document.file.save("grille.txt", ContentFile(b"1. Accueil\n"))
        private_document = get_document_model()(title="Contacts des familles", collection=below)
        private_document.file.save("contacts.txt", ContentFile(b"06 00 00 00 00\n"))
        sheet = MethodologyPageFactory(
            title="Tour de table photolangage",
            attachments=[
                ("document", {"document": public_document, "label": "La grille"}),
                ("document", {"document": private_document, "label": "Les contacts"}),
            ],
        )
    entry = SharedEntry.objects.get(tenant=alpha, page_id=sheet.pk)

    with schema_context(beta.schema_name):
        copy = adopt_sheet(entry)
        labels = [
            block.value["label"] for block in MethodologyPage.objects.get(pk=copy.pk).attachments
        ]
        documents = set(get_document_model().objects.values_list("title", flat=True))

    assert labels == ["La grille"]
    assert "Grille d'animation" in documents
    assert "Contacts des familles" not in documents


def test_animator_cannot_adopt_from_the_admin_a_sheet_made_private_since_it_was_listed(
    sheets, alpha, beta, animator_of, client_for
):
    # Beta has no private page of its own: what its request knows of itself must not
    # decide what is private at alpha.
    public_entry = SharedEntry.objects.get(tenant=alpha, title="Cartographier ses voisins")
    stale_entry = SharedEntry.objects.get(tenant=alpha, page_id=sheets.pk)
    with schema_context(alpha.schema_name):
        PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=sheets, restriction_type=PageViewRestriction.LOGIN)]
        )
    browser = logged_in(client_for(beta), animator_of(beta))

    adopted = browser.post("/admin/reseau/fiches/", {"entry": public_entry.pk})
    refused = browser.post("/admin/reseau/fiches/", {"entry": stale_entry.pk}, follow=True)

    assert adopted.status_code == 302
    assert refused.status_code == 200
    assert "plus partagée" in refused.text
    with schema_context(beta.schema_name):
        titles = set(MethodologyPage.objects.values_list("title", flat=True))
    assert "Cartographier ses voisins" in titles
    assert "Médiation entre voisins en conflit" not in titles
