"""Actors of a private directory, ads of a private classifieds section and documents of a
private collection never show on a public page, nor stay on one kept in the page cache.

Each test shows the item is there while its section or collection is public, then gone
once private: a surface that shows nothing at all cannot pass.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from classifieds.factories import ClassifiedFactory
from classifieds.models import ClassifiedsPage
from portal.factories import ArticlePageFactory, EventPageFactory, MethodologyPageFactory
from portal.models import Actor, ActorDirectoryPage

pytestmark = pytest.mark.django_db


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("factory", [ArticlePageFactory, EventPageFactory])
def test_public_page_names_no_actor_once_the_actors_directory_is_private(
    alpha, client_for, factory
):
    """core.privacy's rule: the items of a private section (actors) are "shown elsewhere
    only when their section is public". The home block follows it; the article and event
    pages still list the linked actors (name, kind, website)."""
    with schema_context(alpha.schema_name):
        actor = Actor.objects.create(name="Collectif des locataires du 12")
        page = factory(title="Assemblée de l'escalier B", slug="escalier-b")
        page.actors.set([actor])
        page.save_revision().publish()
        url = page.url
    before = text_of(client_for(alpha), url)
    with schema_context(alpha.schema_name):
        restriction = PageViewRestriction.objects.create(
            page=ActorDirectoryPage.objects.get(), restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name="Animateurs")])

    after = text_of(client_for(alpha), url)

    assert "Collectif des locataires du 12" in before
    assert "Collectif des locataires du 12" not in after


def test_public_sheet_lists_no_document_of_a_private_collection(alpha, client_for):
    """A document of a private collection attached to a public page: its title (or the
    label), type and size are listed to every visitor; only the download is refused."""
    with schema_context(alpha.schema_name):
        internal = Collection.get_first_root_node().add_child(name="Interne relecture")
        CollectionViewRestriction.objects.create(
            collection=internal, restriction_type=CollectionViewRestriction.LOGIN
        )
        public_document = get_document_model()(title="Grille animation publique")
        public_document.file.save("grille-publique.txt", ContentFile(b"1. Accueil\n"))
        private_document = get_document_model()(
            title="Contacts des familles du foyer", collection=internal
        )
        private_document.file.save("contacts-foyer.txt", ContentFile(b"06 00 00 00 00\n"))
        sheet = MethodologyPageFactory(
            title="Porte-a-porte au foyer",
            slug="porte-a-porte-foyer",
            attachments=[
                ("document", {"document": public_document, "label": ""}),
                ("document", {"document": private_document, "label": ""}),
            ],
        )
        url = sheet.url

    text = text_of(client_for(alpha), url)

    assert "Grille animation publique" in text
    assert "Contacts des familles du foyer" not in text


def test_an_actor_page_lists_no_ad_once_the_classifieds_section_is_private(alpha, client_for):
    """The classifieds add their section to an actor's page ({% added_sections %}): like the
    home page's block, it follows core.privacy's rule, so an ad of a private classifieds
    section (its title, kind, price and link) is never listed on the public directory."""
    with schema_context(alpha.schema_name):
        actor = Actor.objects.create(name="Ressourcerie du Haut-Montreuil")
        ClassifiedFactory(title="Donne trois vélos à réparer", actor=actor)
        directory = ActorDirectoryPage.objects.get()
        url = f"{directory.url}acteur/{actor.pk}/"
    before = text_of(client_for(alpha), url)
    with schema_context(alpha.schema_name):
        restriction = PageViewRestriction.objects.create(
            page=ClassifiedsPage.objects.get(), restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name="Animateurs")])

    after = text_of(client_for(alpha), url)

    assert "Donne trois vélos à réparer" in before
    assert "Donne trois vélos à réparer" not in after


def test_a_document_moved_into_a_private_collection_leaves_the_cached_page_at_once(
    alpha, client_for
):
    """The public page listing a document is kept in the page cache: moving the document
    into a private collection must forget it, or every visitor keeps reading the private
    document's title until the entry expires."""
    with schema_context(alpha.schema_name):
        internal = Collection.get_first_root_node().add_child(name="Interne bureau")
        CollectionViewRestriction.objects.create(
            collection=internal, restriction_type=CollectionViewRestriction.LOGIN
        )
        document = get_document_model()(title="Téléphones des bénévoles du foyer")
        document.file.save("benevoles-foyer.txt", ContentFile(b"06 11 11 11 11\n"))
        sheet = MethodologyPageFactory(
            title="Tenir une permanence",
            slug="tenir-une-permanence",
            attachments=[("document", {"document": document, "label": ""})],
        )
        url = sheet.url
    visitor = client_for(alpha)
    before = text_of(visitor, url)
    with schema_context(alpha.schema_name):
        document.collection = internal
        document.save()

    after = text_of(visitor, url)

    assert "Téléphones des bénévoles du foyer" in before
    assert "Téléphones des bénévoles du foyer" not in after
